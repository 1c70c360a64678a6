import AssayQuality
import Foundation

/// The key figures of some slice of work — a day, a vendor, a market, a label — summed from ``ReportFacts``.
///
/// Every rate is a ``GoldScore`` (hits `correct` out of trials `answered`) so that it carries its 95% Wilson
/// interval wherever it is shown. Decision figures (agreement, arbitration, SLA, appeals) belong to queues, days
/// and markets, not to people: on a vendor, team or annotator row they are nil.
///
/// For example:
/// ```swift
/// let byWeek = facts.breakdown(by: .week)
/// for row in byWeek { print(row.title, row.kpis.gold.accuracy ?? 0, row.kpis.alpha ?? 0) }
/// ```
public struct KPIs: Sendable, Equatable {
    public var judgments = 0
    /// Judgments whose handling time is known, which ``averageHandlingSeconds`` averages over.
    public var timedJudgments = 0
    public var timeSpentMs = 0
    /// Gold answers and how many matched the reference.
    public var gold = GoldScore(answered: 0, correct: 0)
    /// QA verdicts and how many found the judgment correct.
    public var qa = GoldScore(answered: 0, correct: 0)
    /// How items were decided; nil where the slice has no decision figures.
    public var decisions: DecisionCounts?
    /// Coincidences for α; nil where the slice has no decision figures.
    public var agreement: CoincidenceCounts?
    /// Label codes in rank order when every queue in the slice rates on a scale (α is then ordinal), else nil.
    public var ratingOrder: [String]?

    public init() {}

    /// Mean seconds per judgment, over those whose time is known (judgments made elsewhere without a start time
    /// have none); nil without any.
    public var averageHandlingSeconds: Double? {
        timedJudgments == 0 ? nil : Double(timeSpentMs) / Double(timedJudgments) / 1_000
    }

    /// Krippendorff's α over the items first decided in the slice (nominal, or ordinal on a rating scale); nil
    /// when it is undefined (no item with two judgments, or no variation at all).
    public var alpha: Double? {
        guard let agreement, agreement.unitCount > 0 else { return nil }
        let coefficient = ratingOrder.map { KrippendorffAlpha(level: .ordinal, order: $0) } ?? KrippendorffAlpha()
        return try? coefficient.measure(agreement).value
    }

    /// Items whose judgments all agreed, of the items with two or more.
    public var unanimity: GoldScore? {
        decisions.map { GoldScore(answered: $0.units, correct: $0.unanimous) }
    }

    /// Items the consensus rule sent to arbitration, of the items it decided.
    public var arbitrationRate: GoldScore? {
        decisions.map { GoldScore(answered: $0.decided, correct: $0.unresolved) }
    }

    /// Items a model decided (auto-accept), of the items resolved.
    public var modelDecisions: GoldScore? {
        decisions.map { GoldScore(answered: $0.firstResolved, correct: $0.modelDecided) }
    }

    /// Items resolved within the queue's SLA, of those resolved while it had one.
    public var sla: GoldScore? {
        decisions.map { GoldScore(answered: $0.slaCounted, correct: $0.slaMet) }
    }

    /// Mean hours from import to the first resolved final label, over the items whose wait is known (not those
    /// decided in another tool before their import).
    public var averageWaitHours: Double? {
        guard let decisions, decisions.waited > 0 else { return nil }
        return Double(decisions.waitMs) / Double(decisions.waited) / 3_600_000
    }

    /// Appeals an arbitrator decided with another label than the one appealed, of the appeals decided.
    public var appealOverturns: GoldScore? {
        decisions.map { GoldScore(answered: $0.appealsDecided, correct: $0.appealsOverturned) }
    }

    /// Judgments QA reviewers overturned (found wrong), of those they reviewed.
    public var qaOverturns: GoldScore { GoldScore(answered: qa.answered, correct: qa.answered - qa.correct) }

    mutating func add(_ work: ReportFacts.Work) {
        judgments += work.judgments
        timedJudgments += work.timedJudgments
        timeSpentMs += work.timeSpentMs
        gold = GoldScore(answered: gold.answered + work.gold.answered, correct: gold.correct + work.gold.correct)
        qa = GoldScore(answered: qa.answered + work.qa.answered, correct: qa.correct + work.qa.correct)
    }

    mutating func add(_ decided: ReportFacts.Decisions) {
        decisions = (decisions ?? DecisionCounts()) + decided.counts
        var agreement = self.agreement ?? CoincidenceCounts()
        agreement.add(decided.agreement)
        self.agreement = agreement
    }

    mutating func add(gold answers: ReportFacts.GoldAnswers) {
        gold = GoldScore(
            answered: gold.answered + answers.count,
            correct: gold.correct + (GoldAnswerKey.same(answers.given, answers.reference) ? answers.count : 0))
    }
}

/// How a gold answer is compared with its reference in a breakdown by label: the same labels, in any order.
enum GoldAnswerKey {
    static func same(_ given: String, _ reference: String) -> Bool {
        LabelMatch.isSame(given.split(separator: "+"), as: reference.split(separator: "+"))
    }
}
