import AssayCore
import AssayTesting
import Foundation
import Testing

@testable import AssayStore

/// Gold items never get a final label, so a queue's progress and backlog are over its other items.
@Suite("Gold items and progress")
struct GoldProgressTests {
    @Test("gold items without a final label are counted apart, once each; the rest of the queue completes to 100%",
          arguments: TestBackend.allCases)
    func goldLeavesProgress(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date(timeIntervalSince1970: 1_796_310_000)
            let queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 10, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            func judge(_ numbers: ClosedRange<Int>) async throws {
                let rows = numbers.map { number in
                    ImportedJudgment(
                        itemExternalID: String(format: "item-%04d", number), annotatorExternalID: "vendor-1", labels: ["spam"],
                        rationale: nil, startedAt: nil, submittedAt: now, line: number)
                }
                _ = try await store.importJudgments(rows, into: queue, now: now)
            }
            func gold(_ numbers: [Int]) async throws {
                _ = try await store.importGold(
                    numbers.map { GoldDraft(itemExternalID: String(format: "item-%04d", $0), labels: ["spam"]) },
                    into: queue, by: analyst, now: now)
            }

            // Item 1 is decided before it becomes gold: it stays among the complete items, not the gold ones.
            try await judge(1...1)
            try await gold([1, 2, 3])
            var stats = try await store.stats(of: queue.id)
            #expect(stats.items == 10 && stats.goldItems == 2 && stats.completedItems == 1)
            #expect(stats.workItems == 8 && stats.backlog == 7 && stats.completion == 1.0 / 8)

            // Changing a reference or retiring gold moves nothing.
            _ = try await store.importGold([GoldDraft(itemExternalID: "item-0002", labels: ["none"])], into: queue, by: analyst, now: now)
            _ = try await store.retireGold(onItem: 3, by: analyst, now: now)
            try await gold([2, 3])
            #expect(try await store.stats(of: queue.id).goldItems == 2)

            try await judge(4...10)
            stats = try await store.stats(of: queue.id)
            #expect(stats.completedItems == 8 && stats.backlog == 0 && stats.completion == 1, "\(stats)")

            // An existing workspace gets the same count from migration 039, undone and run again over this data.
            try await database.rerun([CountGoldItems()])
            #expect(try await store.stats(of: queue.id) == stats)
        }
    }

    @Test("a gold item escalated and decided by an arbitrator leaves the gold count for the complete items",
          arguments: TestBackend.allCases)
    func escalatedGold(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date(timeIntervalSince1970: 1_796_310_000)
            var queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 3, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            queue = try await store.updateQuality(of: queue, to: QualitySettings(goldRate: 0.5), by: analyst, now: now)
            _ = try await store.importGold(
                (1...3).map { GoldDraft(itemExternalID: String(format: "item-%04d", $0), labels: ["spam"]) }, into: queue, by: analyst, now: now)
            #expect(try await store.stats(of: queue.id).goldItems == 3)

            // Gold is served beside ordinary work: label that until a gold item comes (the draws are seeded).
            try await Fixtures.items(store, into: queue, count: 10, prefix: "work", now: now)
            let annotator = try await store.createPerson(PersonDraft(name: "Ann", role: .annotator), now: now)
            let (lease, worked) = try await Fixtures.leaseGold(store, in: queue, for: annotator, now: now) {
                $0.externalID.hasPrefix("item")
            }
            let gold = try #require(lease)
            let opened = try await store.escalate(gold.assignment.id, note: "is this really spam?", by: annotator, now: now)
            // The escalation awaits an arbitrator, though no item is unresolved.
            let issues = try await store.issues(of: queue)
            let unresolved = try await store.stats(of: queue.id).unresolvedItems
            #expect(issues.awaitingArbitration == 1 && unresolved == 0)
            let arbitrator = try await store.createPerson(PersonDraft(name: "Arbi", role: .arbitrator), now: now)
            _ = try await store.decide(opened.id, labels: ["spam"], rationale: nil, promoteToGold: false, by: arbitrator, now: now)

            let stats = try await store.stats(of: queue.id)
            #expect(stats.goldItems == 2 && stats.completedItems == 1 + worked && stats.workItems == 11, "\(stats)")
            #expect(stats.backlog == 10 - worked, "\(stats)")
            try await database.rerun([CountGoldItems()])
            #expect(try await store.stats(of: queue.id) == stats, "the migration's count agrees")
        }
    }

    @Test("gold set on items while annotators label them leaves the gold count exact, whichever comes first",
          arguments: TestBackend.allCases)
    func goldWhileLabelling(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date(timeIntervalSince1970: 1_796_310_000)
            let count = 100
            let queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: count, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            var annotators: [Person] = []
            for number in 1...4 {
                annotators.append(try await store.createPerson(PersonDraft(name: "Ann \(number)", role: .annotator), now: now))
            }

            // Four annotators label the queue (overlap 1: each submit decides its item) while an analyst makes every item
            // gold, one at a time from the last: some become gold before they are labelled, some after, some between an
            // annotator's lease and submit.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for annotator in annotators {
                    group.addTask {
                        while let lease = try await store.leaseNextItem(in: queue, for: annotator, now: now) {
                            _ = try await store.submitJudgment(
                                JudgmentSubmission(labels: ["spam"]), on: lease.assignment.id, by: annotator, now: now)
                        }
                    }
                }
                group.addTask {
                    for number in stride(from: count, through: 1, by: -1) {
                        _ = try await store.importGold(
                            [GoldDraft(itemExternalID: String(format: "item-%04d", number), labels: ["spam"])],
                            into: queue, by: analyst, now: now)
                    }
                }
                try await group.waitForAll()
            }

            let stats = try await store.stats(of: queue.id)
            #expect(stats.goldItems + stats.completedItems == count, "every item is either labelled or gold: \(stats)")
            try await database.rerun([CountGoldItems()])
            #expect(try await store.stats(of: queue.id) == stats, "the count kept live agrees with one taken from the data")
        }
    }
}
