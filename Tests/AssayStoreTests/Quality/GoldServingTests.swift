import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// Gold is mixed into the work, so it must never be what an annotator gets when the work has run out.
@Suite("Serving gold")
struct GoldServingTests {
    @Test("gold is served only while ordinary work is left for the annotator", arguments: TestBackend.allCases)
    func goldOnlyBesideWork(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date(timeIntervalSince1970: 1_796_310_000)
            var queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 2, now: now)
            try await Fixtures.items(store, into: queue, count: 3, prefix: "ctl", now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            _ = try await store.importGold(
                (1...3).map { GoldDraft(itemExternalID: String(format: "ctl-%04d", $0), labels: ["spam"]) },
                into: queue, by: analyst, now: now)
            let annotator = try await store.createPerson(PersonDraft(name: "Ann", role: .annotator), now: now)
            func labelNext() async throws -> String? {
                guard let lease = try await store.leaseNextItem(in: queue, for: annotator, now: now) else { return nil }
                _ = try await store.submitJudgment(JudgmentSubmission(labels: ["none"]), on: lease.assignment.id, by: annotator, now: now)
                return lease.item.externalID
            }

            // The two ordinary items are labelled before any gold is drawn.
            #expect(try await labelNext() == "item-0001")
            #expect(try await labelNext() == "item-0002")
            // Half the leases now draw gold, and three gold items are left unseen; still nothing is served, or the
            // annotator would know whatever came after "nothing left" for gold.
            queue = try await store.updateQuality(of: queue, to: QualitySettings(goldRate: 0.5), by: analyst, now: now)
            for _ in 0..<10 { #expect(try await labelNext() == nil) }
            // New work arrives: gold comes with it again, as the draws say.
            try await Fixtures.items(store, into: queue, count: 10, prefix: "new", now: now)
            var served: [String] = []
            while let next = try await labelNext() { served.append(next) }
            #expect(served.filter { $0.hasPrefix("new") }.count == 10 && served.contains { $0.hasPrefix("ctl") }, "\(served)")
        }
    }
}
