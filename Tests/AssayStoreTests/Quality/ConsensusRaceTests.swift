import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// A re-estimate rewrites many final labels while people work: every server runs one on a timer, so two can run at
/// once, and arbitrators decide cases during them.
@Suite("Consensus estimates beside other writers")
struct ConsensusRaceTests {
    @Test("three estimates at once while an arbitrator decides: decisions stand and the counters equal the final labels",
          arguments: TestBackend.allCases)
    func estimatesBesideDecisions(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let labels = ConsensusTests.labels
            var crowd = CrowdSimulator(labels: labels, seed: 11)
            var random = SplitMix64Generator(seed: 11)
            let kinds: [CrowdSimulator.Kind] = [.good, .good, .mediocre, .mediocre, .spammer, .spammer]
            var rows: [ImportedJudgment] = []
            for index in 1...600 {
                let item = String(format: "item-%04d", index)
                var chosen = Set<Int>()
                while chosen.count < 3 { chosen.insert(Int.random(in: 0..<kinds.count, using: &random)) }
                for worker in chosen.sorted() {
                    rows.append(ImportedJudgment(
                        itemExternalID: item, annotatorExternalID: "worker-\(worker)",
                        labels: [crowd.answer(by: kinds[worker], to: item)], rationale: nil, startedAt: nil, submittedAt: now,
                        line: rows.count + 2))
                }
            }
            let queue = try await store.createQueue(
                QueueDraft(
                    name: "raced", schema: .singleChoice(labels.map { LabelOption(code: $0) }), overlap: 3,
                    consensus: ConsensusRule(kind: .dawidSkene, minimumAgreement: 0.9)),
                now: now)
            try await Fixtures.items(store, into: queue, count: 600, now: now)
            // Imported before any model: decided by majority, ties and doubts sent to arbitration.
            _ = try await store.importJudgments(rows, into: queue, now: now)
            let open = try await store.arbitrationFiles(in: queue, state: .open, after: nil, limit: 1_000, now: now)
            try #require(open.count > 20, "a test of decisions needs cases: \(open.count)")
            let arbitrator = try await store.createPerson(PersonDraft(name: "Ari", role: .arbitrator), now: now)

            async let estimates: [ConsensusEstimate] = withThrowingTaskGroup(of: ConsensusEstimate.self) { group in
                for _ in 0..<3 { group.addTask { try await store.estimateConsensus(of: queue, now: now) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            async let decided: [Int64: [String]] = {
                var decided: [Int64: [String]] = [:]
                for file in open {
                    do {
                        let decision = try await store.decide(
                            file.arbitrationCase.id, labels: ["harassment"], rationale: nil, promoteToGold: false, by: arbitrator,
                            now: now)
                        decided[decision.itemID] = decision.labels
                    } catch AssayError.conflict {
                        // The estimate resolved the item first and withdrew its case: nothing to decide.
                    }
                }
                return decided
            }()
            let (done, decisions) = try await (estimates, decided)
            #expect(done.count == 3 && !decisions.isEmpty)

            let finals = try await store.finalLabels(in: queue.id, after: nil, limit: 1_000)
            let byItem = Dictionary(uniqueKeysWithValues: finals.map { ($0.itemID, $0) })
            for (item, labels) in decisions {
                #expect(byItem[item]?.provenance == .arbitration && byItem[item]?.labels == labels, "item \(item): \(String(describing: byItem[item]))")
            }
            let stats = try await store.stats(of: queue.id)
            let unresolved = finals.filter { $0.provenance == .unresolved }.count
            #expect(stats.unresolvedItems == unresolved && stats.resolvedItems == finals.count - unresolved,
                    "counters \(stats.resolvedItems)/\(stats.unresolvedItems) against final labels \(finals.count - unresolved)/\(unresolved)")
            // Every unresolved item, and only those, has an open case; a decided item has none.
            let stillOpen = try await store.arbitrationFiles(in: queue, state: .open, after: nil, limit: 1_000, now: now)
            #expect(Set(stillOpen.map(\.item.id)) == Set(finals.filter { $0.provenance == .unresolved }.map(\.itemID)))
            // A further estimate finds nothing to change: the three wrote the same labels once.
            #expect(try await store.estimateConsensus(of: queue, now: now).itemsChanged == 0)
        }
    }
}
