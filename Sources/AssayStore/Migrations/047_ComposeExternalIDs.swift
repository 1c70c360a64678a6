import AssayCore
import FluentKit
import SQLKit

/// Rewrites items' and people's external ids stored decomposed by versions before ids were kept in Unicode's composed
/// form (NFC, ``Swift/String/composed``): an import now looks ids up composed, and such an item or person would no
/// longer be found under its own spelling. An id whose composed form another item of its queue (or another person)
/// already has is left as it is, rather than merged.
///
/// Only ids with a byte outside ASCII are read: ASCII is composed already, and a queue may hold millions of ids.
struct ComposeExternalIDs: AsyncMigration {
    let name = "047-compose-external-ids"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let nonASCII: SQLQueryString = sql.dialect.name == "postgresql"
            ? "external_id ~ '[^[:ascii:]]'" : "external_id GLOB '*[^ -~]*'"
        for row in try await sql.raw("SELECT id, queue_id, external_id FROM items WHERE \(nonASCII)").all() {
            let stored = try row.string("external_id")
            let composed = stored.composed
            // Compared as bytes: Swift's == takes the two spellings for one string.
            guard Array(composed.utf8) != Array(stored.utf8) else { continue }
            try await sql.raw("""
                UPDATE items SET external_id = \(bind: composed) WHERE id = \(bind: try row.int64("id"))
                  AND NOT EXISTS (SELECT 1 FROM items o WHERE o.queue_id = \(bind: try row.uuid("queue_id")) AND o.external_id = \(bind: composed))
                """).run()
        }
        for row in try await sql.raw("SELECT id, external_id FROM people WHERE \(nonASCII)").all() {
            let stored = try row.string("external_id")
            let composed = stored.composed
            guard Array(composed.utf8) != Array(stored.utf8) else { continue }
            try await sql.raw("""
                UPDATE people SET external_id = \(bind: composed) WHERE id = \(bind: try row.uuid("id"))
                  AND NOT EXISTS (SELECT 1 FROM people o WHERE o.external_id = \(bind: composed))
                """).run()
        }
    }

    /// Nothing to undo: the two spellings name the same id.
    func revert(on database: any Database) async throws {}
}
