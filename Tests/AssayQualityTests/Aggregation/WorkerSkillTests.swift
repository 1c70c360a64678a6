import AssayQuality
import Testing

@Suite struct WorkerSkillTests {
    @Test func docExample() throws {
        let judgments = try Fixtures.posts()
        let skill = try DawidSkene().aggregate(judgments).skill(of: "ann")!
        #expect(skill.accuracy > 0.5)
        let p = try #require(skill.probability(ofAnswer: 1, givenTruth: 0))
        #expect(p >= 0 && p <= 1)
        #expect(WorkerSkill(judgmentCount: 1, accuracy: 1).probability(ofAnswer: 0, givenTruth: 0) == nil)
    }
}
