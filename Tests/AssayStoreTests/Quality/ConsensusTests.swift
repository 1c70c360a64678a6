import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

@Suite("Consensus by skill")
struct ConsensusTests {
    static let labels = ["none", "spam", "hate", "harassment"]

    /// The same simulated crowd's judgments imported into one queue per rule; returns each rule's accuracy
    /// against the simulator's truth (an unresolved item counts as wrong, as it is: it has no label).
    private func accuracies(
        on backend: TestBackend, rules: [ConsensusRule], seed: UInt64
    ) async throws -> [ConsensusRule.Kind: Double] {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            var crowd = CrowdSimulator(labels: Self.labels, seed: seed)
            var random = SplitMix64Generator(seed: seed)
            // Three good annotators, three mediocre, four spammers: a vendor team having a bad week.
            let kinds: [CrowdSimulator.Kind] = [.good, .good, .good, .mediocre, .mediocre, .mediocre,
                                               .spammer, .spammer, .spammer, .spammer]
            var rows: [ImportedJudgment] = []
            var truth: [String: String] = [:]
            for index in 1...400 {
                let item = String(format: "item-%04d", index)
                truth[item] = crowd.truth(of: item)
                var chosen = Set<Int>()
                while chosen.count < 3 { chosen.insert(Int.random(in: 0..<kinds.count, using: &random)) }
                for worker in chosen.sorted() {
                    rows.append(ImportedJudgment(
                        itemExternalID: item, annotatorExternalID: "worker-\(worker)",
                        labels: [crowd.answer(by: kinds[worker], to: item)], rationale: nil, startedAt: nil,
                        submittedAt: now, line: rows.count + 2))
                }
            }
            var result: [ConsensusRule.Kind: Double] = [:]
            for rule in rules {
                let queue = try await store.createQueue(
                    QueueDraft(name: "q-\(rule.kind.rawValue)", schema: .singleChoice(Self.labels.map { LabelOption(code: $0) }),
                               overlap: 3, consensus: rule),
                    now: now)
                try await Fixtures.items(store, into: queue, count: 400, now: now)
                _ = try await store.importJudgments(rows, into: queue, now: now)
                if rule.kind.isModelBased {
                    let estimate = try await store.estimateConsensus(of: queue, now: now)
                    #expect(estimate.judgments == 1_200 && estimate.annotators == 10 && estimate.converged)
                    // Each label it changed is in the audit log, with what it was and what it became.
                    let logged = try await store.auditEvents(AuditFilter(queueID: queue.id, action: .finalLabelReestimated, limit: 1_000))
                    #expect(logged.count == estimate.itemsChanged && estimate.itemsChanged > 0, "\(logged.count) of \(estimate.itemsChanged)")
                    #expect(logged.allSatisfy { $0.actorID == nil && $0.before != nil && $0.after != $0.before })
                }
                let finals = try await store.finalLabels(in: queue.id, after: nil, limit: 1_000)
                #expect(finals.count == 400)
                let right = finals.filter { $0.labels == [truth[$0.externalID]!] }.count
                result[rule.kind] = Double(right) / 400
                // Every unresolved item, and only those, has an open arbitration case.
                let open = try await store.arbitrationFiles(in: queue, state: .open, after: nil, limit: 1_000, now: Date())
                #expect(Set(open.map(\.item.id)) == Set(finals.filter { $0.provenance == .unresolved }.map(\.itemID)))
                #expect(open.allSatisfy { $0.arbitrationCase.reason == $0.finalLabel?.unresolvedReason?.rawValue })
            }
            return result
        }
    }

    @Test("Dawid–Skene and weighted votes recover the simulator's truth better than majority vote",
          arguments: TestBackend.allCases)
    func skillBeatsMajority(on backend: TestBackend) async throws {
        let accuracy = try await accuracies(
            on: backend, rules: [.majority, ConsensusRule(kind: .weighted), ConsensusRule(kind: .dawidSkene)], seed: 42)
        let majority = try #require(accuracy[.majority])
        let weighted = try #require(accuracy[.weighted])
        let dawidSkene = try #require(accuracy[.dawidSkene])
        print("accuracy against the truth: majority \(majority), weighted \(weighted), Dawid–Skene \(dawidSkene)")
        #expect(dawidSkene > majority + 0.05, "Dawid–Skene \(dawidSkene) against majority \(majority)")
        #expect(weighted > majority, "weighted \(weighted) against majority \(majority)")
        #expect(dawidSkene > 0.8, "Dawid–Skene recovers most labels: \(dawidSkene)")
    }

    @Test("a minimum confidence sends Dawid–Skene's doubtful items to arbitration, and re-estimating is stable",
          arguments: TestBackend.allCases)
    func minimumConfidenceOpensCases(on backend: TestBackend) async throws {
        let strict = ConsensusRule(kind: .dawidSkene, minimumAgreement: 0.99)
        let accuracy = try await accuracies(on: backend, rules: [strict], seed: 7)
        #expect(accuracy[.dawidSkene]! < 1, "some items fall below 99% confidence and wait for an arbitrator")
    }
}

/// A seeded generator for test setups (the crowd has its own).
struct SplitMix64Generator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
