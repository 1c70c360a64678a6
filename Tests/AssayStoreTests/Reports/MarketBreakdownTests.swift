import AssayCore
import AssayTesting
import Foundation
import Testing

@testable import AssayStore

/// Work and decisions are both put under the market of the items worked, so a row by market holds the judgments
/// that made its decisions.
@Suite("Figures by market")
struct MarketBreakdownTests {
    @Test("judgments, gold, QA and decisions of a two-market queue fall under each item's market; migration 041 refills the same",
          arguments: TestBackend.allCases)
    func byItemMarket(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date(timeIntervalSince1970: 1_796_310_000)
            var queue = try await Fixtures.queue(store, markets: ["US", "GB"], now: now)
            for (market, count) in [("US", 4), ("GB", 3)] {
                try await Fixtures.items(store, into: queue, count: count, market: market, prefix: market.lowercased(), now: now)
            }
            try await Fixtures.items(store, into: queue, count: 2, prefix: "none", now: now)  // no market of their own
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            queue = try await store.updateQuality(of: queue, to: QualitySettings(qaRate: 1), by: analyst, now: now)
            _ = try await store.importGold(
                [GoldDraft(itemExternalID: "us-0001", labels: ["spam"]), GoldDraft(itemExternalID: "gb-0001", labels: ["none"])],
                into: queue, by: analyst, now: now)

            // A vendor's tool judged the US items and one GB item; a person here judges the rest, live.
            let imported = ["us-0001", "us-0002", "us-0003", "us-0004", "gb-0002"].enumerated().map { index, item in
                ImportedJudgment(
                    itemExternalID: item, annotatorExternalID: "vendor-1", labels: ["spam"], rationale: nil,
                    startedAt: nil, submittedAt: now.addingTimeInterval(-600), line: index + 2)
            }
            _ = try await store.importJudgments(imported, into: queue, now: now)
            let annotator = try await store.createPerson(PersonDraft(name: "Ann", role: .annotator), now: now)
            var live = 0
            while let lease = try await store.leaseNextItem(in: queue, for: annotator, now: now) {
                _ = try await store.submitJudgment(JudgmentSubmission(labels: ["spam"]), on: lease.assignment.id, by: annotator, now: now)
                live += 1
            }
            #expect(live == 3, "gb-0003 and the two items without a market (gb-0001 is gold, and the gold rate is 0)")
            let reviewer = try await store.createPerson(PersonDraft(name: "Rev", role: .qaReviewer), now: now)
            while let task = try await store.nextQAReview(in: queue, for: reviewer, now: now) {
                _ = try await store.submitQAReview(task.review.id, verdict: QAVerdict(correct: true), by: reviewer, now: now)
            }

            let facts = try await store.reportFacts(queues: [queue], from: now.addingTimeInterval(-86_400), to: now)
            let rows = Dictionary(uniqueKeysWithValues: facts.breakdown(by: .market).map { ($0.key, $0.kpis) })
            #expect(Set(rows.keys) == ["US", "GB", "US, GB"], "\(rows.keys)")
            let us = try #require(rows["US"]), gb = try #require(rows["GB"]), none = try #require(rows["US, GB"])
            #expect(us.judgments == 4 && us.gold.answered == 1 && us.qa.answered == 3 && us.decisions?.decided == 3)
            #expect(gb.judgments == 2 && gb.gold.answered == 0 && gb.qa.answered == 2 && gb.decisions?.decided == 2)
            #expect(none.judgments == 2 && none.qa.answered == 2 && none.decisions?.decided == 2,
                    "items without a market fall under their queue's markets, work and decisions alike")

            // An existing workspace gets the same sums from migration 041, which refills them from the rows they sum:
            // undone (back to sums per queue, day and person) and run again over this workspace's data, with 055, which
            // adds to the table it makes.
            try await database.rerun([KeyActivityByMarket(), CountTimedJudgments()])
            let refilled = try await store.reportFacts(queues: [queue], from: now.addingTimeInterval(-86_400), to: now)
            let order: (ReportFacts.Work, ReportFacts.Work) -> Bool = {
                ($0.annotatorID.uuidString, $0.day, $0.market) < ($1.annotatorID.uuidString, $1.day, $1.market)
            }
            #expect(refilled.work.sorted(by: order) == facts.work.sorted(by: order))
        }
    }
}
