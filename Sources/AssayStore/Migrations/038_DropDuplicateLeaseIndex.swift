import FluentKit
import SQLKit

/// Drops `assignments_active`, which indexes exactly what `assignments_one_live_lease` (migration 008) indexes: the
/// live leases by person and queue. The unique index serves the same lookups, and every lease written, and
/// every lease submitted or skipped, no longer updates a second copy of it.
struct DropDuplicateLeaseIndex: AsyncMigration {
    let name = "038-drop-duplicate-lease-index"

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX assignments_active").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw(
            "CREATE INDEX assignments_active ON assignments (annotator_id, queue_id) WHERE state = 'leased'"
        ).run()
    }
}
