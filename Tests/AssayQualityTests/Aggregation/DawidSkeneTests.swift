import AssayQuality
import Testing

@Suite struct DawidSkeneTests {
    @Test func docExample() throws {
        let judgments = try Fixtures.posts()
        let result = try DawidSkene(maxIterations: 50).aggregate(judgments)
        #expect(result.label(of: "post-1") == "spam")
        #expect(result.skill(of: "ann")?.confusion?.count == 4)
        #expect(result.converged)
    }

    /// Good workers, uniform spammers and a worker who always answers the first label: Dawid–Skene learns to
    /// ignore the spammers and to discount the biased worker, so it beats majority vote clearly.
    @Test func recoversTruthBetterThanMajorityVote() throws {
        let crowd = try Fixtures.crowd(
            items: 2000, labels: 3, good: 4, goodAccuracy: 0.75, spammers: 6, biased: 2, perItem: 5, seed: 7)
        let majority = Fixtures.accuracy(of: try MajorityVote().aggregate(crowd.judgments), against: crowd.truth)
        let result = try DawidSkene().aggregate(crowd.judgments)
        let dawidSkene = Fixtures.accuracy(of: result, against: crowd.truth)
        #expect(dawidSkene > majority + 0.05, "DS \(dawidSkene) vs MV \(majority)")
        #expect(result.converged)
        #expect(result.iterations > 1 && result.iterations < 100)
        #expect(result.logLikelihood.map(\.isFinite) == true)
        // The biased worker answers label 0 whatever the truth: P(answer l0 | truth l2) ≈ 1.
        #expect((result.skill(of: "w10")?.probability(ofAnswer: 0, givenTruth: 2) ?? 0) > 0.95)
        let good = result.skill(of: "w0")?.accuracy ?? 0
        let spammer = result.skill(of: "w5")?.accuracy ?? 1
        #expect(abs(good - 0.75) < 0.05)
        #expect(spammer < 0.45)
    }

    @Test func zeroIterationsReturnsTheMajorityVoteInitialisation() throws {
        let crowd = try Fixtures.crowd(
            items: 200, labels: 3, good: 3, goodAccuracy: 0.8, spammers: 2, perItem: 3, seed: 3)
        let initial = try DawidSkene(maxIterations: 0).aggregate(crowd.judgments)
        let majority = try MajorityVote().aggregate(crowd.judgments)
        #expect(initial.labelIndices == majority.labelIndices)
        #expect(initial.posteriors == majority.posteriors)
        #expect(!initial.converged)
    }

    @Test func smoothingKeepsConfusionsAwayFromZero() throws {
        let judgments = try Fixtures.posts()
        let result = try DawidSkene(smoothing: 1).aggregate(judgments)
        let confusion = try #require(result.skill(of: "ann")?.confusion)
        #expect(confusion.allSatisfy { $0 > 0.05 })
        #expect(throws: QualityError.self) { try DawidSkene(smoothing: -1).aggregate(judgments) }
    }

    @Test func goldCalibratesWorkers() throws {
        // Two workers always disagree; gold on two items tells which one is right.
        var triples: [(item: String, worker: String, label: String)] = []
        for item in 0..<20 {
            let truth = item % 2 == 0 ? "a" : "b"
            let wrong = truth == "a" ? "b" : "a"
            triples.append((item: "i\(item)", worker: "right", label: truth))
            triples.append((item: "i\(item)", worker: "wrong", label: wrong))
        }
        let judgments = try JudgmentMatrix(triples: triples)
        let result = try DawidSkene().aggregate(judgments, gold: GoldLabels(["i0": "a", "i1": "b"]))
        #expect((2..<20).allSatisfy { result.label(of: "i\($0)") == ($0 % 2 == 0 ? "a" : "b") })
        #expect((result.skill(of: "right")?.accuracy ?? 0) > 0.9)
    }
}
