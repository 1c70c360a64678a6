import AssayCore
import AssayLearning
import AssayStore
import AssayTesting
import Foundation
import Testing

/// The built-in classifier on a queue, as a user runs it: trained on final labels and scored on gold, predicting
/// the queue as a predictor, ordering a queue by uncertainty, and finding labels planted wrong.
@Suite("The classifier on a queue")
struct QueueLearningCommandTests {
    @Test("train on final labels, score on gold, predict a queue, order it by uncertainty, and find planted label errors",
          arguments: TestBackend.allCases)
    func queueLearning(on backend: TestBackend) async throws {
        try await CLISandbox.with(backend) { cli in
            let posts = LearningCommandTests.posts(count: 1_700, seed: 5)
            // 1,500 items labelled by one person each, 4% of them wrongly (planted); 200 gold items with the truth.
            var flips = SplitMixFlips(seed: 9)
            let (planted, queueName) = try await cli.store { store -> (Set<String>, String) in
                let queue = try await Fixtures.queue(store, name: "posts")
                _ = try await store.importItems(
                    posts.map { ItemDraft(externalID: $0.id, content: ["text": .string($0.text)]) }, into: queue, now: Date())
                let analyst = try await store.createPerson(
                    PersonDraft(externalID: "ana", name: "Ana", role: .analyst), now: Date())
                _ = try await store.importGold(
                    posts.suffix(200).map { GoldDraft(itemExternalID: $0.id, labels: [$0.label]) }, into: queue, by: analyst,
                    now: Date())
                var planted = Set<String>()
                let judgments = posts.prefix(1_500).enumerated().map { index, post -> ImportedJudgment in
                    var label = post.label
                    if flips.flip(0.04) {
                        label = ["hate", "spam", "none"].filter { $0 != post.label }[index % 2]
                        planted.insert(post.id)
                    }
                    return ImportedJudgment(
                        itemExternalID: post.id, annotatorExternalID: "vendor-\(index % 7)", labels: [label], rationale: nil,
                        startedAt: nil, submittedAt: Date(), line: index + 2)
                }
                _ = try await store.importJudgments(judgments, into: queue, now: Date())
                // One ordinary item repeats a gold item's text: the model must not train on it.
                let goldPost = posts[1_650]
                _ = try await store.importItems(
                    [ItemDraft(externalID: "gold-copy", content: ["text": .string(goldPost.text)])], into: queue, now: Date())
                _ = try await store.importJudgments([
                    ImportedJudgment(
                        itemExternalID: "gold-copy", annotatorExternalID: "vendor-0", labels: [goldPost.label], rationale: nil,
                        startedAt: nil, submittedAt: Date(), line: 2)
                ], into: queue, now: Date())
                _ = try await store.createPerson(PersonDraft(externalID: "arb", name: "Arbi", role: .arbitrator), now: Date())
                return (planted, queue.name)
            }
            #expect(planted.count > 30)

            // Train on the queue, scored on its gold.
            let train = try cli.assay(["train", "--queue", queueName, "--out", "posts.model", "--json"])
            #expect(train.status == 0, "\(train.stderr)")
            let summary = try JSONValue(parsing: Array(train.stdout.utf8))
            // Each text once, and none a gold item has: what was left out adds up to the 1,500 final labels.
            let leftOut = try #require(summary["left_out"]?.objectValue)
            let dropped = ["duplicates", "outvoted", "conflicts", "gold_texts"].compactMap { leftOut[$0]?.doubleValue }.reduce(0, +)
            #expect(summary["examples"]?.doubleValue.map { $0 + dropped } == 1_501, "\(train.stdout)")
            #expect((leftOut["gold_texts"]?.doubleValue ?? 0) >= 1, "the gold copy is not trained on: \(train.stdout)")
            #expect(summary["test"]?["examples"] == 200)
            #expect((summary["test"]?["accuracy"]?.doubleValue ?? 0) > 0.9, "\(train.stdout)")
            let both = try cli.assay(["train", "posts.csv", "--queue", queueName, "--out", "x.model"])
            #expect(both.status != 0 && both.stderr.contains("not both"), "\(both.stderr)")

            // Predict a fresh queue ordered by uncertainty; people then get the least certain items first.
            let fresh = try await cli.store { store in
                let queue = try await store.createQueue(
                    QueueDraft(name: "fresh", schema: Fixtures.safetySchema, ordering: .uncertainty), now: Date())
                let more = LearningCommandTests.posts(count: 300, seed: 77, startID: 50_000)
                _ = try await store.importItems(
                    more.map { ItemDraft(externalID: $0.id, content: ["text": .string($0.text)]) }, into: queue, now: Date())
                return Dictionary(uniqueKeysWithValues: more.map { ($0.id, $0.text) })
            }
            let predict = try cli.assay([
                "predict", "--model", cli.folder.appendingPathComponent("posts.model").path, "--queue", "fresh", "--predictor", "posts-clf@1", "--by", "ana",
            ])
            #expect(predict.status == 0, "\(predict.stderr)")
            #expect(predict.stdout.contains("Predicted 300 items of 'fresh' as posts-clf@1"), "\(predict.stdout)")
            // A queue whose items have no text, and one whose labels the model does not know: refused, nothing stored.
            try await cli.store { store in
                let ads = try await store.createQueue(QueueDraft(name: "ads", schema: Fixtures.safetySchema), now: Date())
                _ = try await store.importItems(
                    [ItemDraft(externalID: "ad-1", content: ["headline": .string("Win big"), "body": .string("Click")])], into: ads, now: Date())
                _ = try await store.createQueue(
                    QueueDraft(name: "other", schema: LabelSchema(kind: .singleChoice, labels: [LabelOption(code: "ok"), LabelOption(code: "not_ok")])), now: Date())
            }
            let model = cli.folder.appendingPathComponent("posts.model").path
            let noText = try cli.assay(["predict", "--model", model, "--queue", "ads", "--predictor", "posts-clf@1", "--by", "ana"])
            #expect(noText.status == 1 && noText.stderr.contains("no item of queue 'ads' has text in text; its items' fields: body, headline"),
                    "\(noText.stderr)")
            let otherLabels = try cli.assay(["predict", "--model", model, "--queue", "other", "--predictor", "posts-clf@1", "--by", "ana"])
            #expect(otherLabels.status == 1 && otherLabels.stderr.contains("it predicts labels queue 'other' does not have"),
                    "\(otherLabels.stderr)")
            #expect(try await cli.store { try await $0.predictors() }.map(\.predictions) == [300], "only the fresh queue's")
            #expect(try cli.assay(["models", "assist", "--queue", "fresh", "--by", "ana", "--predictor", "posts-clf@1"]).status == 0)
            let classifier = try TextClassifier(decoding: Array(try Data(contentsOf: URL(fileURLWithPath: cli.folder.appendingPathComponent("posts.model").path))))
            let order = try await cli.store { store in
                let queue = try await store.queue("fresh")
                let person = try await store.createPerson(PersonDraft(externalID: "al", name: "Al", role: .annotator), now: Date())
                var leased: [String] = []
                for _ in 0..<30 {
                    let lease = try #require(try await store.leaseNextItem(in: queue, for: person, now: Date()))
                    leased.append(lease.item.externalID)
                    try await store.skip(lease.assignment.id, by: person, now: Date())
                }
                return leased
            }
            let uncertainties = order.map { Uncertainty.entropy.score(classifier.predict(fresh[$0]!).probabilities) }
            #expect(zip(uncertainties, uncertainties.dropFirst()).allSatisfy { $0 >= $1 - 1e-9 }, "\(uncertainties)")
            let all = fresh.values.map { Uncertainty.entropy.score(classifier.predict($0).probabilities) }.sorted(by: >)
            #expect(abs(uncertainties[0] - all[0]) < 1e-9, "the most uncertain item of all comes first")

