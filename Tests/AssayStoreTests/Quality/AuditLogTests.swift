import AssayCore
import AssayTesting
import Foundation
import SQLKit
import Testing

@testable import AssayStore

@Suite("Audit log")
struct AuditLogTests {
    @Test("the database refuses to change or delete an audit entry", arguments: TestBackend.allCases)
    func appendOnly(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            _ = try await store.updateQuality(
                of: queue, to: QualitySettings(goldRate: 0.1), by: analyst, now: now)
            let events = try await store.auditEvents(AuditFilter(queueID: queue.id))
            let event = try #require(events.first)
            #expect(events.map(\.action) == [.queueQualityChanged, .queueCreated])
            #expect(event.action == .queueQualityChanged && event.actorID == analyst.id)
            #expect(event.before?.objectValue?["gold_rate"]?.doubleValue == 0)
            #expect(event.after?.objectValue?["gold_rate"]?.doubleValue == 0.1)
            await #expect(throws: (any Error).self) {
                try await store.transaction { sql in
                    try await sql.raw("UPDATE audit_events SET action = 'nothing happened' WHERE id = \(bind: event.id)").run()
                }
            }
            await #expect(throws: (any Error).self) {
                try await store.transaction { sql in try await sql.raw("DELETE FROM audit_events").run() }
            }
            #expect(try await store.auditEvents(AuditFilter(queueID: queue.id)) == events, "the entries are as they were")
        }
    }

    @Test("gold set, changed and retired is logged once per change, with before and after", arguments: TestBackend.allCases)
    func goldChangesAreLogged(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 2, now: now)
            let arbitrator = try await store.createPerson(PersonDraft(name: "Arb", role: .arbitrator), now: now)
            let drafts = [GoldDraft(itemExternalID: "item-0001", labels: ["spam"]), GoldDraft(itemExternalID: "item-0002", labels: ["none"])]
            #expect(try await store.importGold(drafts, into: queue, by: arbitrator, now: now).set == 2)
            let again = try await store.importGold(drafts, into: queue, by: arbitrator, now: now)
            #expect(again.set == 0 && again.unchanged == 2, "re-importing the same answers changes nothing")
            let gold = try await store.gold(in: queue.id, after: nil, limit: 10)
            let first = try #require(gold.first)
            _ = try await store.setGold(labels: ["hate"], rationale: "slur", onItem: first.itemID, by: arbitrator, now: now)
            _ = try await store.retireGold(onItem: first.itemID, by: arbitrator, now: now)
            _ = try await store.retireGold(onItem: first.itemID, by: arbitrator, now: now)
            let history = try await store.auditEvents(AuditFilter(entity: "item", entityID: String(first.itemID)))
            #expect(history.map(\.action) == [.goldRetired, .goldSet, .goldSet])
            #expect(history[1].before?.objectValue?["labels"] == .array(["spam"]))
            #expect(history[1].after?.objectValue?["labels"] == .array(["hate"]))
            #expect(history[2].before == nil)
            #expect(try await store.gold(in: queue.id, after: nil, limit: 10).first?.state == .retired)
            // A gold item never returns to the production pool: no ordinary lease reaches it.
            let annotator = try await Fixtures.annotators(store, count: 1, now: now)[0].person
            #expect(try await store.leaseNextItem(in: queue, for: annotator, now: now) == nil)
        }
    }
}
