import AssayQuality
import Testing

@Suite struct WeightedMajorityVoteTests {
    @Test func docExample() throws {
        let judgments = try Fixtures.posts()
        let byQualification = WeightedMajorityVote(weights: .given(["ann": 3, "bob": 1]))
        let estimated = WeightedMajorityVote(weights: .estimated, maxIterations: 10)
        let result = try estimated.aggregate(judgments)
        #expect(result.skill(of: "ann")?.score != nil)
        #expect(try byQualification.aggregate(judgments).skill(of: "ann")?.score == 3)
    }

    @Test func givenWeightsOutvoteTheMajority() throws {
        let judgments = try Fixtures.posts()
        let expert = WeightedMajorityVote(weights: .given(["cat": 5]))
        let result = try expert.aggregate(judgments)
        #expect(result.label(of: "post-1") == "ham")
        #expect(isClose(result.confidence(of: "post-1") ?? 0, 5.0 / 7))
        #expect(throws: QualityError.self) {
            try WeightedMajorityVote(weights: .given(["cat": -1])).aggregate(judgments)
        }
    }

    @Test func estimatedWeightsDownweightSpammersAndBeatMajorityVote() throws {
        let crowd = try Fixtures.crowd(
            items: 1000, labels: 3, good: 4, goodAccuracy: 0.75, spammers: 8, perItem: 5, seed: 1)
        let weighted = try WeightedMajorityVote().aggregate(crowd.judgments)
        let majority = try MajorityVote().aggregate(crowd.judgments)
        #expect(weighted.converged)
        #expect(
            Fixtures.accuracy(of: weighted, against: crowd.truth)
                > Fixtures.accuracy(of: majority, against: crowd.truth))
        let goodWeight = weighted.skill(of: "w0")?.score ?? 0
        let spammerWeight = weighted.skill(of: "w10")?.score ?? 1
        #expect(goodWeight > 3 * spammerWeight)
    }
}
