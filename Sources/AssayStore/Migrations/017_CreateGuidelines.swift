import FluentKit
import SQLKit

/// Versioned guidelines per queue (one row per version, by unique key), and on each judgment the version that
/// was in force when it was made.
struct CreateGuidelines: AsyncMigration {
    let name = "017-create-guidelines"

    func prepare(on database: any Database) async throws {
        try await database.schema("guidelines")
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("markdown", .string, .required)
            .field("passages", .string, .required)
            .field("effective_at_ms", .int64, .required)
            .field("created_by", .uuid)
            .field("created_at_ms", .int64, .required)
            .compositeIdentifier(over: "queue_id", "version")
            .create()
        try await (database as! any SQLDatabase).raw("ALTER TABLE judgments ADD COLUMN guideline_version INTEGER").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE judgments DROP COLUMN guideline_version").run()
        try await database.schema("guidelines").delete()
    }
}
