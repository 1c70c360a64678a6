import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import SQLKit
import Testing

/// The reads that page through a queue, or pick a few rows of a long table, go through an index, on SQLite's own
/// account (`EXPLAIN QUERY PLAN`, and PostgreSQL's `EXPLAIN` where it plans otherwise): without one they sorted or scanned the whole queue for every page, which no test
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

    @Test("a next-item probe of one place reads its place index in order, a place without language or market too",
          arguments: TestBackend.allCases)
    func placeProbesUseTheirIndexes(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store, overlap: 1)
            try await Fixtures.items(store, into: queue, count: 3_000, prefix: "anywhere")
            try await Fixtures.items(store, into: queue, count: 3_000, language: "en", market: "US", prefix: "us")
            let sql = try store.sql()
            if backend == .postgres { try await sql.raw("ANALYZE items").run() }
            let orders: [(String, Store.OpenItemOrder)] = [
                ("priority", .priority), ("oldest", .oldest), ("newest", .newest), ("most uncertain", .mostUncertain),
                ("unscored", .unscored),
            ]
            for (name, order) in orders {
                for place in [Store.Place(language: nil, market: nil), Store.Place(language: "en", market: "US")] {
                    let probe = Store.probe(
                        of: place, in: queue.id, order: order,
                        notTheirs: "AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.annotator_id = \(bind: UUID()))",
                        backend: store.backend)
                    let plan = try await sql.raw("EXPLAIN \(unsafeRaw: backend == .sqlite ? "QUERY PLAN " : "")\(probe)").all()
                        .map { try $0.decode(column: backend == .sqlite ? "detail" : "QUERY PLAN", as: String.self) }
                        .joined(separator: " | ")
                    #expect(plan.contains(order.placeIndex) && !plan.contains("TEMP B-TREE") && !plan.contains("Sort"),
                            "\(name), \(place.language ?? "no language")/\(place.market ?? "no market"): \(plan)")
                }
            }
        }
    }
}
