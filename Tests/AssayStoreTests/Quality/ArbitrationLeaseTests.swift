import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// Arbitration cases are leased, one arbitrator at a time, so two arbitrators on a queue work different cases.
@Suite("Arbitration leases")
struct ArbitrationLeaseTests {
    @Test("two arbitrators are given different cases, each keeps theirs, and a lease that ran out returns its case",
          arguments: TestBackend.allCases)
    func leases(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date(timeIntervalSince1970: 1_796_310_000)
            let queue = try await Fixtures.queue(store, overlap: 2, now: now)
            try await Fixtures.items(store, into: queue, count: 3, now: now)
            // Two annotators disagree on every item: three ties, three open cases.
            let rows = (1...3).flatMap { number in
                [("vendor-a", "spam"), ("vendor-b", "none")].map { annotator, label in
                    ImportedJudgment(
                        itemExternalID: String(format: "item-%04d", number), annotatorExternalID: annotator, labels: [label],
                        rationale: nil, startedAt: nil, submittedAt: now, line: number)
                }
            }
            _ = try await store.importJudgments(rows, into: queue, now: now)
            let ada = try await store.createPerson(PersonDraft(name: "Ada", role: .arbitrator), now: now)
            let bo = try await store.createPerson(PersonDraft(name: "Bo", role: .arbitrator), now: now)

            // Asked at once, they are given different cases.
            async let first = store.leaseArbitrationCase(in: queue, for: ada, now: now)
            async let second = store.leaseArbitrationCase(in: queue, for: bo, now: now)
            let (adaCase, boCase) = (try #require(try await first), try #require(try await second))
            #expect(adaCase.arbitrationCase.id != boCase.arbitrationCase.id)
            // Asking again gives each the case they hold.
            #expect(try await store.leaseArbitrationCase(in: queue, for: ada, now: now)?.arbitrationCase.id == adaCase.arbitrationCase.id)
            // Ada decides hers; the third case is hers next, and then nothing is free for her while Bo holds his.
            _ = try await store.decide(adaCase.arbitrationCase.id, labels: ["spam"], rationale: nil, promoteToGold: false, by: ada, now: now)
            let third = try #require(try await store.leaseArbitrationCase(in: queue, for: ada, now: now))
            #expect(![adaCase.arbitrationCase.id, boCase.arbitrationCase.id].contains(third.arbitrationCase.id))
            _ = try await store.decide(third.arbitrationCase.id, labels: ["none"], rationale: nil, promoteToGold: false, by: ada, now: now)
            #expect(try await store.leaseArbitrationCase(in: queue, for: ada, now: now) == nil, "Bo's case is his")
            // Nor may she decide it while he holds it: the refusal names him, and the case stays open and his.
            do {
                _ = try await store.decide(boCase.arbitrationCase.id, labels: ["spam"], rationale: nil, promoteToGold: false, by: ada, now: now)
                Issue.record("Ada decided the case Bo holds")
            } catch AssayError.conflict(let message) {
                #expect(message.contains("being decided by Bo"), "\(message)")
            }
            #expect(try await store.arbitrationFile(boCase.arbitrationCase.id, now: now).arbitrationCase.state == .open)
            // Bo walks away; once his lease has run out, his case goes to Ada, and she decides it.
            let later = now.addingTimeInterval(Store.arbitrationLeaseSeconds + 1)
            #expect(try await store.leaseArbitrationCase(in: queue, for: ada, now: later)?.arbitrationCase.id == boCase.arbitrationCase.id)
            let decided = try await store.decide(
                boCase.arbitrationCase.id, labels: ["none"], rationale: nil, promoteToGold: false, by: ada, now: later)
            #expect(decided.decidedBy == ada.id)
        }
    }

    @Test("an escalated gold item shows its reference to the arbitrator, who keeps it or replaces it, never contradicts it",
          arguments: TestBackend.allCases)
    func escalatedGold(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date(timeIntervalSince1970: 1_796_310_000)
            var queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 30, now: now)
            let ada = try await store.createPerson(PersonDraft(name: "Ada", role: .arbitrator), now: now)
            let gold = try #require(try await store.items(in: queue.id, after: nil, limit: 1).first)
            _ = try await store.setGold(labels: ["spam"], rationale: "a fake giveaway", onItem: gold.id, by: ada, now: now)
            queue = try await store.updateQuality(of: queue, to: QualitySettings(goldRate: 0.5), by: ada, now: now)
            let annotator = try await Fixtures.annotators(store, count: 1, now: now)[0].person
            // Labelling until the gold item comes (at a gold rate of 0.5, within a few leases), then escalating it.
            let lease = try #require(try await Fixtures.leaseGold(store, in: queue, for: annotator, now: now) { $0.id == gold.id }.lease)
            _ = try await store.escalate(lease.assignment.id, note: "unsure", by: annotator, now: now)

            let file = try #require(try await store.leaseArbitrationCase(in: queue, for: ada, now: now))
            #expect(file.gold?.labels == ["spam"] && file.gold?.rationale == "a fake giveaway")
            await #expect("a decision against the reference is refused, naming it") {
                try await store.decide(file.arbitrationCase.id, labels: ["none"], rationale: nil, promoteToGold: false, by: ada, now: now)
            } throws: { error in
                guard case AssayError.invalidInput("labels", nil, let reason) = error else { return false }
                return reason.contains("gold with the reference spam") && reason.contains("promote_to_gold")
            }
            let still = try #require(try await store.leaseArbitrationCase(in: queue, for: ada, now: now))
            #expect(still.arbitrationCase.id == file.arbitrationCase.id && still.arbitrationCase.state == .open, "the case stays open, Ada's")
            #expect(try await store.finalLabels(in: queue.id, after: nil, limit: 10).isEmpty, "nothing changed")
            _ = try await store.decide(file.arbitrationCase.id, labels: ["none"], rationale: "not a scam", promoteToGold: true, by: ada, now: now)
            let final = try #require(try await store.finalLabels(in: queue.id, after: nil, limit: 10).first)
            #expect(final.labels == ["none"])
            let reference = try await store.gold(in: queue.id, after: nil, limit: 10).first
            #expect(reference?.labels == ["none"], "the decision is the new reference")
        }
    }
}
