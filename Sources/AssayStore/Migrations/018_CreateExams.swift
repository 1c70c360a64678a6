import FluentKit
import SQLKit

/// Qualification exams, attempts (one in progress per person and exam, by partial unique index), answers (one per
/// attempt and item, by primary key), and the qualifications passing grants (one per person and queue).
struct CreateExams: AsyncMigration {
    let name = "018-create-exams"

    func prepare(on database: any Database) async throws {
        try await database.schema("exams")
            .field("id", .uuid, .identifier(auto: false))
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("item_ids", .string, .required)
            .field("pass_mark", .double, .required)
            .field("qualification_days", .int, .required)
            .field("training", .bool, .required)
            .field("created_at_ms", .int64, .required)
            .unique(on: "queue_id", "name")
            .create()
        try await database.schema("exam_attempts")
            .field("id", .int64, .identifier(auto: true))
            .field("exam_id", .uuid, .required, .references("exams", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("state", .string, .required)
            .field("started_at_ms", .int64, .required)
            .field("finished_at_ms", .int64)
            .field("answered", .int, .required)
            .field("correct", .int, .required)
            .create()
        try await database.schema("exam_answers")
            .field("attempt_id", .int64, .required, .references("exam_attempts", "id", onDelete: .cascade))
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("labels", .string, .required)
            .field("correct", .bool, .required)
            .field("answered_at_ms", .int64, .required)
            .compositeIdentifier(over: "attempt_id", "item_id")
            .create()
        try await database.schema("qualifications")
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("exam_id", .uuid, .required, .references("exams", "id", onDelete: .cascade))
            .field("granted_at_ms", .int64, .required)
            .field("expires_at_ms", .int64, .required)
            .compositeIdentifier(over: "queue_id", "person_id")
            .create()
        try await (database as! any SQLDatabase).raw("""
            CREATE UNIQUE INDEX exam_attempts_one_open ON exam_attempts (exam_id, person_id) WHERE state = 'in_progress'
            """).run()
    }

    func revert(on database: any Database) async throws {
        for table in ["qualifications", "exam_answers", "exam_attempts", "exams"] {
            try await database.schema(table).delete()
        }
    }
}
