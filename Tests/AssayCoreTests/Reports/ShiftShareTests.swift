import AssayCore
import AssayQuality
import Foundation
import Testing

@Suite("Shift-share decomposition")
struct ShiftShareTests {
    @Test("the documented example: vendor B's rate and growing share explain the drop")
    func documentedExample() throws {
        let change = ShiftShare(
            before: ["A": (weight: 90, value: 0.9), "B": (weight: 10, value: 0.9)],
            after: ["A": (weight: 50, value: 0.95), "B": (weight: 50, value: 0.75)])
        #expect(abs(try #require(change.total) + 0.05) < 1e-12)
        let b = try #require(change.groups.first)
        #expect(b.key == "B")
        #expect(abs(b.rateEffect + 0.045) < 1e-12 && abs(b.mixEffect + 0.02) < 1e-12)
        let a = try #require(change.groups.last)
        #expect(abs(a.rateEffect - 0.035) < 1e-12 && abs(a.mixEffect + 0.02) < 1e-12)
    }

    /// Whatever the groups, the contributions add up to the change exactly, including groups in one period only.
    @Test("contributions always add up to the whole change", arguments: 1...20)
    func contributionsAddUp(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed))
        func groups() -> [String: (weight: Double, value: Double)] {
            var result: [String: (weight: Double, value: Double)] = [:]
            for key in ["a", "b", "c", "d", "e"] where Bool.random(using: &random) || key == "a" {
                result[key] = (Double(Int.random(in: 1...500, using: &random)), Double.random(in: 0...1, using: &random))
            }
            return result
        }
        let change = ShiftShare(before: groups(), after: groups())
        let sum = change.groups.reduce(0) { $0 + $1.contribution }
        #expect(abs(sum - (change.total ?? .nan)) < 1e-9)
        #expect(change.groups.map { abs($0.contribution) } == change.groups.map { abs($0.contribution) }.sorted(by: >))
    }

    @Test("a group in one period only has no rate effect; an empty period gives no decomposition")
    func edges() throws {
        let change = ShiftShare(before: ["A": (weight: 10, value: 0.8)], after: ["A": (10, 0.8), "New": (10, 0.4)])
        let new = try #require(change.groups.first { $0.key == "New" })
        #expect(new.rateEffect == 0 && new.mixEffect < 0 && new.before == nil)
        let empty = ShiftShare(before: [:], after: ["A": (weight: 10, value: 0.8)])
        #expect(empty.total == nil && empty.groups.isEmpty && empty.after == 0.8)
    }
}

@Suite("Business review periods and breakdowns")
struct BusinessReviewTests {
    static let formatter = Calendar.utcDayFormatter

    @Test("a week runs Monday to Sunday; a month is the calendar month; the last complete one is before today")
    func periods() throws {
        let tuesday = try #require(Self.formatter.date(from: "2026-11-24"))
        let week = BusinessReview.Period.week.span(containing: tuesday)
        #expect(Self.formatter.string(from: week.start) == "2026-11-23" && week.title == "2026-11-23 to 2026-11-29")
        #expect(BusinessReview.Period.week.lastComplete(before: tuesday).title == "2026-11-16 to 2026-11-22")
        let month = BusinessReview.Period.month.lastComplete(before: tuesday)
        #expect(month.title == "2026-10-01 to 2026-10-31")
        #expect(BusinessReview.Period.month.previous(of: month).title == "2026-09-01 to 2026-09-30")
        let newYear = try #require(Self.formatter.date(from: "2027-01-01"))
        #expect(BusinessReview.Period.week.span(containing: newYear).title == "2026-12-28 to 2027-01-03")
        #expect(ReportFacts.timeKey(Int64(newYear.timeIntervalSince1970 / 86_400), .week).0 == "2026-W53")
    }

