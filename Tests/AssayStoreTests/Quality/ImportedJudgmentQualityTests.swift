import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// Vendors label in their own tools; their judgments go through the same quality checks as those made here.
@Suite("Quality checks on imported judgments")
struct ImportedJudgmentQualityTests {
    @Test("an imported judgment records the guidelines in force when it was made, and is sampled for QA",
          arguments: TestBackend.allCases)
    func guidelinesAndQA(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date(timeIntervalSince1970: 1_793_966_400)  // 2026-11-06T12:00:00Z: the offsets below fall on known days
            let day = 86_400.0
            var queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 5, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            queue = try await store.updateQuality(of: queue, to: QualitySettings(qaRate: 1), by: analyst, now: now)
            for (text, effective) in [("v1", now.addingTimeInterval(-10 * day)), ("v2", now.addingTimeInterval(-1 * day))] {
                _ = try await store.publishGuideline(GuidelineDraft(markdown: text, effectiveAt: effective), for: queue, by: analyst, now: now)
            }
            let made = [-20 * day, -5 * day, -1 * day + 1, -3_600, -60]
            let rows = made.enumerated().map { index, offset in
                ImportedJudgment(
                    itemExternalID: String(format: "item-%04d", index + 1), annotatorExternalID: "vendor-\(index % 2)",
                    labels: ["spam"], rationale: nil, startedAt: nil, submittedAt: now.addingTimeInterval(offset), line: index + 2)
            }
            #expect(try await store.importJudgments(rows, into: queue, now: now).inserted == 5)

            var versions: [Int?] = []
            for final in try await store.finalLabels(in: queue.id, after: nil, limit: 10) {
                versions += try await store.judgments(of: final.itemID).map(\.guidelineVersion)
            }
            #expect(versions == [nil, 1, 2, 2, 2], "none before v1; v1 from ten days ago; v2 from yesterday")
            let report = try await store.qaReport(of: queue)
            #expect(report.pending == 5, "qa_rate 1 samples every imported judgment once its item is decided")

            // Imported work counts on the day it was done in the activity figures.
            let activity = try await store.activity(of: queue, from: now.addingTimeInterval(-30 * day), to: now)
            #expect(activity.total.judgments == 5)
            #expect(activity.days.filter { $0.judgments > 0 }.count == 4, "two judgments share today, one a minute old")
            #expect(try await store.activity(of: queue, from: now.addingTimeInterval(-10 * day), to: now).total.judgments == 4)

            // Importing the same file again adds nothing and samples nothing twice.
            #expect(try await store.importJudgments(rows, into: queue, now: now).inserted == 0)
            #expect(try await store.qaReport(of: queue).pending == 5)
            #expect(try await store.activity(of: queue, from: now.addingTimeInterval(-30 * day), to: now).total.judgments == 5)
        }
    }
}
