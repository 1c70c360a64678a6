import AssayCore
import AssayQuality
@testable import AssayStore
import AssayTesting
import Foundation
import SQLKit
import Testing

/// The running sums behind reports agree with what they sum: the judgments, the final labels, the cases.
@Suite("Report facts")
struct ReportFactsTests {
    static let labels = ["hate", "harassment", "spam", "none"]

    @Test("α over two queues keeps each queue's labels apart: `none` in one taxonomy is not `none` in another",
          arguments: TestBackend.allCases)
    func alphaAcrossQueues(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let start = Calendar.utc.startOfDay(for: Date()).addingTimeInterval(-2 * 86_400)
            let first = try await Fixtures.queue(store, name: "first", overlap: 2, now: start)
            let second = try await Fixtures.queue(store, name: "second", overlap: 2, now: start)
            var units: [(queue: String, labels: [String])] = []
            for (queue, votes) in [(first, [["spam", "none"], ["none", "none"], ["none", "none"]]),
                                   (second, [["spam", "spam"], ["spam", "none"], ["spam", "spam"]])] {
                try await Fixtures.items(store, into: queue, count: votes.count, now: start)
                let rows = votes.enumerated().flatMap { index, pair in
                    pair.enumerated().map { worker, label in
                        ImportedJudgment(
                            itemExternalID: String(format: "item-%04d", index + 1), annotatorExternalID: "w-\(worker)",
                            labels: [label], rationale: nil, startedAt: nil, submittedAt: start, line: worker + 2)
                    }
                }
                _ = try await store.importJudgments(rows, into: queue, now: start.addingTimeInterval(60))
                units += votes.map { (queue.name, $0) }
            }
            var apart = CoincidenceCounts()
            for unit in units { apart.addUnit(unit.labels.map { "\(unit.queue):\($0)" }) }
            let expected = try KrippendorffAlpha().measure(apart).value
            var pooled = CoincidenceCounts()
            for unit in units { pooled.addUnit(unit.labels) }
            #expect(abs(try KrippendorffAlpha().measure(pooled).value - expected) > 0.01, "the example tells the two apart")
            let facts = try await store.reportFacts(queues: [first, second], from: start, to: start)
            #expect(abs(try #require(facts.total.alpha) - expected) < 1e-9, "\(facts.total.alpha ?? .nan) vs \(expected)")
        }
    }

    @Test("decision sums match the judgments (α, unanimity, arbitration, SLA), arbitration and appeals count, a vendor's view has no decision figures",
          arguments: TestBackend.allCases)
    func decisionSums(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let start = Calendar.utc.startOfDay(for: Date()).addingTimeInterval(-10 * 86_400)
            var queue = try await Fixtures.queue(store, name: "facts", overlap: 3, markets: ["US"], now: start)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: start)
            queue = try await store.updateQuality(
                of: queue, to: QualitySettings(slaHours: 24), by: analyst, now: start)
            try await Fixtures.items(store, into: queue, count: 40, market: "DE", now: start)
            try await Fixtures.items(store, into: queue, count: 20, prefix: "plain", now: start)
            let acme = try await store.createVendor(named: "Acme", now: start)
            _ = try await store.createPerson(
                PersonDraft(externalID: "worker-0", name: "Wanda", role: .annotator, vendorID: acme.id), now: start)

            var crowd = CrowdSimulator(labels: Self.labels, seed: 11)
            var random = SplitMix64Generator(seed: 11)
            let kinds: [CrowdSimulator.Kind] = [.good, .good, .mediocre, .mediocre, .spammer, .good]
            var rows: [ImportedJudgment] = []
            for item in (1...40).map({ String(format: "item-%04d", $0) }) + (1...20).map({ String(format: "plain-%04d", $0) }) {
                var chosen = Set<Int>()
                while chosen.count < 3 { chosen.insert(Int.random(in: 0..<kinds.count, using: &random)) }
                for worker in chosen.sorted() {
                    rows.append(ImportedJudgment(
                        itemExternalID: item, annotatorExternalID: "worker-\(worker)",
                        labels: [crowd.answer(by: kinds[worker], to: item)], rationale: nil, startedAt: nil,
                        submittedAt: start.addingTimeInterval(3_600), line: rows.count + 2))
                }
            }
            let decidedAt = start.addingTimeInterval(2 * 3_600)
            _ = try await store.importJudgments(rows, into: queue, now: decidedAt)

            let facts = try await store.reportFacts(queues: [queue], from: start, to: start)
            let total = facts.total
            let counts = try #require(total.decisions)
            let finals = try await store.finalLabels(in: queue.id, after: nil, limit: 100)
            let byItem = Dictionary(grouping: rows, by: \.itemExternalID)
            #expect(counts.decided == 60 && counts.units == 60)
            #expect(counts.unanimous == byItem.values.filter { Set($0.map(\.labels)).count == 1 }.count)
            #expect(counts.unresolved == finals.filter { $0.provenance == .unresolved }.count)
            #expect(counts.unresolved > 0, "the spammer makes some ties")
            #expect(counts.firstResolved == 60 - counts.unresolved)
            #expect(counts.slaCounted == counts.firstResolved && counts.slaMet == counts.firstResolved)
            // Decided when the judgments were made (an hour after import), not when they were imported here.
            #expect(counts.waitMs == Int64(counts.firstResolved) * 3_600_000)
            let direct = try KrippendorffAlpha().measure(try JudgmentMatrix(triples: rows.map {
                (item: $0.itemExternalID, worker: $0.annotatorExternalID, label: $0.labels[0])
            }))
            #expect(abs(try #require(total.alpha) - direct.value) < 1e-9, "α \(total.alpha ?? .nan) vs \(direct.value)")
            #expect(total.judgments == 180)

            // Filling the tables from scratch, as migration 024 does on an existing workspace, gives the same sums.
            let sql = try store.sql()
            try await sql.raw("DELETE FROM agreement_days").run()
            try await sql.raw("DELETE FROM decision_days").run()
            try await CreateDecisionDays.backfill(sql)
            let refilled = try await store.reportFacts(queues: [queue], from: start, to: start).total
            #expect(refilled.decisions?.decided == counts.decided && refilled.decisions?.unanimous == counts.unanimous)
            #expect(refilled.decisions?.unresolved == counts.unresolved && refilled.decisions?.units == counts.units)
            #expect(refilled.decisions?.waitMs == counts.waitMs)
            #expect(abs((refilled.alpha ?? .nan) - direct.value) < 1e-9)

            // By market: the items' own market, or the queue's for items without one.
            let markets = facts.breakdown(by: .market)
            #expect(markets.map(\.key) == ["DE", "US"])
            #expect(markets.map { $0.kpis.decisions?.decided } == [40, 20])

            // An arbitrator resolves one case a day and a half later: past the 24-hour SLA.
            let arbitrator = try await store.createPerson(PersonDraft(name: "Arbi", role: .arbitrator), now: start)
            let open = try await store.arbitrationFiles(in: queue, state: .open, after: nil, limit: 100, now: decidedAt)
            let late = start.addingTimeInterval(36 * 3_600)
            _ = try await store.decide(
                open[0].arbitrationCase.id, labels: ["spam"], rationale: nil, promoteToGold: false, by: arbitrator, now: late)
            // Two appeals: one overturned, one upheld.
            let resolved = finals.filter { $0.provenance != .unresolved }
            for (index, final) in resolved.prefix(2).enumerated() {
                let appeal = try await store.appeal(itemID: final.itemID, note: nil, by: analyst, now: late)
                #expect(appeal.appealedLabels == final.labels)
                let other = Self.labels.first { $0 != final.labels?.first }!
                _ = try await store.decide(
                    appeal.id, labels: index == 0 ? [other] : final.labels!, rationale: nil, promoteToGold: false,
                    by: arbitrator, now: late)
            }
            let next = try #require(try await store.reportFacts(queues: [queue], from: late, to: late).total.decisions)
            #expect(next.decided == 0 && next.arbitrated == 3)
            #expect(next.firstResolved == 1 && next.slaCounted == 1 && next.slaMet == 0)
            #expect(next.appealsDecided == 2 && next.appealsOverturned == 1)
            let both = try await store.reportFacts(queues: [queue], from: start, to: late)
            #expect(both.breakdown(by: .day).count == 2)
            #expect(both.breakdown(by: .day).compactMap { $0.kpis.decisions?.arbitrated } == [0, 3])

            // A vendor's view: only its people's work, and no decision figures.
            let vendorView = try await store.reportFacts(queues: [queue], from: start, to: start, vendorID: acme.id)
            #expect(!vendorView.decisionsIncluded && vendorView.decisions.isEmpty && vendorView.total.decisions == nil)
            #expect(vendorView.total.judgments == rows.filter { $0.annotatorExternalID == "worker-0" }.count)
            #expect(vendorView.breakdown(by: .vendor).map(\.key) == ["Acme"])
        }
    }

    @Test("judgments made in another tool decide their items on the day they were made; decided before their import, items have no known wait",
          arguments: TestBackend.allCases)
    func importedDecisionsCountWhenMade(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let start = Calendar.utc.startOfDay(for: Date()).addingTimeInterval(-20 * 86_400)
            let day = { (offset: Double) in start.addingTimeInterval(offset * 86_400) }
            var queue = try await Fixtures.queue(store, name: "elsewhere", overlap: 2, now: start)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: start)
            queue = try await store.updateQuality(of: queue, to: QualitySettings(slaHours: 24), by: analyst, now: start)
            // Items sent out on day 0 and judged on day 3 (three days' wait); items judged on day 5 but only brought
            // in on day 15, with their judgments (a history imported after the fact).
            try await Fixtures.items(store, into: queue, count: 3, prefix: "sent", now: day(0))
            try await Fixtures.items(store, into: queue, count: 2, prefix: "history", now: day(15))
            var rows: [ImportedJudgment] = []
            for (prefix, count, made) in [("sent", 3, day(3)), ("history", 2, day(5))] {
                for index in 1...count {
                    for worker in ["w-1", "w-2"] {
                        rows.append(ImportedJudgment(
                            itemExternalID: String(format: "%@-%04d", prefix, index), annotatorExternalID: worker,
                            labels: ["spam"], rationale: nil, startedAt: made.addingTimeInterval(-30),
                            submittedAt: worker == "w-1" ? made.addingTimeInterval(-600) : made, line: rows.count + 2))
                    }
                }
            }
            _ = try await store.importJudgments(rows, into: queue, now: day(15).addingTimeInterval(3_600))

            let decided = try await store.finalLabels(in: queue.id, after: nil, limit: 10)
            #expect(decided.count == 5)
            for label in decided {
                let made = label.externalID.hasPrefix("sent") ? day(3) : day(5)
                #expect(label.decidedAt == made, "\(label.externalID) decided when its last judgment was made")
            }
            let sums = try await store.sql().raw("""
                SELECT day, CAST(SUM(decided) AS BIGINT) AS decided, CAST(SUM(first_resolved) AS BIGINT) AS resolved,
                       CAST(SUM(waited) AS BIGINT) AS waited, CAST(SUM(sla_counted) AS BIGINT) AS sla_counted,
                       CAST(SUM(sla_met) AS BIGINT) AS sla_met
                FROM decision_days WHERE queue_id = \(bind: queue.id) GROUP BY day ORDER BY day
                """).all().map {
                    [try $0.int("day"), try $0.int("decided"), try $0.int("resolved"), try $0.int("waited"),
                     try $0.int("sla_counted"), try $0.int("sla_met")]
                }
            let firstDay = Int(ActivityRollup.day(Column.millis(start)))
            #expect(sums == [[firstDay + 3, 3, 3, 3, 3, 0], [firstDay + 5, 2, 2, 0, 0, 0]])

            let facts = try await store.reportFacts(queues: [queue], from: start, to: day(16), now: day(16))
            let waited = try #require(facts.total.averageWaitHours)
            #expect(abs(waited - 72) < 1e-9, "the mean wait is the sent items' three days, not diluted by the history")
            #expect(facts.total.sla?.answered == 3 && facts.total.sla?.correct == 0)
        }
    }

    @Test("judgments made elsewhere without a start time count as judgments but not in the mean handling time, before and after migration 055",
          arguments: TestBackend.allCases)
    func untimedJudgments(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let start = Calendar.utc.startOfDay(for: Date()).addingTimeInterval(-3 * 86_400)
            let queue = try await Fixtures.queue(store, name: "timed", overlap: 1, now: start)
            try await Fixtures.items(store, into: queue, count: 4, market: "DE", now: start)
            let made = start.addingTimeInterval(3_600)
            let rows = (1...4).map { index in
                ImportedJudgment(
                    itemExternalID: String(format: "item-%04d", index), annotatorExternalID: "w-1", labels: ["spam"],
                    rationale: nil, startedAt: index <= 2 ? made.addingTimeInterval(-30) : nil, submittedAt: made, line: index + 1)
            }
            _ = try await store.importJudgments(rows, into: queue, now: made.addingTimeInterval(60))
            for pass in ["as imported", "after migration 055 counted them again"] {
                let total = try await store.reportFacts(queues: [queue], from: start, to: start, now: made).total
                #expect(total.judgments == 4 && total.timedJudgments == 2, "\(pass)")
                #expect(total.averageHandlingSeconds == 30, "\(pass): \(total.averageHandlingSeconds ?? .nan)")
                try await database.rerun([CountTimedJudgments()])
            }
        }
    }
}
