import FluentKit
import SQLKit

/// How unsure a prediction is (0 to 1; NULL reads as 1 − confidence), and on each item the uncertainty of its
/// queue's predictor, with a partial index so that a queue ordered by uncertainty hands out its most uncertain
/// open item with an index range scan, as the priority and age orders do. Items without a prediction hold −1: last.
struct AddUncertainty: AsyncMigration {
    let name = "031-add-uncertainty"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE predictions ADD COLUMN uncertainty DOUBLE PRECISION").run()
        try await sql.raw("ALTER TABLE items ADD COLUMN uncertainty DOUBLE PRECISION NOT NULL DEFAULT -1").run()
        try await sql.raw(
            "CREATE INDEX items_open_by_uncertainty ON items (queue_id, uncertainty DESC, id) WHERE open_slots > 0"
        ).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX items_open_by_uncertainty").run()
        try await sql.raw("ALTER TABLE items DROP COLUMN uncertainty").run()
        try await sql.raw("ALTER TABLE predictions DROP COLUMN uncertainty").run()
    }
}
