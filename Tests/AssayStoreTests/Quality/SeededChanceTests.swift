import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import Testing

/// The store's random choices come from its ``Chance``: a seed makes them reproducible (the demo, the tests), and
/// different seeds make different choices.
@Suite("Seeded chance")
struct SeededChanceTests {
    /// What chance decided in one small workspace: the items whose judgments QA sampled, in review order, and for
    /// each of an annotator's leases whether it served a gold item.
    struct Draws: Equatable {
        var sampled: [String] = []
        var servedGold: [Bool] = []
    }

    static func draws(on backend: TestBackend, chance: Chance) async throws -> Draws {
        try await backend.withDatabase(chance: chance) { database in
            let store = database.store
            let now = Date(timeIntervalSince1970: 1_796_310_000)
            var queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 80, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            queue = try await store.updateQuality(
                of: queue, to: QualitySettings(goldRate: 0.5, qaRate: 0.3), by: analyst, now: now)
            for itemID in Int64(1)...10 {
                _ = try await store.setGold(labels: ["spam"], rationale: nil, onItem: itemID, by: analyst, now: now)
            }
            // Fifty judgments made in a vendor's tool: each decided item's judgment is sampled at 30%.
            let rows = (11...60).map { index in
                ImportedJudgment(
                    itemExternalID: String(format: "item-%04d", index), annotatorExternalID: "vendor-\(index % 3)",
                    labels: ["spam"], rationale: nil, startedAt: nil, submittedAt: now.addingTimeInterval(-60), line: index)
            }
            #expect(try await store.importJudgments(rows, into: queue, now: now).inserted == 50)
            var draws = Draws()
            let reviewer = try await store.createPerson(PersonDraft(name: "Rev", role: .qaReviewer), now: now)
            while let task = try await store.nextQAReview(in: queue, for: reviewer, now: now) {
                draws.sampled.append(task.item.externalID)
                _ = try await store.submitQAReview(task.review.id, verdict: QAVerdict(correct: true), by: reviewer, now: now)
            }
            // Twelve leases at a 50% gold rate, one after another.
            let annotator = try await store.createPerson(PersonDraft(name: "Ann", role: .annotator), now: now)
            for _ in 0..<12 {
                let lease = try #require(try await store.leaseNextItem(in: queue, for: annotator, now: now))
                draws.servedGold.append(lease.item.id <= 10)
                _ = try await store.submitJudgment(
                    JudgmentSubmission(labels: ["spam"]), on: lease.assignment.id, by: annotator, now: now)
            }
            return draws
        }
    }

    @Test("the same seed samples the same judgments for QA and serves gold on the same leases; another seed does not",
          arguments: TestBackend.allCases)
    func reproducible(on backend: TestBackend) async throws {
        let first = try await Self.draws(on: backend, chance: .seeded(42))
        let again = try await Self.draws(on: backend, chance: .seeded(42))
        let other = try await Self.draws(on: backend, chance: .seeded(43))
        #expect(first == again)
        #expect((15..<45).contains(first.sampled.count),
                "about 30 of 50: 30%, doubled for annotators new to the workspace: \(first.sampled.count)")
        #expect(first.servedGold.contains(true) && first.servedGold.contains(false), "\(first.servedGold)")
        #expect(first != other, "a different seed draws differently")
    }

    @Test("a draw fixed by a judgment's place is the same however often it is asked, and spread evenly over the keys")
    func fixedDraws() {
        let chance = Chance.seeded(7)
        #expect(chance.uniform(fixedBy: 12, 0) == chance.uniform(fixedBy: 12, 0), "an item decided again draws the same")
        #expect(chance.uniform(fixedBy: 12, 0) != chance.uniform(fixedBy: 12, 1))
        let draws = (1...20_000).map { chance.uniform(fixedBy: Int64($0 / 3), $0 % 3) }
        #expect(abs(Double(draws.count { $0 < 0.05 }) / 20_000 - 0.05) < 0.01, "a 5% rate samples about 5%")
        #expect(Chance.seeded(8).uniform(fixedBy: 12, 0) != chance.uniform(fixedBy: 12, 0), "another seed, other draws")
    }
}
