import AssayQuality
import Testing

@Suite struct OneCoinDawidSkeneTests {
    @Test func docExample() throws {
        let judgments = try Fixtures.posts()
        let result = try OneCoinDawidSkene().aggregate(judgments)
        let skill = try #require(result.skill(of: "ann"))
        #expect(skill.score.map { isClose($0, skill.accuracy) } == true)
    }

    @Test func recoversTruthBetterThanMajorityVote() throws {
        let crowd = try Fixtures.crowd(
            items: 2000, labels: 4, good: 4, goodAccuracy: 0.7, spammers: 8, perItem: 5, seed: 11)
        let majority = Fixtures.accuracy(of: try MajorityVote().aggregate(crowd.judgments), against: crowd.truth)
        let result = try OneCoinDawidSkene().aggregate(crowd.judgments)
        #expect(Fixtures.accuracy(of: result, against: crowd.truth) > majority + 0.05)
        #expect(result.converged)
        #expect((result.skill(of: "w0")?.score ?? 0) > (result.skill(of: "w4")?.score ?? 1) + 0.3)
    }
}
