import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// Label-error flags send disputed final labels back to an arbitrator, one open case per item whoever opened it.
@Suite("Label-error flags and re-review")
struct LabelErrorFlagTests {
    @Test("a label already before an arbitrator is flagged without a second case; flagging runs beside itself",
          arguments: TestBackend.allCases)
    func flagsBesideOpenCases(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await store.createQueue(
                QueueDraft(name: "flagged", schema: .singleChoice([LabelOption(code: "spam"), LabelOption(code: "none")]), overlap: 1),
                now: now)
            _ = try await Fixtures.items(store, into: queue, count: 40, now: now)
            let rows = (1...40).map { index in
                ImportedJudgment(
                    itemExternalID: String(format: "item-%04d", index), annotatorExternalID: "worker-1", labels: ["spam"],
                    rationale: nil, startedAt: nil, submittedAt: now, line: index + 1)
            }
            _ = try await store.importJudgments(rows, into: queue, now: now)
            let finals = try await store.finalLabels(in: queue.id, after: nil, limit: 100)
            try #require(finals.count == 40 && finals.allSatisfy { $0.labels == ["spam"] })
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            func flag(_ final: FinalLabel) -> LabelErrorFlag {
                LabelErrorFlag(
                    itemID: final.itemID, externalID: "", givenLabels: ["spam"], suggestedLabels: ["none"], selfConfidence: 0.05,
                    suggestedConfidence: 0.95)
            }

            // Someone appealed the first item already: flagging it opens no second case and fails nothing.
            _ = try await store.appeal(itemID: finals[0].itemID, note: "looks wrong", by: analyst, now: now)
            let sent = try await store.recordLabelErrors(
                finals.prefix(2).map(flag), in: queue, sendToReview: true, by: analyst, now: now)
            #expect(sent == 1)

            // Two runs at once over overlapping items (10–29, and 39 down to 20: flags come in confidence order, not
            // by item): every flag is kept, and each item has one open case, opened by whichever run came first.
            async let first = store.recordLabelErrors(
                finals[10..<30].map(flag), in: queue, sendToReview: true, by: analyst, now: now)
            async let second = store.recordLabelErrors(
                finals[20..<40].reversed().map(flag), in: queue, sendToReview: true, by: analyst, now: now + 1)
            let (one, two) = try await (first, second)
            #expect(one + two == 30, "cases opened: \(one) and \(two)")

            let open = try await store.arbitrationFiles(in: queue, state: .open, after: nil, limit: 100, now: now)
            let openItems = open.map(\.item.id)
            #expect(openItems.count == Set(openItems).count)
            #expect(Set(openItems) == Set(([0, 1] + Array(10..<40)).map { finals[$0].itemID }))
            let report = try await store.labelErrorReport(of: queue)
            #expect(report.flagged == 42 && report.sentToReview == 31 && report.open == 31)
        }
    }
}
