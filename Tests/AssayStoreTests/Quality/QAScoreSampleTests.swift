import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import SQLKit
import Testing

/// The QA score stands for all the work: the reviews drawn above the base rate (here, newcomers' judgments, sampled
/// twice as often) are done, but only those under it count in the score, everywhere it is shown.
@Suite("The QA score's sample")
struct QAScoreSampleTests {
    @Test("newcomers' extra reviews are done but left out of the score: figures, scores and the QA report agree",
          arguments: TestBackend.allCases)
    func scoreSample(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            var queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 300, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            queue = try await store.updateQuality(of: queue, to: QualitySettings(qaRate: 0.25), by: analyst, now: now)
            // Two annotators new to the workspace: each judgment is sampled at 50%, half of that for the score.
            let rows = (1...300).map { index in
                ImportedJudgment(
                    itemExternalID: String(format: "item-%04d", index), annotatorExternalID: "new-\(index % 2)",
                    labels: ["spam"], rationale: nil, startedAt: nil, submittedAt: now.addingTimeInterval(-60), line: index + 1)
            }
            _ = try await store.importJudgments(rows, into: queue, now: now)
            let sampled = try await store.sql().raw("""
                SELECT CAST(SUM(CASE WHEN in_score THEN 1 ELSE 0 END) AS BIGINT) AS scored, COUNT(*) AS sampled
                FROM qa_reviews WHERE queue_id = \(bind: queue.id)
                """).first()!
            let (scored, all) = (try sampled.int("scored"), try sampled.int("sampled"))
            #expect((110...190).contains(all), "about half of 300 sampled: \(all)")
            #expect(scored > all / 4 && scored < all * 3 / 4, "about half of those in the score: \(scored) of \(all)")

            let reviewer = try await store.createPerson(PersonDraft(name: "Rev", role: .qaReviewer), now: now)
            var done = 0
            while let task = try await store.nextQAReview(in: queue, for: reviewer, now: now) {
                let correct = done % 3 != 0
                _ = try await store.submitQAReview(
                    task.review.id, verdict: QAVerdict(correct: correct, labels: correct ? nil : ["none"], severity: correct ? nil : .minor),
                    by: reviewer, now: now)
                done += 1
            }
            #expect(done == all, "every sampled judgment is reviewed")
            let facts = try await store.reportFacts(queues: [queue], from: now, to: now, now: now).total
            #expect(facts.qa.answered == scored)
            let scores = try await store.scores(in: queue, window: 1_000, now: now)
            #expect(scores.map(\.qa.answered).reduce(0, +) == scored)
            let report = try await store.qaReport(of: queue)
            #expect(report.overall.reviewed == scored)
            #expect(report.strata.map(\.reviewed).reduce(0, +) == all, "strata count every review")
        }
    }
}
