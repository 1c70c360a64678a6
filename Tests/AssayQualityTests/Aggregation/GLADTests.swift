import AssayQuality
import Testing

@Suite struct GLADTests {
    @Test func docExample() throws {
        let judgments = try Fixtures.posts()
        let result = try GLAD(maxIterations: 50).aggregate(judgments)
        #expect((result.skill(of: "ann")?.score ?? 0) > 0)
        #expect(result.label(of: "post-1") == "spam")
    }

    @Test func recoversTruthBetterThanMajorityVote() throws {
        let crowd = try Fixtures.crowd(
            items: 1000, labels: 3, good: 4, goodAccuracy: 0.75, spammers: 8, perItem: 5, seed: 5)
        let majority = Fixtures.accuracy(of: try MajorityVote().aggregate(crowd.judgments), against: crowd.truth)
        let result = try GLAD().aggregate(crowd.judgments)
        #expect(Fixtures.accuracy(of: result, against: crowd.truth) > majority + 0.03)
        #expect((result.skill(of: "w0")?.score ?? 0) > (result.skill(of: "w6")?.score ?? 1))
        #expect(result.logLikelihood.map(\.isFinite) == true)
    }

    @Test func labelPriorsAreValidated() throws {
        let judgments = try Fixtures.posts()
        #expect(throws: QualityError.self) { try GLAD(labelPriors: ["spam": 0]).aggregate(judgments) }
        let skewed = try GLAD(labelPriors: ["spam": 0.9, "ham": 0.1]).aggregate(judgments)
        #expect(skewed.label(of: "post-1") == "spam")
    }
}
