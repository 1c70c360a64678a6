import FluentKit
import SQLKit

/// Arbitration cases: items the consensus rule left unresolved, and appealed final labels. The partial unique
/// index allows one open case per item, so concurrent refreshes and appeals cannot open two.
struct CreateArbitrationCases: AsyncMigration {
    let name = "015-create-arbitration-cases"

    func prepare(on database: any Database) async throws {
        try await database.schema("arbitration_cases")
            .field("id", .int64, .identifier(auto: true))
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("reason", .string, .required)
            .field("note", .string)
            .field("state", .string, .required)
            .field("opened_at_ms", .int64, .required)
            .field("opened_by", .uuid)
            .field("decided_at_ms", .int64)
            .field("decided_by", .uuid)
            .field("labels", .string)
            .field("rationale", .string)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE UNIQUE INDEX arbitration_one_open_case ON arbitration_cases (item_id) WHERE state = 'open'").run()
        try await sql.raw("CREATE INDEX arbitration_by_queue ON arbitration_cases (queue_id, state, id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("arbitration_cases").delete()
    }
}
