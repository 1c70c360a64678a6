import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// `assay export --training` and `--preferences` as a user runs them.
@Suite("assay export: training data and preference pairs")
struct TrainingExportCommandTests {
    @Test("training data: de-duplicated, stratified train/validation/test files with provenance", arguments: TestBackend.allCases)
    func trainingData(on backend: TestBackend) async throws {
        try await CLISandbox.with(backend) { cli in
            try await cli.store { store in
                let queue = try await Fixtures.queue(store, name: "posts")
                var drafts = (1...100).map { ItemDraft(externalID: "p-\($0)", content: ["text": .string("post number \($0)")]) }
                drafts.append(ItemDraft(externalID: "copy-1", content: ["text": "POST  number 7"]))     // a copy of p-7
                _ = try await store.importItems(drafts, into: queue, now: Date())
                let judgments = drafts.enumerated().map { index, draft in
                    ImportedJudgment(
                        itemExternalID: draft.externalID, annotatorExternalID: "v-\(index % 3)",
                        labels: [draft.externalID == "copy-1" ? "spam" : (index % 4 == 0 ? "spam" : "none")], rationale: nil,
                        startedAt: nil, submittedAt: Date(), line: index + 2)
                }
                _ = try await store.importJudgments(judgments, into: queue, now: Date())
            }
            let written = try cli.assay(["export", "--queue", "posts", "--training", "--out-dir", "data", "--splits", "80/10/10"])
            #expect(written.status == 0, "\(written.stderr)")
            #expect(written.stdout.contains("Wrote 99 of 101 labelled items to data: 79 train, 10 validation, 10 test; 0 duplicates and 2 items with conflicting labels left out."), "\(written.stdout)")
            let test = try String(contentsOf: cli.folder.appendingPathComponent("data/test.jsonl"), encoding: .utf8)
            let rows = try test.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
            #expect(rows.count == 10 && rows.allSatisfy { $0["split"] == "test" && $0["provenance"] == "unanimous" })
            #expect(rows.filter { $0["labels"] == ["spam"] }.count == 3, "a tenth of the 25 spam texts, rounded: stratified")
            let csv = try cli.assay(["export", "--queue", "posts", "--training", "--out-dir", "csv", "--format", "csv"])
            #expect(csv.status == 0)
            let header = try String(contentsOf: cli.folder.appendingPathComponent("csv/train.csv"), encoding: .utf8).split(separator: "\n")[0]
            #expect(header == "external_id,text,labels,split,provenance,confidence,judgment_count,decided_at")
            let bad = try cli.assay(["export", "--queue", "posts", "--training", "--out-dir", "x", "--splits", "80/30/10"])
            #expect(bad.status != 0 && bad.stderr.contains("splits"), "\(bad.stderr)")
        }
    }

    @Test("a preference queue: items need a prompt and a response per label; decided items export as chosen/rejected pairs",
          arguments: TestBackend.allCases)
    func preferencePairs(on backend: TestBackend) async throws {
        try await CLISandbox.with(backend) { cli in
            let queue = try cli.write("queue.json", """
                {"name": "rlhf", "overlap": 3, "schema": {"kind": "preference", "rationale": "required",
                 "labels": [{"code": "A", "name": "Response A"}, {"code": "B", "name": "Response B"}]}}
                """)
            #expect(try cli.assay(["queues", "create", queue]).status == 0)
            let missing = try cli.write("bad.jsonl", #"{"external_id": "x-1", "prompt": "Hi", "responses": ["Hello"]}"#)
            let refused = try cli.assay(["import", missing, "--queue", "rlhf"])
            #expect(refused.status != 0 && refused.stderr.contains("needs a response for 'B'"), "\(refused.stderr)")
            let items = try cli.write("items.jsonl", """
                {"external_id": "r-1", "prompt": "Capital of France?", "responses": ["Paris.", "Lyon, obviously."]}
                {"external_id": "r-2", "prompt": "Say hi", "response_a": "Go away.", "response_b": "Hello! How can I help?"}
                {"external_id": "r-3", "prompt": "2+2?", "responses": ["4", "5"]}
                """)
            #expect(try cli.assay(["import", items, "--queue", "rlhf"]).status == 0)
            var rows = "item_external_id,annotator_external_id,label,rationale,submitted_at\n"
            for (item, votes) in [("r-1", ["A", "A", "B"]), ("r-2", ["B", "B", "B"]), ("r-3", ["A", "B", "B"])] {
                for (index, vote) in votes.enumerated() { rows += "\(item),rater-\(index),\(vote),clearer answer,2026-11-30T10:00:0\(index)Z\n" }
            }
            #expect(try cli.assay(["import", try cli.write("judgments.csv", rows), "--queue", "rlhf", "--judgments"]).status == 0)
            let exported = try cli.assay(["export", "--queue", "rlhf", "--preferences", "--out", "pairs.jsonl"])
            #expect(exported.status == 0, "\(exported.stderr)")
            #expect(exported.stdout.contains("Wrote 3 chosen/rejected pairs from 3 decided items"), "\(exported.stdout)")
            let lines = try String(contentsOf: cli.folder.appendingPathComponent("pairs.jsonl"), encoding: .utf8).split(separator: "\n")
            let pairs = try lines.map { try JSONDecoder().decode(PreferencePair.self, from: Data($0.utf8)) }
            #expect(pairs.map(\.chosen) == ["Paris.", "Hello! How can I help?", "5"])
            #expect(pairs.map(\.rejected) == ["Lyon, obviously.", "Go away.", "4"])
            #expect(pairs.map(\.agreement).map { ($0 * 100).rounded() } == [67, 100, 67])
            let notPreference = try cli.assay(["export", "--queue", "rlhf", "--preferences", "--training", "--out-dir", "x"])
            #expect(notPreference.status != 0)
        }
    }
}
