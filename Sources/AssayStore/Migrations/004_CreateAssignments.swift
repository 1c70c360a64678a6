import AssayCore
import FluentKit
import SQLKit

/// Assignments (leases). The unique (item, annotator) pair is what guarantees that nobody is ever given the
/// same item twice, whatever the number of server processes.
struct CreateAssignments: AsyncMigration {
    let name = "004-create-assignments"

    func prepare(on database: any Database) async throws {
        try await database.schema("assignments")
            .field("id", .int64, .identifier(auto: true))
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("annotator_id", .uuid, .required, .references("people", "id"))
            .field("state", .string, .required)
            .field("leased_at_ms", .int64, .required)
            .field("expires_at_ms", .int64, .required)
            .unique(on: "item_id", "annotator_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX assignments_active ON assignments (annotator_id, queue_id) WHERE state = 'leased'")
            .run()
        try await sql.raw("CREATE INDEX assignments_expiry ON assignments (queue_id, expires_at_ms) WHERE state = 'leased'")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("assignments").delete()
    }
}
