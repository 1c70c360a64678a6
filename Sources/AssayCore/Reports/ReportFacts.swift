import AssayQuality
import Foundation

/// The running sums a report is built from, as the store reads them for a set of queues and a period: work per
/// queue, day, person and item market; decisions per queue, day and item market; gold answers per queue, day, reference and
/// answer; and who the people and queues are. Every figure in a dashboard or a business review is a sum over these
/// rows, so any breakdown (by week, vendor, market, label…) is exact and costs no trip to the judgments.
public struct ReportFacts: Sendable {
    /// One person's work in one queue on one UTC day, on the items of one market.
    public struct Work: Sendable, Equatable {
        public var queueID: UUID
        /// Days since 1970 (UTC).
        public var day: Int64
        public var annotatorID: UUID
        /// The items' market; empty for items without one.
        public var market: String
        public var judgments: Int
        /// The judgments whose handling time is known (made here, or elsewhere with a start time).
        public var timedJudgments: Int
        public var timeSpentMs: Int
        public var gold: GoldScore
        public var qa: GoldScore

        public init(
            queueID: UUID, day: Int64, annotatorID: UUID, market: String = "", judgments: Int, timedJudgments: Int? = nil,
            timeSpentMs: Int,
            gold: GoldScore, qa: GoldScore
        ) {
            self.queueID = queueID
            self.day = day
            self.annotatorID = annotatorID
            self.market = market
            self.judgments = judgments
            self.timedJudgments = timedJudgments ?? judgments
            self.timeSpentMs = timeSpentMs
            self.gold = gold
            self.qa = qa
        }
    }

    /// How a queue's items of one market were decided on one UTC day.
    public struct Decisions: Sendable, Equatable {
        public var queueID: UUID
        public var day: Int64
        /// The items' market; empty for items without one.
        public var market: String
        public var counts: DecisionCounts
        /// Krippendorff coincidences of the judgments of the items first decided that day; a value is a judgment's
        /// labels joined with `+`.
        public var agreement: CoincidenceCounts

        public init(queueID: UUID, day: Int64, market: String, counts: DecisionCounts, agreement: CoincidenceCounts) {
            self.queueID = queueID
            self.day = day
            self.market = market
            self.counts = counts
            self.agreement = agreement
        }
    }

    /// How often one answer was given to gold items with one reference, in one queue on one UTC day.
    public struct GoldAnswers: Sendable, Equatable {
        public var queueID: UUID
        public var day: Int64
        /// The reference labels, joined with `+` (one label for a single-choice queue).
        public var reference: String
        /// The answer, joined the same way.
        public var given: String
        public var count: Int

        public init(queueID: UUID, day: Int64, reference: String, given: String, count: Int) {
            self.queueID = queueID
            self.day = day
            self.reference = reference
            self.given = given
            self.count = count
        }
    }

    /// Who a person is, for grouping.
    public struct Person: Sendable, Equatable {
        public var id: UUID
        public var externalID: String
        public var name: String
        public var vendorID: UUID?
        public var vendor: String?
        public var team: String?

        public init(id: UUID, externalID: String, name: String, vendorID: UUID?, vendor: String?, team: String?) {
            self.id = id
            self.externalID = externalID
            self.name = name
            self.vendorID = vendorID
            self.vendor = vendor
            self.team = team
        }
    }

    /// The first day and the last (inclusive), as days since 1970.
    public var days: ClosedRange<Int64>
    public var queues: [Queue]
    public var work: [Work]
    /// Whether decision figures were read: not for a view scoped to one vendor, since how a queue's items were
    /// decided mixes every vendor's work.
    public var decisionsIncluded: Bool
    public var decisions: [Decisions]
    public var goldAnswers: [GoldAnswers]
    public var people: [UUID: Person]

    public init(
        days: ClosedRange<Int64>, queues: [Queue], work: [Work], decisionsIncluded: Bool, decisions: [Decisions],
        goldAnswers: [GoldAnswers], people: [UUID: Person]
    ) {
        self.days = days
        self.queues = queues
        self.work = work
        self.decisionsIncluded = decisionsIncluded
        self.decisions = decisions
        self.goldAnswers = goldAnswers
        self.people = people
    }
}

/// How items were decided, summed: by the consensus rule (`decided`, `unanimous` among the `units` with two or
/// more judgments, `unresolved` sent to arbitration), by a model (`modelDecided`, auto-accepted), first
/// resolutions (by the rule, an arbitrator or a model) with their wait and SLA (`waited`: those whose wait is known;
/// work done in another tool before its items were imported has none), and arbitration.
public struct DecisionCounts: Sendable, Equatable {
    public var decided = 0
    public var unanimous = 0
    public var unresolved = 0
    public var units = 0
    public var firstResolved = 0
    public var slaCounted = 0
    public var slaMet = 0
    public var waited = 0
    public var waitMs: Int64 = 0
    public var arbitrated = 0
    public var appealsDecided = 0
    public var appealsOverturned = 0
    public var modelDecided = 0

    public init(
        decided: Int = 0, unanimous: Int = 0, unresolved: Int = 0, units: Int = 0, firstResolved: Int = 0,
        slaCounted: Int = 0, slaMet: Int = 0, waited: Int? = nil, waitMs: Int64 = 0, arbitrated: Int = 0,
        appealsDecided: Int = 0, appealsOverturned: Int = 0, modelDecided: Int = 0
    ) {
        self.decided = decided
        self.unanimous = unanimous
        self.unresolved = unresolved
        self.units = units
        self.firstResolved = firstResolved
        self.slaCounted = slaCounted
        self.slaMet = slaMet
        self.waited = waited ?? firstResolved
        self.waitMs = waitMs
        self.arbitrated = arbitrated
        self.appealsDecided = appealsDecided
        self.appealsOverturned = appealsOverturned
        self.modelDecided = modelDecided
    }

    public static func + (a: DecisionCounts, b: DecisionCounts) -> DecisionCounts {
        DecisionCounts(
            decided: a.decided + b.decided, unanimous: a.unanimous + b.unanimous, unresolved: a.unresolved + b.unresolved,
            units: a.units + b.units, firstResolved: a.firstResolved + b.firstResolved,
            slaCounted: a.slaCounted + b.slaCounted, slaMet: a.slaMet + b.slaMet, waited: a.waited + b.waited,
            waitMs: a.waitMs + b.waitMs,
            arbitrated: a.arbitrated + b.arbitrated, appealsDecided: a.appealsDecided + b.appealsDecided,
            appealsOverturned: a.appealsOverturned + b.appealsOverturned, modelDecided: a.modelDecided + b.modelDecided)
    }
}
