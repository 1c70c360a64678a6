import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

@Suite("Gold-set health")
struct GoldHealthTests {
    @Test("coverage gaps, a disputed reference answer and an annotator who knows the gold answers",
          arguments: TestBackend.allCases)
    func health(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store, overlap: 3, now: now)
            try await Fixtures.items(store, into: queue, count: 30, prefix: "gold", now: now)
            try await Fixtures.items(store, into: queue, count: 40, prefix: "work", now: now)
            let arbitrator = try await store.createPerson(PersonDraft(name: "Arb", role: .arbitrator), now: now)
            // The leaker works for Kestrel; the honest people belong to no vendor.
            let kestrel = try await store.createVendor(named: "Kestrel", now: now)
            let atlas = try await store.createVendor(named: "Atlas", now: now)
            _ = try await store.createPerson(
                PersonDraft(externalID: "leaker", name: "Lee", role: .annotator, vendorID: kestrel.id), now: now)
            // Every reference says spam; the last one is wrong (the item is harmless), and the crowd says so.
            _ = try await store.importGold(
                (1...30).map { GoldDraft(itemExternalID: String(format: "gold-%04d", $0), labels: ["spam"]) },
                into: queue, by: arbitrator, now: now)
            var rows: [ImportedJudgment] = []
            func judge(_ item: String, _ who: String, _ label: String) {
                rows.append(ImportedJudgment(
                    itemExternalID: item, annotatorExternalID: who, labels: [label], rationale: nil, startedAt: nil,
                    submittedAt: now, line: rows.count + 2))
            }
            let honest = (1...11).map { "honest-\($0)" }
            for index in 1...30 {
                let item = String(format: "gold-%04d", index)
                for who in honest { judge(item, who, index == 30 ? "none" : "spam") }
                judge(item, "leaker", "spam")  // knows every reference answer
            }
            for index in 1...40 {
                let item = String(format: "work-%04d", index)
                judge(item, honest[index % 11], "none")
                judge(item, honest[(index + 1) % 11], "none")
                judge(item, "leaker", "spam")  // and labels ordinary work no better than at random
            }
            _ = try await store.importJudgments(rows, into: queue, now: now)
            let health = try await store.goldHealth(of: queue)
            #expect(health.activeItems == 30 && health.retiredItems == 0)
            #expect(health.labels.first { $0.key == "spam" }?.active == 30)
            #expect(health.uncoveredLabels == ["hate", "harassment", "none"])
            let goldIDs = try await store.gold(in: queue.id, after: nil, limit: 100).map(\.itemID)
            #expect(health.disputed.map(\.itemID) == [goldIDs.last!], "the wrong reference answer is disputed")
            #expect(health.overexposed.isEmpty)
            #expect(health.suspectedLeaks.map(\.externalID) == ["leaker"])
            let leak = try #require(health.suspectedLeaks.first)
            #expect(leak.goldAccuracy == 1 && leak.peerAgreement == 0 && leak.goldAnswers == 30 && leak.ordinaryJudgments == 40)

            // A vendor lead's view names no gold item, and only their own people's leaks, from their gold answers up
            // to the end of yesterday: today's would move with each submit.
            #expect(try await store.goldHealth(of: queue, vendorID: kestrel.id, now: now).suspectedLeaks.isEmpty,
                    "today's gold answers are not the lead's to see yet")
            let kestrels = try await store.goldHealth(of: queue, vendorID: kestrel.id, now: now.addingTimeInterval(86_400))
            #expect(kestrels.disputed.isEmpty && kestrels.overexposed.isEmpty && kestrels.suspectedLeaks.map(\.externalID) == ["leaker"])
            #expect(kestrels.activeItems == 30 && kestrels.uncoveredLabels == health.uncoveredLabels)
            let atlases = try await store.goldHealth(of: queue, vendorID: atlas.id, now: now.addingTimeInterval(86_400))
            #expect(atlases.disputed.isEmpty && atlases.suspectedLeaks.isEmpty)
        }
    }
}
