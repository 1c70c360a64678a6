import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import SQLKit
import Testing

/// Training exams made before a training exam retired its items left them scoring people who had seen their answers.
@Suite("Migration 048: training exams' gold")
struct TrainingExamGoldMigrationTests {
    @Test("an older training exam's active gold is retired and logged; a qualification exam's stays", arguments: TestBackend.allCases)
    func retiresShownGold(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store)
            try await Fixtures.items(store, into: queue, count: 4)
            let admin = try await store.createPerson(PersonDraft(name: "Ada", role: .admin), now: now)
            _ = try await store.importGold(
                (1...4).map { GoldDraft(itemExternalID: String(format: "item-%04d", $0), labels: ["spam"]) }, into: queue, by: admin, now: now)
            _ = try await store.createExam(ExamDraft(name: "Entry", items: ["item-0003", "item-0004"], passMark: 0.5), in: queue, by: admin, now: now)
            _ = try await store.createExam(
                ExamDraft(name: "Practice", items: ["item-0001", "item-0002"], passMark: 0.5, training: true), in: queue, by: admin, now: now)
            // As an older version left them: the training exam's items still active.
            try await store.sql().raw("UPDATE items SET gold_state = 'active' WHERE queue_id = \(bind: queue.id)").run()

            try await database.rerun([RetireTrainingExamGold()])
            let states = Dictionary(uniqueKeysWithValues: try await store.gold(in: queue.id, after: nil, limit: 10).map { ($0.itemExternalID, $0.state) })
            #expect(states == ["item-0001": .retired, "item-0002": .retired, "item-0003": .active, "item-0004": .active])
            let logged = try await store.auditEvents(AuditFilter(queueID: queue.id, action: .goldRetired))
            #expect(logged.filter { $0.reason?.contains("migration 048") == true }.count == 2)
        }
    }
}
