import FluentKit
import SQLKit

/// How many of the items resolved each day have a known wait (`waited`): judgments made in another tool before
/// their items were imported here decide them in the past, and how long they waited there is not known, so they
/// count in neither the mean wait nor the SLA. Every resolution counted before had its wait counted.
struct CountKnownWaits: AsyncMigration {
    let name = "054-count-known-waits"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE decision_days ADD COLUMN waited BIGINT NOT NULL DEFAULT 0").run()
        try await sql.raw("UPDATE decision_days SET waited = first_resolved").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE decision_days DROP COLUMN waited").run()
    }
}
