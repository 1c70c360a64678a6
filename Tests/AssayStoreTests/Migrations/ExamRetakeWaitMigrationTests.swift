import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import Testing

/// Exams made before the retake wait could be sat again at once after a failed attempt.
@Suite("Migration 050: exam retake wait")
struct ExamRetakeWaitMigrationTests {
    @Test("an older qualification exam waits 24 hours after a failure; a training exam none", arguments: TestBackend.allCases)
    func defaults(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store)
            try await Fixtures.items(store, into: queue, count: 4)
            let admin = try await store.createPerson(PersonDraft(name: "Ada", role: .admin), now: now)
            _ = try await store.importGold(
                (1...4).map { GoldDraft(itemExternalID: String(format: "item-%04d", $0), labels: ["spam"]) }, into: queue, by: admin, now: now)
            _ = try await store.createExam(
                ExamDraft(name: "Entry", items: ["item-0003", "item-0004"], passMark: 0.5, retakeAfterHours: 2), in: queue, by: admin, now: now)
            _ = try await store.createExam(
                ExamDraft(name: "Practice", items: ["item-0001", "item-0002"], passMark: 0.5, training: true), in: queue, by: admin, now: now)

            try await database.rerun([AddExamRetakeWait()])
            let waits = Dictionary(uniqueKeysWithValues: try await store.exams(in: queue.id).map { ($0.name, $0.retakeAfterHours) })
            #expect(waits == ["Entry": 24, "Practice": 0])
        }
    }
}
