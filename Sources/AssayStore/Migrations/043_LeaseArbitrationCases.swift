import FluentKit

/// Arbitration cases are leased to one arbitrator at a time (`POST /queues/{queue}/arbitration/next`), as QA reviews
/// are: two arbitrators working a queue no longer both open its oldest case. A lease that runs out returns the case.
struct LeaseArbitrationCases: AsyncMigration {
    let name = "043-lease-arbitration-cases"

    func prepare(on database: any Database) async throws {
        // One column per change: SQLite adds columns one at a time.
        try await database.schema("arbitration_cases").field("leased_by", .uuid).update()
        try await database.schema("arbitration_cases").field("lease_expires_at_ms", .int64).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("arbitration_cases").deleteField("lease_expires_at_ms").update()
        try await database.schema("arbitration_cases").deleteField("leased_by").update()
    }
}
