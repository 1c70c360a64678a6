import AssayCore
import FluentKit
import SQLKit

/// Background jobs: big imports and exports, with their progress and outcome.
struct CreateJobs: AsyncMigration {
    let name = "007-create-jobs"

    func prepare(on database: any Database) async throws {
        try await database.schema("jobs")
            .field("id", .uuid, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("format", .string, .required)
            .field("state", .string, .required)
            .field("progress", .double, .required)
            .field("report", .string)
            .field("exported_rows", .int64)
            .field("error", .string)
            .field("created_by", .uuid, .references("people", "id"))
            .field("created_at_ms", .int64, .required)
            .field("heartbeat_at_ms", .int64)
            .field("finished_at_ms", .int64)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX jobs_by_state ON jobs (state, created_at_ms)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("jobs").delete()
    }
}
