import AssayCore
import FluentKit
import SQLKit

/// Vendors, their teams, the people of the workspace and their API tokens.
struct CreateWorkspace: AsyncMigration {
    let name = "001-create-workspace"

    func prepare(on database: any Database) async throws {
        try await database.schema("vendors")
            .field("id", .uuid, .identifier(auto: false))
            .field("name", .string, .required)
            .field("created_at_ms", .int64, .required)
            .unique(on: "name")
            .create()
        try await database.schema("teams")
            .field("id", .uuid, .identifier(auto: false))
            .field("vendor_id", .uuid, .required, .references("vendors", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("created_at_ms", .int64, .required)
            .unique(on: "vendor_id", "name")
            .create()
        try await database.schema("people")
            .field("id", .uuid, .identifier(auto: false))
            .field("external_id", .string, .required)
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("vendor_id", .uuid, .references("vendors", "id"))
            .field("team_id", .uuid, .references("teams", "id"))
            .field("languages", .string, .required)
            .field("markets", .string, .required)
            .field("status", .string, .required)
            .field("created_at_ms", .int64, .required)
            .unique(on: "external_id")
            .create()
        try await database.schema("api_tokens")
            .field("id", .uuid, .identifier(auto: false))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("created_at_ms", .int64, .required)
            .field("revoked_at_ms", .int64)
            .unique(on: "token_hash")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX people_vendor ON people (vendor_id, name)").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["api_tokens", "people", "teams", "vendors"] {
            try await database.schema(table).delete()
        }
    }
}
