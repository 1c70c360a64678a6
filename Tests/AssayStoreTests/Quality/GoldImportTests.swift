import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

@Suite("Judgments imported on gold items")
struct GoldImportTests {
    @Test("judgments made in another tool on gold items score their annotators and make no final label",
          arguments: TestBackend.allCases)
    func importedGoldAnswersScore(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            var queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 12, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            queue = try await store.updateQuality(
                of: queue, to: QualitySettings(minGoldAccuracy: 0.8, minGoldAnswers: 5, goldWindow: 20, autoSuspend: true),
                by: analyst, now: now)
            let gold = (1...10).map { GoldDraft(itemExternalID: String(format: "item-%04d", $0), labels: ["spam"]) }
            _ = try await store.importGold(gold, into: queue, by: analyst, now: now)
            var rows: [ImportedJudgment] = []
            for index in 1...12 {
                let item = String(format: "item-%04d", index)
                let at = now.addingTimeInterval(Double(index))
                rows.append(ImportedJudgment(
                    itemExternalID: item, annotatorExternalID: "vendor-good", labels: ["spam"], rationale: nil,
                    startedAt: nil, submittedAt: at, line: rows.count + 2))
                rows.append(ImportedJudgment(
                    itemExternalID: item, annotatorExternalID: "vendor-bad", labels: ["none"], rationale: nil,
                    startedAt: nil, submittedAt: at, line: rows.count + 2))
            }
            #expect(try await store.importJudgments(rows, into: queue, now: now).inserted == 24)
            let scores = Dictionary(uniqueKeysWithValues: try await store.scores(in: queue).map { ($0.name, $0) })
            #expect(scores["vendor-good"]?.gold == GoldScore(answered: 10, correct: 10))
            #expect(scores["vendor-good"]?.status == .active)
            #expect(scores["vendor-bad"]?.gold == GoldScore(answered: 10, correct: 0))
            #expect(scores["vendor-bad"]?.status == .suspended)
            let finals = try await store.finalLabels(in: queue.id, after: nil, limit: 100)
            #expect(finals.map(\.externalID) == ["item-0011", "item-0012"], "only the ordinary items got final labels")
            let changes = try await store.auditEvents(AuditFilter(queueID: queue.id, action: .memberStatusChanged))
            #expect(changes.count == 1 && changes.first?.actorID == nil)
        }
    }
}
