import AssayQuality
import Testing

/// Every aggregator, for the tests that hold for all of them.
let allAggregators: [(String, any LabelAggregator)] = [
    ("mv", MajorityVote()), ("wmv", WeightedMajorityVote()), ("ds", DawidSkene()), ("ods", OneCoinDawidSkene()),
    ("glad", GLAD()), ("mace", MACE(restarts: 3)),
]

@Suite struct LabelAggregatorTests {
    @Test func protocolDocExample() throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "post-1", worker: "ann", label: "spam"), (item: "post-1", worker: "bob", label: "spam"),
            (item: "post-1", worker: "cat", label: "ham"),
        ])
        let method = "ds"
        let aggregator: any LabelAggregator =
            switch method {
            case "mv": MajorityVote()
            case "ds": DawidSkene(maxIterations: 50)
            default: MACE()
            }
        let result = try aggregator.aggregate(judgments, gold: nil)
        #expect(result.label(of: "post-1") == "spam")
    }

    @Test func resultDocExample() throws {
        let judgments = try Fixtures.posts()
        let result = try MajorityVote().aggregate(judgments)
        #expect(result.label(of: "post-1") == "spam")
        #expect(isClose(result.confidence(of: "post-1") ?? 0, 2.0 / 3))
        #expect(result.skill(of: "cat")?.accuracy == 0.5)
        #expect(result.label(of: "post-9") == nil)
        #expect(result.skill(of: "zed") == nil)
        #expect(result.posterior(of: "post-1")?["ham"].map { isClose($0, 1.0 / 3) } == true)
    }

    @Test(arguments: allAggregators)
    func emptyInputIsAnError(name: String, aggregator: any LabelAggregator) throws {
        #expect(throws: QualityError.empty) { try aggregator.aggregate(JudgmentMatrix(triples: [])) }
    }

    @Test(arguments: allAggregators)
    func oneLabelOnlyIsCertain(name: String, aggregator: any LabelAggregator) throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "a", worker: "ann", label: "ok"), (item: "a", worker: "bob", label: "ok"),
            (item: "b", worker: "ann", label: "ok"),
        ])
        let result = try aggregator.aggregate(judgments)
        #expect(result.label(of: "a") == "ok" && result.label(of: "b") == "ok")
        #expect(result.confidence(of: "b") == 1)
        #expect(result.skill(of: "ann")?.accuracy == 1)
    }

    @Test(arguments: allAggregators)
    func oneRaterIsFollowed(name: String, aggregator: any LabelAggregator) throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "a", worker: "ann", label: "x"), (item: "b", worker: "ann", label: "y"),
            (item: "c", worker: "ann", label: "x"),
        ])
        let result = try aggregator.aggregate(judgments)
        #expect(["a", "b", "c"].map { result.label(of: $0) } == ["x", "y", "x"], "\(name)")
        #expect(result.posteriors.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(result.workerSkills.allSatisfy { $0.accuracy.isFinite })
    }

    @Test(arguments: allAggregators)
    func goldClampsKnownItems(name: String, aggregator: any LabelAggregator) throws {
        let judgments = try Fixtures.posts()
        let gold = GoldLabels(["post-1": "ham", "unknown-item": "spam"])
        let result = try aggregator.aggregate(judgments, gold: gold)
        #expect(result.label(of: "post-1") == "ham", "\(name)")
        #expect(result.confidence(of: "post-1") == 1)
        #expect(throws: QualityError.self) {
            try aggregator.aggregate(judgments, gold: GoldLabels(["post-1": "eggs"]))
        }
    }

    @Test(arguments: allAggregators)
    func posteriorsAreDistributions(name: String, aggregator: any LabelAggregator) throws {
        let crowd = try Fixtures.crowd(
            items: 300, labels: 3, good: 3, goodAccuracy: 0.8, spammers: 3, biased: 1, perItem: 4, seed: 9)
        let result = try aggregator.aggregate(crowd.judgments)
        for item in 0..<crowd.judgments.itemCount {
            let row = result.posterior(ofItemAt: item)
            #expect(isClose(row.reduce(0, +), 1, within: 1e-9))
            #expect(row.allSatisfy { $0.isFinite && $0 >= 0 })
            #expect(result.confidence(ofItemAt: item) == row.max())
        }
        for skill in result.workerSkills {
            #expect(skill.accuracy >= 0 && skill.accuracy <= 1)
            if let confusion = skill.confusion {
                for truth in 0..<3 {
                    #expect(isClose(confusion[(truth * 3)..<(truth * 3 + 3)].reduce(0, +), 1, within: 1e-6))
                }
            }
        }
        #expect(result.iterations >= 0)
    }
}
