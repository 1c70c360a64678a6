import AssayQuality
import Testing

@Suite struct MACETests {
    @Test func docExample() throws {
        let judgments = try Fixtures.posts()
        var rng = SplitMix64(seed: 1)
        let result = try MACE(restarts: 5).aggregate(judgments, gold: nil, using: &rng)
        let competence = try #require(result.skill(of: "ann")?.score)
        #expect(competence > 0 && competence < 1)
    }

    @Test func findsSpammersAndBeatsMajorityVote() throws {
        let crowd = try Fixtures.crowd(
            items: 1000, labels: 3, good: 4, goodAccuracy: 0.75, spammers: 6, biased: 2, perItem: 5, seed: 13)
        let majority = Fixtures.accuracy(of: try MajorityVote().aggregate(crowd.judgments), against: crowd.truth)
        let result = try MACE().aggregate(crowd.judgments)
        #expect(Fixtures.accuracy(of: result, against: crowd.truth) > majority + 0.05)
        let good = result.skill(of: "w0")?.score ?? 0
        let spammer = result.skill(of: "w5")?.score ?? 1
        let biased = result.skill(of: "w10")?.score ?? 1
        #expect(good > 0.5 && spammer < 0.3 && biased < 0.3, "θ: \(good), \(spammer), \(biased)")
    }

    @Test(arguments: [MACE.Fitting.variationalBayes(), .expectationMaximization()])
    func bothFittingsRecoverTheTruth(_ fitting: MACE.Fitting) throws {
        let crowd = try Fixtures.crowd(
            items: 600, labels: 4, good: 5, goodAccuracy: 0.8, spammers: 3, perItem: 4, seed: 21)
        let result = try MACE(restarts: 3, fitting: fitting).aggregate(crowd.judgments)
        #expect(Fixtures.accuracy(of: result, against: crowd.truth) > 0.85)
        #expect(result.workerSkills.allSatisfy { ($0.score ?? -1) >= 0 && ($0.score ?? 2) <= 1 })
        #expect(throws: QualityError.self) {
            try MACE(fitting: .variationalBayes(alpha: 0)).aggregate(crowd.judgments)
        }
    }

    @Test func seededRestartsAreReproducible() throws {
        let crowd = try Fixtures.crowd(
            items: 200, labels: 3, good: 3, goodAccuracy: 0.7, spammers: 3, perItem: 4, seed: 2)
        let first = try MACE(restarts: 4, seed: 99).aggregate(crowd.judgments)
        let second = try MACE(restarts: 4, seed: 99).aggregate(crowd.judgments)
        #expect(first.posteriors == second.posteriors)
        #expect(throws: QualityError.self) { try MACE(restarts: 0).aggregate(crowd.judgments) }
    }
}
