import AssayCore
import FluentKit
import SQLKit

/// At most one live lease per person and queue, kept by the database: two "next" calls racing from one
/// person (a double click, a retry) cannot both lease an item.
struct CreateLiveLeaseIndex: AsyncMigration {
    let name = "008-create-live-lease-index"

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw(
            "CREATE UNIQUE INDEX assignments_one_live_lease ON assignments (annotator_id, queue_id) WHERE state = 'leased'"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX assignments_one_live_lease").run()
    }
}
