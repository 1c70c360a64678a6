import AssayCore
import AssayTesting
import Foundation
import SQLKit
import Testing

@testable import AssayStore

/// Lists by name and pages by external id come in one order on both databases, whatever collation a PostgreSQL
/// database was made with: SQLite's, by bytes.
@Suite("Text order")
struct CollationTests {
    @Test("queues, vendors and people in byte order, and keyset pages that follow it, on an en-US PostgreSQL database too",
          arguments: TestBackend.allCases)
    func byteOrder(on backend: TestBackend) async throws {
        // An ICU en-US database sorts "_x, Alpha, alpha2, beta, Zed"; SQLite sorts by bytes.
        let options = "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8' ENCODING 'UTF8'"
        try await backend.withDatabase(postgresOptions: options) { database in
            let store = database.store
            if backend == .postgres {
                // The database itself sorts otherwise than by bytes (asked of its default collation, so the check holds
                // whatever PostgreSQL version names the locale column).
                let order = try await store.sql().raw(
                    "SELECT string_agg(n, ',' ORDER BY n) AS o FROM (VALUES ('Zed'), ('_x'), ('alpha')) AS t(n)"
                ).first()?.decode(column: "o", as: String.self)
                try #require(order == "_x,alpha,Zed", "the database sorts as en-US, unlike SQLite: \(order ?? "?")")
            }
            let now = Date()
            let names = ["beta", "Alpha", "alpha2", "_x", "Zed"]
            for name in names {
                _ = try await Fixtures.queue(store, name: name, now: now)
                _ = try await store.createVendor(named: name, now: now)
                _ = try await store.createPerson(PersonDraft(externalID: name, name: name, role: .annotator), now: now)
            }
            let bytewise = ["Alpha", "Zed", "_x", "alpha2", "beta"]
            #expect(try await store.queues().map(\.name) == bytewise)
            #expect(try await store.vendors().map(\.name) == bytewise)
            let first = try await store.people(ofVendor: nil, after: nil, limit: 2).map(\.externalID)
            let rest = try await store.people(ofVendor: nil, after: first.last, limit: 10).map(\.externalID)
            #expect(first + rest == bytewise)
        }
    }
}
