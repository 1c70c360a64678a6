import FluentKit
import SQLKit

/// Keeps only items with an uncertainty (a prediction scored them, so 0 or more) in the uncertainty index.
///
/// Every item arrives unscored (−1), and each index on `items` costs every import: on PostgreSQL this one was
/// about 15% of the server's work per imported row. Unscored items come last in an uncertainty-ordered queue,
/// oldest first, which is the order of the age index (`items_open_by_age`), so the next-item query reads
/// scored items from this index and, when none is left for the person, unscored ones from that one.
struct IndexScoredItemsOnly: AsyncMigration {
    let name = "037-index-scored-items-only"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX items_open_by_uncertainty").run()
        try await sql.raw("""
            CREATE INDEX items_open_by_uncertainty ON items (queue_id, uncertainty DESC, id)
            WHERE open_slots > 0 AND uncertainty >= 0
            """).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX items_open_by_uncertainty").run()
        try await sql.raw(
            "CREATE INDEX items_open_by_uncertainty ON items (queue_id, uncertainty DESC, id) WHERE open_slots > 0"
        ).run()
    }
}
