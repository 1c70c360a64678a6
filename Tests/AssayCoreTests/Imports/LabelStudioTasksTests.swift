import AssayCore
import Foundation
import Testing

@Suite("Label Studio tasks as judgments")
struct LabelStudioTasksTests {
    @Test("the doc example: one annotation becomes one judgment, started lead_time before it was created")
    func docExample() throws {
        let row = ImportRow(line: 2, fields: [
            "id": 7, "data": ["text": "buy followers"],
            "annotations": [["completed_by": 3, "created_at": "2026-11-02T14:05:00.123456Z", "lead_time": 12.5,
                             "result": [["type": "choices", "value": ["choices": ["spam"]]]]]],
        ])
        let judgments = try LabelStudioTasks.judgments(from: row)
        #expect(judgments.count == 1)
        let judgment = try #require(judgments.first)
        #expect(judgment.itemExternalID == "7" && judgment.annotatorExternalID == "3" && judgment.labels == ["spam"])
        let submitted = try #require(Timestamp.parse("2026-11-02T14:05:00.123Z"))
        #expect(abs(judgment.submittedAt.timeIntervalSince(submitted)) < 0.001)
        #expect(judgment.timeSpentMs == 12_500)
        #expect(judgment.line == 2)
    }

    @Test("users given as objects, cancelled annotations, ratings, taxonomies and text areas")
    func shapes() throws {
        let row = ImportRow(line: 9, fields: [
            "id": "task-1", "data": ["text": "x"],
            "annotations": [
                ["completed_by": ["id": 4, "email": "ana@vendor-b.example"], "created_at": "2026-11-02T10:00:00Z",
                 "result": [["type": "rating", "value": ["rating": 4]],
                            ["type": "textarea", "value": ["text": ["relevant, ", "but dated"]]]]],
                ["completed_by": 5, "created_at": "2026-11-02T10:01:00Z", "was_cancelled": true, "result": []],
                ["completed_by": ["id": 6], "created_at": "2026-11-02T10:02:00Z",
                 "result": [["type": "taxonomy", "value": ["taxonomy": [["Abuse", "Hate"], ["Spam"]]]]]],
            ],
        ])
        let judgments = try LabelStudioTasks.judgments(from: row)
        #expect(judgments.map(\.annotatorExternalID) == ["ana@vendor-b.example", "6"])
        #expect(judgments.map(\.labels) == [["4"], ["Hate", "Spam"]])
        #expect(judgments[0].rationale == "relevant, \nbut dated")
        #expect(judgments[1].startedAt == nil)
        #expect(try JudgmentRows.judgments(from: row).count == 2)
        #expect(try JudgmentRows.judgments(from: ImportRow(line: 1, fields: [
            "item": "a", "worker": "w", "label": "spam", "submitted_at": "2026-11-02T10:00:00Z",
        ])).count == 1)
    }

    @Test("a task Assay exported comes back onto its own item: the external id kept in meta wins over Label Studio's id")
    func metaKeepsTheExternalID() throws {
        let task = ImportRow(line: 2, fields: [
            "id": 4, "data": ["text": "buy followers"], "meta": ["external_id": "c-1", "provenance": "majority"],
            "annotations": [["completed_by": 1, "created_at": "2026-11-02T10:00:00Z",
                             "result": [["type": "choices", "value": ["choices": ["spam"]]]]]],
        ])
        #expect(try ItemRows.draft(from: task).externalID == "c-1")
        #expect(try ItemRows.draft(from: task).content == ["text": "buy followers"])
        #expect(try LabelStudioTasks.judgments(from: task).map(\.itemExternalID) == ["c-1"])
        var own = task
        own.fields["external_id"] = "x-9"
        #expect(try ItemRows.draft(from: own).externalID == "x-9", "a row's own external_id still wins")
    }

    @Test("predictions: the predictor's model version, or the only one; score is the confidence; errors name the field")
    func predictions() throws {
        func task(_ predictions: JSONValue) -> ImportRow {
            ImportRow(line: 3, fields: ["id": 9, "data": ["text": "x"], "predictions": predictions])
        }
        let two = task([
            ["model_version": "v1", "score": 0.91, "result": [["type": "choices", "value": ["choices": ["spam"]]]]],
            ["model_version": "v2", "score": 0.6, "result": [["type": "choices", "value": ["choices": ["none"]]]]],
        ])
        let drafts = try PredictionRows.predictions(from: two, modelVersion: "v2")
        #expect(drafts.count == 1 && drafts[0].itemExternalID == "9" && drafts[0].labels == ["none"] && drafts[0].confidence == 0.6)
        #expect {
            try PredictionRows.predictions(from: two, modelVersion: "v3")
        } throws: { error in
            guard case .invalidInput("predictions", 3, let reason)? = error as? AssayError else { return false }
            return reason.contains("v1, v2")
        }
        let one = task([["model_version": 7, "score": 1, "result": [["type": "rating", "value": ["rating": 4]]]]])
        #expect(try PredictionRows.predictions(from: one, modelVersion: "anything").map(\.labels) == [["4"]])
        #expect(try PredictionRows.predictions(from: task([]), modelVersion: "v1").isEmpty)
        let unscored = task([["model_version": "v1", "result": [["type": "choices", "value": ["choices": ["spam"]]]]]])
        #expect {
            try PredictionRows.predictions(from: unscored, modelVersion: "v1")
        } throws: { error in
            guard case .invalidInput(let field, 3, _)? = error as? AssayError else { return false }
            return field == "predictions[0].score"
        }
        let plain = ImportRow(line: 2, fields: ["item": "c-1", "label": "spam", "confidence": "0.97"])
        #expect(try PredictionRows.predictions(from: plain, modelVersion: "v1").count == 1)
    }

    @Test("an annotation Assay cannot read is refused, naming the task's line and the annotation's field", arguments: [
        (["completed_by": 1, "result": [["value": ["choices": ["spam"]]]]] as JSONValue, "annotations[0].created_at"),
        (["created_at": "2026-11-02T10:00:00Z", "result": []] as JSONValue, "annotations[0].completed_by"),
        (["completed_by": 1, "created_at": "2026-11-02T10:00:00Z", "lead_time": -3,
          "result": [["value": ["choices": ["spam"]]]]] as JSONValue, "annotations[0].lead_time"),
        (["completed_by": 1, "created_at": "2026-11-02T10:00:00Z",
          "result": [["type": "labels", "value": ["start": 0, "end": 4, "labels": ["PER"]]]]] as JSONValue,
         "annotations[0].result"),
        ("not an object" as JSONValue, "annotations[0]"),
        (["completed_by": 1e19, "created_at": "2026-11-02T10:00:00Z",
          "result": [["value": ["choices": ["spam"]]]]] as JSONValue, "annotations[0].completed_by"),
        (["completed_by": 3.5, "created_at": "2026-11-02T10:00:00Z",
          "result": [["value": ["choices": ["spam"]]]]] as JSONValue, "annotations[0].completed_by"),
        (["completed_by": 1, "created_at": "2026-11-02T10:00:00Z",
          "result": [["value": ["rating": 1e19]]]] as JSONValue, "annotations[0].result"),
        // A Label Studio user whose email carries a control character would become a person no one can name.
        (["completed_by": ["email": "ann\u{202E}a@vendor.com"], "created_at": "2026-11-02T10:00:00Z",
          "result": [["value": ["choices": ["spam"]]]]] as JSONValue, "annotations[0].completed_by"),
        // A span's labels beside the choices would be dropped without a word: refused.
        (["completed_by": 1, "created_at": "2026-11-02T10:00:00Z",
          "result": [["type": "choices", "value": ["choices": ["spam"]]],
                     ["type": "labels", "value": ["start": 0, "end": 1, "labels": ["hate"]]]]] as JSONValue,
         "annotations[0].result"),
    ])
    func refused(annotation: JSONValue, field: String) throws {
        let row = ImportRow(line: 4, fields: ["id": 1, "data": ["text": "x"], "annotations": [annotation]])
        #expect {
            try LabelStudioTasks.judgments(from: row)
        } throws: { error in
            guard case .invalidInput(let named, let line, _) = error as? AssayError else { return false }
            return named == field && line == 4
        }
    }

    /// The JSON export of a Label Studio 1.23.2 project (`GET /api/projects/1/export?exportType=JSON`), as it wrote
    /// it: three text tasks, one annotated "spam" with a note, one "hate", one skipped (a cancelled annotation).
    static let labelStudioExport = #"""
        [{"id":1,"annotations":[{"id":1,"completed_by":1,"result":[{"from_name":"label","to_name":"text","type":"choices","value":{"choices":["spam"]}},{"from_name":"note","to_name":"text","type":"textarea","value":{"text":["crypto bait"]}}],"was_cancelled":false,"ground_truth":false,"created_at":"2026-12-03T18:24:13.061218Z","updated_at":"2026-12-03T18:24:13.061261Z","draft_created_at":null,"lead_time":7.25,"prediction":{},"result_count":1,"unique_id":"d6aaf413-94f5-49df-944a-bbd838baaa65","import_id":null,"last_action":null,"bulk_created":false,"task":1,"project":1,"updated_by":1,"parent_prediction":null,"parent_annotation":null,"last_created_by":null}],"drafts":[],"predictions":[],"data":{"text":"follow me for free crypto"},"meta":{},"created_at":"2026-12-03T18:24:09.366659Z","updated_at":"2026-12-03T18:24:13.106699Z","allow_skip":true,"inner_id":1,"total_annotations":1,"cancelled_annotations":0,"total_predictions":0,"comment_count":0,"unresolved_comment_count":0,"last_comment_updated_at":null,"project":1,"updated_by":1,"comment_authors":[]},{"id":2,"annotations":[{"id":2,"completed_by":1,"result":[{"from_name":"label","to_name":"text","type":"choices","value":{"choices":["hate"]}}],"was_cancelled":false,"ground_truth":false,"created_at":"2026-12-03T18:24:13.158865Z","updated_at":"2026-12-03T18:24:13.158906Z","draft_created_at":null,"lead_time":3.0,"prediction":{},"result_count":1,"unique_id":"61a90a17-3046-47d3-adf4-c69596f90872","import_id":null,"last_action":null,"bulk_created":false,"task":2,"project":1,"updated_by":1,"parent_prediction":null,"parent_annotation":null,"last_created_by":null}],"drafts":[],"predictions":[],"data":{"text":"people like you should disappear"},"meta":{},"created_at":"2026-12-03T18:24:09.366753Z","updated_at":"2026-12-03T18:24:13.199406Z","allow_skip":true,"inner_id":2,"total_annotations":1,"cancelled_annotations":0,"total_predictions":0,"comment_count":0,"unresolved_comment_count":0,"last_comment_updated_at":null,"project":1,"updated_by":1,"comment_authors":[]},{"id":3,"annotations":[{"id":3,"completed_by":1,"result":[],"was_cancelled":true,"ground_truth":false,"created_at":"2026-12-03T18:24:13.247578Z","updated_at":"2026-12-03T18:24:13.247617Z","draft_created_at":null,"lead_time":null,"prediction":{},"result_count":0,"unique_id":"cdccc591-9e45-45ef-8c8d-7d3ba6f8b4b7","import_id":null,"last_action":null,"bulk_created":false,"task":3,"project":1,"updated_by":1,"parent_prediction":null,"parent_annotation":null,"last_created_by":null}],"drafts":[],"predictions":[],"data":{"text":"lovely weather"},"meta":{},"created_at":"2026-12-03T18:24:09.366801Z","updated_at":"2026-12-03T18:24:13.294180Z","allow_skip":true,"inner_id":3,"total_annotations":0,"cancelled_annotations":1,"total_predictions":0,"comment_count":0,"unresolved_comment_count":0,"last_comment_updated_at":null,"project":1,"updated_by":1,"comment_authors":[]}]
        """#

    @Test("a real Label Studio 1.23.2 export reads as three items and two judgments")
    func realExport() throws {
        var stream = JSONObjectStream()
        let objects = try stream.feed(Array(Self.labelStudioExport.utf8)) + stream.finish()
        let rows = try objects.map { try ImportRow(jsonLine: $0.bytes, line: $0.line) }
        let items = try rows.map(ItemRows.draft(from:))
        #expect(items.map(\.externalID) == ["1", "2", "3"])
        #expect(items[0].content == ["text": "follow me for free crypto"])
        let judgments = try rows.flatMap(JudgmentRows.judgments(from:))
        #expect(judgments.map(\.itemExternalID) == ["1", "2"])
        #expect(judgments.map(\.labels) == [["spam"], ["hate"]])
        #expect(judgments.map(\.annotatorExternalID) == ["1", "1"])
        #expect(judgments[0].rationale == "crypto bait")
        #expect(judgments.map(\.timeSpentMs) == [7_250, 3_000])
    }
}
