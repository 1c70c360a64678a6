import FluentKit

/// Browser sessions: the hash of the cookie's secret (never the secret), the person, the session's CSRF token,
/// and when it expires. Signing out deletes the row, so a copied cookie stops working at once.
struct CreateWebSessions: AsyncMigration {
    let name = "021-create-web-sessions"

    func prepare(on database: any Database) async throws {
        try await database.schema("web_sessions")
            .field("secret_hash", .string, .identifier(auto: false))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at_ms", .int64, .required)
            .field("expires_at_ms", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("web_sessions").delete()
    }
}
