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
                // A gold item with the text of p-9 (p-9 itself was labelled by people): p-9 stays out of the
                // training data, as `assay train --queue` leaves it out, so that the gold stays a held-out test.
                _ = try await store.importItems([ItemDraft(externalID: "gold-1", content: ["text": "Post number 9 "])], into: queue, now: Date())
                let admin = try await store.createPerson(PersonDraft(name: "Ada", role: .admin), now: Date())
                _ = try await store.importGold([GoldDraft(itemExternalID: "gold-1", labels: ["none"])], into: queue, by: admin, now: Date())
            }
            let written = try cli.assay(["export", "--queue", "posts", "--training", "--out-dir", "data", "--splits", "80/10/10"])
            #expect(written.status == 0, "\(written.stderr)")
            #expect(written.stdout.contains("Wrote 98 of 101 labelled items to data: 80 train, 9 validation, 9 test; left out: 0 duplicates, 0 copies labelled otherwise than most copies of their text, 2 copies of texts with no majority label, 1 copy of a text that is also gold (the held-out test)."), "\(written.stdout)")
            let everyText = try ["train", "validation", "test"].map {
                try String(contentsOf: cli.folder.appendingPathComponent("data/\($0).jsonl"), encoding: .utf8)
            }.joined()
            #expect(!everyText.contains("\"p-9\""), "the gold text's copy is left out")
            let test = try String(contentsOf: cli.folder.appendingPathComponent("data/test.jsonl"), encoding: .utf8)
            let rows = try test.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
            #expect(rows.count == 9 && rows.allSatisfy { $0["split"] == "test" && $0["provenance"] == "unanimous" })
            #expect(rows.filter { $0["labels"] == ["spam"] }.count == 2, "a tenth of the 24 spam texts, rounded: stratified")
            let csv = try cli.assay(["export", "--queue", "posts", "--training", "--out-dir", "csv", "--format", "csv"])
            #expect(csv.status == 0)
            let header = try String(contentsOf: cli.folder.appendingPathComponent("csv/train.csv"), encoding: .utf8).split(separator: "\n")[0]
            #expect(header == "external_id,text,labels,split,provenance,confidence,judgment_count,decided_at")
            let onAFile = try cli.assay(["export", "--queue", "posts", "--training", "--out-dir", "data/test.jsonl"])
            #expect(onAFile.status == 1 && onAFile.stderr.contains("data/test.jsonl: is a file; --out-dir names a folder"), "\(onAFile.stderr)")
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
            #expect(refused.status != 0 && refused.stderr.contains("responses: has 1 entry; this queue compares 2 (A, B)"), "\(refused.stderr)")
            // Found before anything is stored, with its line, when it comes batches after good rows.
            let good = (1...7).map { #"{"external_id": "g-\#($0)", "prompt": "Hi", "responses": ["Hello", "Hey"]}"# }
            let late = try cli.write("late.jsonl", (good + [#"{"external_id": "g-8", "prompt": "Hi"}"#]).joined(separator: "\n"))
            let refusedLate = try cli.assay(["import", late, "--queue", "rlhf", "--batch-size", "3"])
            #expect(refusedLate.status != 0 && refusedLate.stderr.contains("late.jsonl:8:"), "\(refusedLate.stderr)")
            #expect(try await cli.store { try await $0.items(in: try await $0.queue("rlhf").id, after: nil, limit: 10) }.isEmpty)
            let items = try cli.write("items.jsonl", """
                {"external_id": "r-1", "prompt": "Capital of France?", "responses": ["Paris.", "Lyon, obviously."]}
                {"external_id": "r-2", "prompt": "Say hi", "response_a": "Go away.", "response_b": "Hello! How can I help?"}
                {"external_id": "r-3", "prompt": "2+2?", "responses": ["4", "5"]}
                {"external_id": "r-4", "prompt": "Capital of  France?", "responses": ["Paris.", "Lyon, obviously."]}
                {"external_id": "r-5", "prompt": "2+2?", "responses": ["5", "4"]}
                """)
            #expect(try cli.assay(["import", items, "--queue", "rlhf"]).status == 0)
            var rows = "item_external_id,annotator_external_id,label,rationale,submitted_at\n"
            // r-4 asks r-1's question again and is decided the same way (a copy); r-3 and r-5 decide 2+2 both ways.
            for (item, votes) in [("r-1", ["A", "A", "B"]), ("r-2", ["B", "B", "B"]), ("r-3", ["A", "B", "B"]),
                                  ("r-4", ["A", "A", "A"]), ("r-5", ["B", "B", "A"])] {
                for (index, vote) in votes.enumerated() { rows += "\(item),rater-\(index),\(vote),clearer answer,2026-11-30T10:00:0\(index)Z\n" }
            }
            #expect(try cli.assay(["import", try cli.write("judgments.csv", rows), "--queue", "rlhf", "--judgments"]).status == 0)
            let exported = try cli.assay(["export", "--queue", "rlhf", "--preferences", "--out", "pairs.jsonl"])
            #expect(exported.status == 0, "\(exported.stderr)")
            #expect(exported.stdout.contains(
                "Wrote 2 distinct chosen/rejected pairs from 2 items to pairs.jsonl; left out of 5: 1 copies of pairs written, 0 the other way round from most copies, 2 decided as often each way, 0 of two identical responses."),
                "\(exported.stdout)")
            let lines = try String(contentsOf: cli.folder.appendingPathComponent("pairs.jsonl"), encoding: .utf8).split(separator: "\n")
            let pairs = try lines.map { try JSONDecoder().decode(PreferencePair.self, from: Data($0.utf8)) }
            #expect(pairs.map(\.chosen) == ["Paris.", "Hello! How can I help?"])
            #expect(pairs.map(\.rejected) == ["Lyon, obviously.", "Go away."])
            #expect(pairs.map(\.agreement).map { ($0 * 100).rounded() } == [67, 100])
            #expect(pairs.map(\.provenance) == ["majority", "unanimous"])
            let notPreference = try cli.assay(["export", "--queue", "rlhf", "--preferences", "--training", "--out-dir", "x"])
            #expect(notPreference.status != 0)
        }
    }

    @Test("Label Studio tasks: one JSON array of the decided items, choices or rating results, Assay's record in meta",
          arguments: TestBackend.allCases)
    func labelStudioTasks(on backend: TestBackend) async throws {
        try await CLISandbox.with(backend) { cli in
            let items = try cli.write("items.jsonl", """
                {"external_id": "c-1", "text": "buy followers now", "market": "BR", "language": "pt-BR"}
                {"external_id": "c-2", "text": "nice photo"}
                {"external_id": "c-3", "text": "you people are vermin"}
                """)
            #expect(try cli.assay(["queues", "create", try cli.write("q.json", """
                {"name": "posts", "overlap": 2, "schema": {"kind": "single_choice",
                 "labels": [{"code": "spam", "name": "Spam"}, {"code": "hate", "name": "Hate"}, {"code": "none", "name": "None"}]}}
                """)]).status == 0)
            #expect(try cli.assay(["import", items, "--queue", "posts"]).status == 0)
            let judgments = """
                item_external_id,annotator_external_id,label,submitted_at
                c-1,a,spam,2026-11-30T10:00:00Z
                c-1,b,spam,2026-11-30T10:01:00Z
                c-2,a,none,2026-11-30T10:02:00Z
                c-2,b,hate,2026-11-30T10:03:00Z
                c-3,a,hate,2026-11-30T10:04:00Z
                c-3,b,hate,2026-11-30T10:05:00Z
                """
            #expect(try cli.assay(["import", try cli.write("j.csv", judgments), "--queue", "posts", "--judgments"]).status == 0)
            let exported = try cli.assay(["export", "--queue", "posts", "--label-studio", "--from-name", "verdict", "--out", "tasks.json"])
            #expect(exported.status == 0, "\(exported.stderr)")
            #expect(exported.stdout.contains("Wrote 2 decided items"), "c-2 is a tie, unresolved: \(exported.stdout)")
            // The final labels export keeps the tie as a row, and says it has no label.
            let labels = try cli.assay(["export", "--queue", "posts", "--out", "labels.jsonl"])
            #expect(labels.stdout.contains("Wrote 3 final labels to labels.jsonl (1 unresolved, without a label"), "\(labels.stdout)")
            let text = try String(contentsOf: cli.folder.appendingPathComponent("tasks.json"), encoding: .utf8)
            guard case .array(let tasks) = try JSONValue(parsing: Array(text.utf8)) else {
                Issue.record("not one JSON array: \(text.prefix(200))")
                return
            }
            #expect(tasks.count == 2)
            #expect(tasks[0]["data"] == ["text": "buy followers now"])
            #expect(tasks[0]["meta"]?["external_id"] == "c-1" && tasks[0]["meta"]?["provenance"] == "unanimous")
            let region = tasks[1]["predictions"]?[0]?["result"]?[0]
            #expect(tasks[1]["predictions"]?[0]?["model_version"] == "assay" && tasks[1]["predictions"]?[0]?["score"] == 1)
            #expect(region == ["from_name": "verdict", "to_name": "text", "type": "choices", "value": ["choices": ["hate"]]])
            // The file reads back as Label Studio tasks: an array of objects, each with its line.
            var stream = JSONObjectStream()
            #expect(try (stream.feed(Array(text.utf8)) + stream.finish()).map(\.line) == [2, 3])
            // Imported into a new queue, its items keep their market and language, which routing needs.
            #expect(try cli.assay(["queues", "create", try cli.write("q2.json", """
                {"name": "back", "schema": {"kind": "single_choice",
                 "labels": [{"code": "spam", "name": "Spam"}, {"code": "hate", "name": "Hate"}, {"code": "none", "name": "None"}]}}
                """)]).status == 0)
            #expect(try cli.assay(["import", "tasks.json", "--queue", "back"]).status == 0)
            let back = try await cli.store { store in try await store.items(in: try await store.queue("back").id, after: nil, limit: 10) }
            #expect(back.map(\.externalID) == ["c-1", "c-3"] && back[0].market == "BR" && back[0].language == "pt-BR", "\(back)")
            #expect(back[1].market == nil && back[1].language == nil)

            // A rating queue gives rating results; an empty queue an empty array.
            #expect(try cli.assay(["queues", "create", try cli.write("r.json", """
                {"name": "relevance", "overlap": 1, "schema": {"kind": "rating",
                 "labels": [{"code": "1", "name": "Off"}, {"code": "2", "name": "Weak"}, {"code": "3", "name": "Good"}]}}
                """)]).status == 0)
            let empty = try cli.assay(["export", "--queue", "relevance", "--label-studio"])
            #expect(empty.status == 0 && empty.stdout == "[]\n", "\(empty.stdout)")
            #expect(try cli.assay(["import", items, "--queue", "relevance"]).status == 0)
            let rated = "item_external_id,annotator_external_id,label,submitted_at\nc-1,a,3,2026-11-30T10:00:00Z\n"
            #expect(try cli.assay(["import", try cli.write("r.csv", rated), "--queue", "relevance", "--judgments"]).status == 0)
            let ratings = try cli.assay(["export", "--queue", "relevance", "--label-studio"])
            guard case .array(let ratedTasks) = try JSONValue(parsing: Array(ratings.stdout.utf8)) else {
                Issue.record("not one JSON array: \(ratings.stdout.prefix(200))")
                return
            }
            #expect(ratedTasks.first?["predictions"]?[0]?["result"]?[0]?["value"] == ["rating": 3])
            #expect(ratedTasks.first?["predictions"]?[0]?["result"]?[0]?["type"] == "rating")
            let both = try cli.assay(["export", "--queue", "posts", "--label-studio", "--preferences"])
            #expect(both.status != 0 && both.stderr.contains("choose one"), "\(both.stderr)")
        }
    }
}
