import AssayCore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

/// A Label Studio JSON export brought in over HTTP: its tasks as items, its annotations as judgments.
@Suite("Label Studio import")
struct LabelStudioImportTests {
    /// Three tasks as Label Studio exports them: two annotated (one annotation cancelled), one not yet.
    static let export = #"""
        [
          {"id": 101, "data": {"text": "follow me for free crypto"}, "meta": {}, "created_at": "2026-11-02T09:00:00.123456Z",
           "annotations": [
             {"id": 1, "completed_by": 1, "created_at": "2026-11-02T10:00:00.500000Z", "lead_time": 9.5,
              "was_cancelled": false,
              "result": [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["spam"]}},
                         {"from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": ["crypto bait"]}}]},
             {"id": 2, "completed_by": {"id": 2, "email": "ana@vendor-b.example"}, "created_at": "2026-11-02T10:05:00Z",
              "lead_time": 4, "result": [{"type": "choices", "value": {"choices": ["spam"]}}]}
           ],
           "predictions": [{"model_version": "v1", "score": 0.9,
                            "result": [{"type": "choices", "value": {"choices": ["spam"]}}]}]},
          {"id": 102, "data": {"text": "people like you should disappear"},
           "annotations": [
             {"completed_by": 1, "created_at": "2026-11-02T11:00:00Z", "result": [{"type": "choices", "value": {"choices": ["hate"]}}]},
             {"completed_by": 3, "created_at": "2026-11-02T11:01:00Z", "was_cancelled": true, "result": []},
             {"completed_by": {"id": 2, "email": "ana@vendor-b.example"}, "created_at": "2026-11-02T11:02:00Z",
              "result": [{"type": "choices", "value": {"choices": ["harassment"]}}]}
           ]},
          {"id": 103, "data": {"text": "lovely weather"}, "annotations": []}
        ]
        """#

    /// The line of the export on which `text` first appears.
    static func line(of text: String) -> Int {
        Self.export[..<Self.export.range(of: text)!.lowerBound].filter { $0 == "\n" }.count + 1
    }

    @Test("items and judgments from one export, and back out as tasks; a bad annotation or a broken array changes nothing",
          arguments: TestBackend.allCases)
    func importsAnExport(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            _ = try await Fixtures.queue(server.store, overlap: 2)
            let body = Data(Self.export.utf8)
            let items = try await server.request(.POST, "/api/v1/queues/comments-en/items", body: body)
            #expect(items.status == .created, "\(items.text)")
            #expect(try items.object()["inserted"] == 3)
            let judgments = try await server.request(.POST, "/api/v1/queues/comments-en/judgments", body: body)
            #expect(judgments.status == .created, "\(judgments.text)")
            #expect(try judgments.object()["inserted"] == 4, "the cancelled annotation is left out")
            // Importing the same export again adds nothing.
            let again = try await server.request(.POST, "/api/v1/queues/comments-en/items", body: body)
            #expect(try again.object()["inserted"] == 0)

            let export = try await server.request(.GET, "/api/v1/queues/comments-en/export?format=jsonl")
            let lines = export.text.split(separator: "\n").map { try! JSONValue(parsing: Array($0.utf8)) }
            let byID = Dictionary(uniqueKeysWithValues: lines.map { ($0["external_id"]!.stringValue!, $0) })
            #expect(byID["101"]?["labels"] == ["spam"])
            #expect(byID["102"]?["unresolved_reason"] == "tie")
            #expect(byID["103"] == nil, "no judgments, no final label")

            let activity = try await server.request(.GET, "/api/v1/queues/comments-en/stats").object()
            #expect(activity["judgments"] == 4)

            // Bad input: an annotation without its time, and an array missing a comma. Each names where.
            let broken = Self.export.replacingOccurrences(of: #""created_at": "2026-11-02T11:00:00Z", "#, with: "")
            let refused = try await server.request(.POST, "/api/v1/queues/comments-en/judgments", body: Data(broken.utf8))
            #expect(refused.status == .unprocessableEntity)
            let task102 = Self.line(of: #"{"id": 102"#)
            #expect(refused.reason.contains("line \(task102): annotations[0].created_at"), "\(refused.reason)")
            // A label the queue lacks names the annotation it is in, not only the task's first line.
            let unknown = Self.export.replacingOccurrences(of: #"{"choices": ["crypto"]}"#, with: "").replacingOccurrences(
                of: #""lead_time": 4, "result": [{"type": "choices", "value": {"choices": ["spam"]}}]"#,
                with: #""lead_time": 4, "result": [{"type": "choices", "value": {"choices": ["bogus"]}}]"#)
            let badLabel = try await server.request(.POST, "/api/v1/queues/comments-en/judgments", body: Data(unknown.utf8))
            let task101 = Self.line(of: #"{"id": 101"#)
            #expect(badLabel.status == .unprocessableEntity && badLabel.reason.hasPrefix("line \(task101): annotation 2 (annotations[1]): labels: "),
                    "\(badLabel.reason)")
            let unjoined = Self.export.replacingOccurrences(of: "]},\n  {\"id\": 103", with: "]}\n  {\"id\": 103")
            let malformed = try await server.request(.POST, "/api/v1/queues/comments-en/items", body: Data(unjoined.utf8))
            #expect(malformed.status == .unprocessableEntity)
            let task103 = Self.line(of: #"{"id": 103"#)
            #expect(malformed.reason.contains("line \(task103)") && malformed.reason.contains("expected ','"), "\(malformed.reason)")
            let after = try await server.request(.GET, "/api/v1/queues/comments-en/stats").object()
            #expect(after["judgments"] == 4 && after["items"] == 3)

            // The tasks' predictions are a predictor's, by its model version.
            let predictions = try await server.request(
                .POST, "/api/v1/queues/comments-en/predictions?predictor=toxicity@v1", body: body)
            #expect(predictions.status == .ok, "\(predictions.reason)")
            #expect(try predictions.object()["received"] == 1)
            let unversioned = try await server.request(
                .POST, "/api/v1/queues/comments-en/predictions?predictor=toxicity@v9", body: body)
            #expect(unversioned.status == .ok, "one prediction per task is taken whatever its version: \(unversioned.text)")

            // Out again as Label Studio tasks: the decided item only, its label, Assay's ids in meta.
            let out = try await server.request(.GET, "/api/v1/queues/comments-en/export/label-studio?from_name=verdict")
            #expect(out.status == .ok && out.headers.first(name: "Content-Type")?.hasPrefix("application/json") == true)
            guard case .array(let tasks) = try JSONValue(parsing: Array(out.body)) else {
                Issue.record("not one JSON array: \(out.text.prefix(200))")
                return
            }
            #expect(tasks.count == 1, "102 is a tie, 103 has no judgments")
            #expect(tasks.first?["meta"]?["external_id"] == "101" && tasks.first?["data"] == ["text": "follow me for free crypto"])
            #expect(tasks.first?["predictions"]?[0]?["result"]?[0]?["from_name"] == "verdict")
            // Sent back, the tasks land on their own items (the external id in meta), adding nothing.
            let back = try await server.request(.POST, "/api/v1/queues/comments-en/items", body: out.body)
            let duplicates = try back.object()["duplicates"]
            #expect(back.status == .ok && duplicates == 1, "\(back.text)")
            let unnamed = try await server.request(.GET, "/api/v1/queues/comments-en/export/label-studio?to_name=")
            #expect(unnamed.status == .unprocessableEntity && unnamed.reason.contains("to_name"), "\(unnamed.reason)")
            let annotator = try await Fixtures.token(server.store, role: .annotator, name: "Ann")
            let forbidden = try await server.request(.GET, "/api/v1/queues/comments-en/export/label-studio", token: annotator)
            #expect(forbidden.status == .forbidden)
        }
    }
}
