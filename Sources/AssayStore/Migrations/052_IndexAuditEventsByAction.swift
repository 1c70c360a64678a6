import FluentKit
import SQLKit

/// The audit log read by action (`GET /api/v1/audit?action=gold.set`, `assay audit --action …`): without an index a
/// rare action on a long log read back through every entry until it found a page of them.
struct IndexAuditEventsByAction: AsyncMigration {
    let name = "052-index-audit-events-by-action"

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("CREATE INDEX audit_events_by_action ON audit_events (action, id)").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX audit_events_by_action").run()
    }
}
