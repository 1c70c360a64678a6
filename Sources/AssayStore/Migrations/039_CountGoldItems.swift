import FluentKit
import SQLKit

/// Counts, beside a queue's items, the gold items that left production without a final label. Gold items test
/// annotators and never get one, so progress and backlog leave them out: a queue whose every other item is decided
/// is complete, where it used to stop short by its gold set.
///
/// Filled from what is there: each queue's gold items (active or retired) with no final label, on shard 0.
struct CountGoldItems: AsyncMigration {
    let name = "039-count-gold-items"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE queue_counters ADD COLUMN gold_items BIGINT NOT NULL DEFAULT 0").run()
        try await Self.backfill(sql)
    }

    /// Sets each queue's count of gold items without a final label, on shard 0 (the other shards to 0).
    static func backfill(_ sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE queue_counters SET gold_items = 0 WHERE shard <> 0").run()
        try await sql.raw("""
            UPDATE queue_counters SET gold_items = (
                SELECT COUNT(*) FROM items i
                WHERE i.queue_id = queue_counters.queue_id AND i.gold_state IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM final_labels f WHERE f.item_id = i.id))
            WHERE shard = 0
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE queue_counters DROP COLUMN gold_items").run()
    }
}