            // Label errors: flagged out of fold, sent to re-review, decided by an arbitrator with the truth.
            let found = try cli.assay([
                "models", "label-errors", "--queue", queueName, "--min-confidence", "0.5", "--review", "--by", "ana",
            ])
            #expect(found.status == 0, "\(found.stderr)")
            let flagged = Set(found.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) })
            let hits = flagged.intersection(planted).count
            #expect(Double(hits) / Double(planted.count) > 0.7, "found \(hits) of \(planted.count) planted errors")
            #expect(Double(hits) / Double(max(1, flagged.count)) > 0.7, "\(flagged.count) flagged, \(hits) planted")
            #expect(found.stderr.contains("sent to re-review"), "\(found.stderr)")
            let truth = Dictionary(uniqueKeysWithValues: posts.map { ($0.id, $0.label) })
            try await cli.store { store in
                let queue = try await store.queue(queueName)
                let arbitrator = try await store.person(externalID: "arb")
                let files = try await store.arbitrationFiles(in: queue, state: .open, after: nil, limit: 1_000, now: Date())
                #expect(files.count == flagged.count)
                for file in files {
                    _ = try await store.decide(
                        file.arbitrationCase.id, labels: [truth[file.item.externalID]!], rationale: nil, promoteToGold: false,
                        by: arbitrator, now: Date())
                }
            }
            let report = try cli.assay(["models", "label-errors", "--queue", queueName, "--report"])
            #expect(report.status == 0, "\(report.stderr)")
            let figures = try JSONValue(parsing: Array(report.stdout.utf8))
            #expect(figures["flagged"]?.doubleValue == Double(flagged.count))
            #expect(figures["overturned"]?["answered"]?.doubleValue == Double(flagged.count))
            #expect(figures["overturned"]?["correct"]?.doubleValue == Double(hits), "\(report.stdout)")
        }
    }
}

/// Seeded coin flips for planting errors.
struct SplitMixFlips {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func flip(_ probability: Double) -> Bool {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53) < probability
    }
}
