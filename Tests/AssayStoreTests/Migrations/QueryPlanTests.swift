import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import SQLKit
import Testing

/// The reads that page through a queue, or pick a few rows of a long table, go through an index, on SQLite's own
/// account (`EXPLAIN QUERY PLAN`): without one they sorted or scanned the whole queue for every page, which no test
/// of a small workspace notices (an `/items` page took 0.7 s at 3.1M items, a judgments export 291 s at 1M).
@Suite("Query plans of the paging reads")
struct QueryPlanTests {
    @Test("keyset pages of items and judgments, gold lists and the audit log by action use their indexes")
    func pagesUseIndexes() async throws {
        try await TestBackend.sqlite.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store)
            let sql = try store.sql()
            func plan(_ query: SQLQueryString) async throws -> String {
                try await sql.raw("EXPLAIN QUERY PLAN \(query)").all()
                    .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: " | ")
            }
            let pages: [(String, SQLQueryString, String)] = [
                ("items", "SELECT id FROM items WHERE queue_id = \(bind: queue.id) AND id > 0 ORDER BY id LIMIT 100", "items_by_queue"),
                ("judgments", """
                    SELECT j.id FROM judgments j JOIN items i ON i.id = j.item_id
                    WHERE j.queue_id = \(bind: queue.id) AND j.id > 0 ORDER BY j.id LIMIT 100
                    """, "judgments_by_queue"),
                ("gold", "SELECT id FROM items WHERE queue_id = \(bind: queue.id) AND gold_state IS NOT NULL ORDER BY id", "items_gold"),
                ("audit by action", "SELECT id FROM audit_events WHERE action = 'gold.set' ORDER BY id DESC LIMIT 50", "audit_events_by_action"),
            ]
            for (name, query, index) in pages {
                let detail = try await plan(query)
                #expect(detail.contains(index) && !detail.contains("TEMP B-TREE"), "\(name): \(detail)")
            }
        }
    }
}
