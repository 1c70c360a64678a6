import AssayCore
import FluentKit
import SQLKit

/// Final labels, one per item, with how they were reached.
struct CreateFinalLabels: AsyncMigration {
    let name = "006-create-final-labels"

    func prepare(on database: any Database) async throws {
        try await database.schema("final_labels")
            .field("item_id", .int64, .identifier(auto: false), .references("items", "id", onDelete: .cascade))
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("labels", .string)
            .field("provenance", .string, .required)
            .field("confidence", .double, .required)
            .field("judgment_count", .int, .required)
            .field("unresolved_reason", .string)
            .field("decided_at_ms", .int64, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX final_labels_by_queue ON final_labels (queue_id, item_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("final_labels").delete()
    }
}
