import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// A queue ordered by uncertainty: the items a model scored come first, least certain first, and the ones it did
/// not score come after them, oldest first.
@Suite("Ordering by uncertainty")
struct UncertaintyOrderTests {
    @Test("scored items by falling uncertainty (0 counts as scored), then unscored items in import order",
          arguments: TestBackend.allCases)
    func scoredThenUnscored(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            var queue = try await store.createQueue(
                QueueDraft(name: "triage", schema: Fixtures.safetySchema, ordering: .uncertainty), now: now)
            try await Fixtures.items(store, into: queue, count: 7, now: now)
            // Uncertainty 1 − confidence: item 4 0.4, item 5 0.3, item 2 0.1, item 6 0 (sure, but scored).
            let model = Predictor.Reference(name: "triage", version: "1")
            let predictions = [(2, 0.9), (4, 0.6), (5, 0.7), (6, 1.0)].map { index, confidence in
                PredictionDraft(itemExternalID: String(format: "item-%04d", index), labels: ["spam"], confidence: confidence)
            }
            _ = try await store.importPredictions(predictions, from: model, into: queue, now: now)
            queue = try await store.updateAssist(of: queue, to: AssistSettings(predictor: model), by: analyst, now: now)

            let person = try await store.createPerson(PersonDraft(name: "Al", role: .annotator), now: now)
            var order: [String] = []
            while let lease = try await store.leaseNextItem(in: queue, for: person, now: now) {
                order.append(lease.item.externalID)
                try await store.skip(lease.assignment.id, by: person, now: now)
            }
            #expect(order == ["item-0004", "item-0005", "item-0002", "item-0006", "item-0001", "item-0003", "item-0007"])
        }
    }
}
