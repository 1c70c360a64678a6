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

    @Test("an annotation Assay cannot read is refused, naming the task's line and the annotation's field", arguments: [
        (["completed_by": 1, "result": [["value": ["choices": ["spam"]]]]] as JSONValue, "annotations[0].created_at"),
        (["created_at": "2026-11-02T10:00:00Z", "result": []] as JSONValue, "annotations[0].completed_by"),
        (["completed_by": 1, "created_at": "2026-11-02T10:00:00Z", "lead_time": -3,
          "result": [["value": ["choices": ["spam"]]]]] as JSONValue, "annotations[0].lead_time"),
        (["completed_by": 1, "created_at": "2026-11-02T10:00:00Z",
          "result": [["type": "labels", "value": ["start": 0, "end": 4, "labels": ["PER"]]]]] as JSONValue,
         "annotations[0].result"),
        ("not an object" as JSONValue, "annotations[0]"),
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
}
