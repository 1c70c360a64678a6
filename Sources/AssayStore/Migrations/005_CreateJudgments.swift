import AssayCore
import FluentKit
import SQLKit

/// Judgments. One per (item, annotator), and one per (annotator, client key) so that a retried submit returns
/// the first judgment instead of making a second.
struct CreateJudgments: AsyncMigration {
    let name = "005-create-judgments"

    func prepare(on database: any Database) async throws {
        try await database.schema("judgments")
            .field("id", .int64, .identifier(auto: true))
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("annotator_id", .uuid, .required, .references("people", "id"))
            .field("assignment_id", .int64)
            .field("labels", .string, .required)
            .field("rationale", .string)
            .field("time_spent_ms", .int, .required)
            .field("started_at_ms", .int64)
            .field("submitted_at_ms", .int64, .required)
            .field("origin", .string, .required)
            .field("client_key", .string)
            .unique(on: "item_id", "annotator_id")
            .unique(on: "annotator_id", "client_key")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX judgments_by_queue_time ON judgments (queue_id, submitted_at_ms)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("judgments").delete()
    }
}
