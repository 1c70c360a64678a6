import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import SQLKit
import Testing

/// Queues filled before migration 053 have no list of places: the migration makes it from their items, or people
/// who take only some places would be served nothing.
@Suite("Migration 053: places of open items")
struct PlacesMigrationTests {
    @Test("the places of items already there are listed, and a narrow reviewer is served from them", arguments: TestBackend.allCases)
    func backfill(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store, languages: ["en", "pt-BR"])
            try await Fixtures.items(store, into: queue, count: 3, language: "en", market: "US")
            try await Fixtures.items(store, into: queue, count: 2, language: "pt-BR", market: "BR", prefix: "br")
            try await Fixtures.items(store, into: queue, count: 2, prefix: "anywhere")

            try await database.rerun([IndexOpenItemsByPlace()])
            let places = try await store.sql().raw("SELECT language, market FROM queue_places WHERE queue_id = \(bind: queue.id)")
                .all().map { "\(try $0.optionalString("language") ?? "-")/\(try $0.optionalString("market") ?? "-")" }
            #expect(places.sorted() == ["-/-", "en/US", "pt-BR/BR"])

            let reviewer = try await Fixtures.annotators(store, count: 1, languages: ["pt-BR"], markets: ["BR"])[0].person
            let lease = try #require(try await store.leaseNextItem(in: queue, for: reviewer, now: now))
            #expect(lease.item.externalID == "br-0001")
        }
    }
}