    @Test("breakdowns by week, vendor and label add up to the total, and a review compares and explains")
    func breakdowns() throws {
        let queue = Queue(
            id: UUID(), name: "q", description: "", domain: "", markets: ["DE"], languages: [],
            schema: .singleChoice([LabelOption(code: "spam"), LabelOption(code: "none")]), overlap: 1, leaseSeconds: 60,
            consensus: .majority, ordering: .oldest, quality: QualitySettings(), createdAt: Date())
        let (ann, bob) = (UUID(), UUID())
        let people = [
            ann: ReportFacts.Person(id: ann, externalID: "ann", name: "Ann", vendorID: nil, vendor: "Acme", team: "One"),
            bob: ReportFacts.Person(id: bob, externalID: "bob", name: "Bob", vendorID: nil, vendor: "Globex", team: nil),
        ]
        func facts(_ firstDay: Int64, bobGold: Int) -> ReportFacts {
            let work = (firstDay..<(firstDay + 7)).flatMap { day in
                [
                    ReportFacts.Work(
                        queueID: queue.id, day: day, annotatorID: ann, judgments: 10, timeSpentMs: 10_000,
                        gold: GoldScore(answered: 10, correct: 9), qa: GoldScore(answered: 2, correct: 2)),
                    ReportFacts.Work(
                        queueID: queue.id, day: day, annotatorID: bob, judgments: 10, timeSpentMs: 30_000,
                        gold: GoldScore(answered: 10, correct: bobGold), qa: GoldScore(answered: 0, correct: 0)),
                ]
            }
            return ReportFacts(
                days: firstDay...(firstDay + 6), queues: [queue], work: work, decisionsIncluded: true, decisions: [],
                goldAnswers: [
                    .init(queueID: queue.id, day: firstDay, reference: "spam", given: "spam", count: bobGold * 7),
                    .init(queueID: queue.id, day: firstDay, reference: "spam", given: "none", count: (10 - bobGold) * 7),
                ],
                people: people)
        }
        let monday = Int64(try #require(Self.formatter.date(from: "2026-11-16")).timeIntervalSince1970 / 86_400)
        let before = facts(monday - 7, bobGold: 9)
        let after = facts(monday, bobGold: 5)
        #expect(after.breakdown(by: .week).map(\.key) == ["2026-W47"])
        #expect(after.breakdown(by: .week).map(\.title) == ["2026-W47"], "a whole week")
        var straddling = after
        straddling.days = (monday - 1)...(monday + 1)
        #expect(straddling.breakdown(by: .week).map(\.title) == ["2026-W46 (1 of 7 days)", "2026-W47 (2 of 7 days)"],
                "weeks the period covers in part say so")
        #expect(after.breakdown(by: .day).count == 7)
        let vendors = after.breakdown(by: .vendor)
        #expect(vendors.map(\.key) == ["Acme", "Globex"])
        #expect(vendors.reduce(0) { $0 + $1.kpis.judgments } == after.total.judgments)
        #expect(vendors.allSatisfy { $0.kpis.decisions == nil })
        #expect(after.breakdown(by: .team).map(\.key) == ["Acme / One", "Globex / (no team)"])
        #expect(after.breakdown(by: .label).map { $0.kpis.gold } == [GoldScore(answered: 70, correct: 35)])
        #expect(after.total.averageHandlingSeconds == 2)

        let span = BusinessReview.Period.week.span(containing: try #require(Self.formatter.date(from: "2026-11-18")))
        let review = BusinessReview(period: .week, span: span, current: after, previous: before)
        let gold = try #require(review.kpis.first { $0.name == "Gold accuracy" })
        #expect(gold.isImprovement == false && gold.isClearChange)
        let byVendor = try #require(review.rootCauses.first { $0.figure == "Gold accuracy" && $0.dimension == .vendor })
        #expect(byVendor.change.groups.first?.key == "Globex")
        #expect(abs(byVendor.change.groups.first!.contribution - (-0.2)) < 1e-9, "Bob's 40-point drop on half the answers")
        #expect(review.annotatorMovers.first?.title == "Bob")
        #expect(review.labelMovers.first?.key == "spam")
        // A label needs as many answers in both periods as a person does to be called a mover.
        let strict = BusinessReview(period: .week, span: span, current: after, previous: before, minimumAnswers: 71)
        #expect(strict.labelMovers.isEmpty && strict.annotatorMovers.isEmpty)
    }

    @Test("by label, rows are named as the queue names its labels; over several queues each queue's labels are apart")
    func labelsByQueue() throws {
        func queue(_ name: String, _ schema: LabelSchema) -> Queue {
            Queue(
                id: UUID(), name: name, description: "", domain: "", markets: [], languages: [], schema: schema, overlap: 1,
                leaseSeconds: 60, consensus: .majority, ordering: .oldest, createdAt: Date())
        }
        let comments = queue("comments", .singleChoice([LabelOption(code: "spam", name: "Spam"), LabelOption(code: "none", name: "No violation")]))
        let ads = queue("ads", .multiChoice([LabelOption(code: "scam", name: "Scam"), LabelOption(code: "none", name: "Compliant")]))
        func facts(_ queues: [Queue]) -> ReportFacts {
            ReportFacts(
                days: 0...0, queues: queues, work: [], decisionsIncluded: true, decisions: [],
                goldAnswers: [
                    .init(queueID: comments.id, day: 0, reference: "none", given: "none", count: 3),
                    .init(queueID: ads.id, day: 0, reference: "none", given: "scam", count: 2),
                    .init(queueID: ads.id, day: 0, reference: "scam+none", given: "scam", count: 1),
                ].filter { answer in queues.contains { $0.id == answer.queueID } },
                people: [:])
        }
        let one = facts([comments]).breakdown(by: .label)
        #expect(one.map(\.key) == ["none"] && one.map(\.title) == ["No violation"])
        let both = facts([comments, ads]).breakdown(by: .label)
        #expect(both.map(\.key) == ["ads/none", "ads/scam+none", "comments/none"])
        #expect(both.map(\.title) == ["ads · Compliant", "ads · Scam + Compliant", "comments · No violation"])
        #expect(both.map(\.kpis.gold.answered) == [2, 1, 3])
    }
}
