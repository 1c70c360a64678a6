import FluentKit
import SQLKit

/// Gold on items: the reference labels, the explanation shown in training, and whether the item is served as
/// gold (`active`) or no longer (`retired`); NULL for an ordinary item. The partial index lists a queue's active
/// gold, which `next` draws from.
struct AddGold: AsyncMigration {
    let name = "009-add-gold"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE items ADD COLUMN gold_labels TEXT").run()
        try await sql.raw("ALTER TABLE items ADD COLUMN gold_rationale TEXT").run()
        try await sql.raw("ALTER TABLE items ADD COLUMN gold_state TEXT").run()
        try await sql.raw("CREATE INDEX items_active_gold ON items (queue_id, id) WHERE gold_state = 'active'").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX items_active_gold").run()
        for column in ["gold_state", "gold_rationale", "gold_labels"] {
            try await sql.raw("ALTER TABLE items DROP COLUMN \(unsafeRaw: column)").run()
        }
    }
}
