import AssayCore
import FluentKit
import SQLKit

/// Items, with the two numbers the lease query needs kept on the row: `open_slots` (overlap minus the leases
/// and judgments that hold a place) and `judgment_count`.
///
/// The partial indexes cover only items with an open slot, so "next item" stays an index range scan however
/// many completed items a queue holds.
struct CreateItems: AsyncMigration {
    let name = "003-create-items"

    func prepare(on database: any Database) async throws {
        try await database.schema("items")
            .field("id", .int64, .identifier(auto: true))
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("external_id", .string, .required)
            .field("content", .string, .required)
            .field("market", .string)
            .field("language", .string)
            .field("source", .string)
            .field("priority", .int, .required)
            .field("created_at_ms", .int64, .required)
            .field("imported_at_ms", .int64, .required)
            .field("open_slots", .int, .required)
            .field("judgment_count", .int, .required)
            .unique(on: "queue_id", "external_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw(
            "CREATE INDEX items_open_by_priority ON items (queue_id, priority DESC, id) WHERE open_slots > 0"
        ).run()
        try await sql.raw("CREATE INDEX items_open_by_age ON items (queue_id, id) WHERE open_slots > 0").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("items").delete()
    }
}
