import FluentKit
import SQLKit

/// Finds a person's next item by where items come from (their language and market) when the person takes only some
/// of a queue's places: the next-item search walked the queue's order and tested each open item's language and
/// market, so a pt-BR reviewer behind 700k English items waited 0.3 s for every item, and someone with nothing
/// left to take read the whole open backlog (0.8 s at 3.1M items) on every poll.
///
/// `queue_places` lists each (language, market) pair a queue's items have, empty language or market included, so
/// that the places a person takes are read from a few rows; the imports add to it. The three indexes lead with the
/// place, one for each order of the queue (priority, age, uncertainty), so that the search is one probe per place
/// the person takes. The uncertainty index holds scored items only, as `items_open_by_uncertainty` does: items
/// arrive unscored, so it costs imports nothing.
struct IndexOpenItemsByPlace: AsyncMigration {
    let name = "053-index-open-items-by-place"

    func prepare(on database: any Database) async throws {
        try await database.schema("queue_places")
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("language", .string)
            .field("market", .string)
            .create()
        let sql = database as! any SQLDatabase
        // An item without a language (or market) is a place of its own: NULLs are unique through COALESCE, as no
        // stored code is empty.
        try await sql.raw("""
            CREATE UNIQUE INDEX queue_places_unique ON queue_places (queue_id, COALESCE(language, ''), COALESCE(market, ''))
            """).run()
        try await sql.raw("""
            INSERT INTO queue_places (queue_id, language, market)
            SELECT DISTINCT queue_id, language, market FROM items WHERE true
            ON CONFLICT DO NOTHING
            """).run()
        try await sql.raw("""
            CREATE INDEX items_open_by_place ON items (queue_id, language, market, priority DESC, id) WHERE open_slots > 0
            """).run()
        try await sql.raw("""
            CREATE INDEX items_open_by_place_age ON items (queue_id, language, market, id) WHERE open_slots > 0
            """).run()
        try await sql.raw("""
            CREATE INDEX items_open_by_place_uncertainty ON items (queue_id, language, market, uncertainty DESC, id)
            WHERE open_slots > 0 AND uncertainty >= 0
            """).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for index in ["items_open_by_place_uncertainty", "items_open_by_place_age", "items_open_by_place"] {
            try await sql.raw("DROP INDEX \(unsafeRaw: index)").run()
        }
        try await database.schema("queue_places").delete()
    }
}
