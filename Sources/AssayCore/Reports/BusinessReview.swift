import AssayQuality
import Foundation

/// A weekly or monthly business review of some queues (or one vendor's or one market's share of them): the key
/// figures against the previous period, the days behind them, the largest movers, and for each quality figure
/// that changed, which vendors, teams, markets, queues, labels and annotators drove the change (``ShiftShare``).
///
/// Pure: built from two periods' ``ReportFacts``; the server and `assay report` read those and render the page.
///
/// For example:
/// ```swift
/// let span = BusinessReview.Period.week.lastComplete(before: now)
/// let review = BusinessReview(
///     period: .week, span: span,
///     current: try await store.reportFacts(queues: queues, from: span.start, to: span.lastDay),
///     previous: try await store.reportFacts(queues: queues, from: previousSpan.start, to: previousSpan.lastDay))
/// review.rootCauses.first?.change.groups.first   // the group that moved gold accuracy most
/// ```
public struct BusinessReview: Sendable {
    public enum Period: String, Sendable, CaseIterable, Codable, ClosedChoice {
        /// An ISO week, Monday to Sunday (UTC).
        case week
        /// A calendar month (UTC).
        case month

        /// The whole period that contains `date`.
        public func span(containing date: Date) -> Span {
            let calendar = Calendar.isoUTC
            let unit: Calendar.Component = self == .week ? .weekOfYear : .month
            let interval = calendar.dateInterval(of: unit, for: date)!
            return Span(start: interval.start, end: interval.end)
        }

        /// The last whole period that ended before `now` (last week, last month): what a review looks back on.
        public func lastComplete(before now: Date) -> Span {
            previous(of: span(containing: now))
        }

        /// The period just before `span`.
        public func previous(of span: Span) -> Self.Span {
            self.span(containing: span.start.addingTimeInterval(-1))
        }

        public typealias Span = BusinessReview.Span
    }

    /// A period: from `start` (inclusive) to `end` (exclusive), whole UTC days.
    public struct Span: Sendable, Equatable {
        public var start: Date
        public var end: Date

        public init(start: Date, end: Date) {
            self.start = start
            self.end = end
        }

        /// The start of the last day in the span.
        public var lastDay: Date { end.addingTimeInterval(-86_400) }

        /// `2026-11-16 to 2026-11-22`.
        public var title: String {
            let formatter = Calendar.utcDayFormatter
            return "\(formatter.string(from: start)) to \(formatter.string(from: lastDay))"
        }
    }

    /// One key figure in both periods.
    public struct Comparison: Sendable {
        public enum Unit: String, Sendable {
            case count, share, seconds, hours, coefficient
        }

        public var name: String
        public var unit: Unit
        public var current: Double?
        public var previous: Double?
        /// For shares: the counts behind them, with their intervals.
        public var currentShare: GoldScore?
        public var previousShare: GoldScore?
        /// Whether a higher value is good news (nil: neither, e.g. volume).
        public var higherIsBetter: Bool?

        /// current − previous, when both are known.
        public var delta: Double? {
            guard let current, let previous else { return nil }
            return current - previous
        }

        /// For shares: whether the 95% intervals of the two periods do not overlap — a change the counts support,
        /// not noise.
        public var isClearChange: Bool {
            guard let a = currentShare, let b = previousShare, a.answered > 0, b.answered > 0 else { return false }
            return a.interval.lower > b.interval.upper || b.interval.lower > a.interval.upper
        }

        /// Whether the change is for the better (nil when it has no direction or no change).
        public var isImprovement: Bool? {
            guard let higherIsBetter, let delta, delta != 0 else { return nil }
            return (delta > 0) == higherIsBetter
        }
    }

    /// A group whose share (gold accuracy) moved between the periods.
    public struct Mover: Sendable {
        public var key: String
        public var title: String
        public var previous: GoldScore
        public var current: GoldScore

        public var change: Double { (current.accuracy ?? 0) - (previous.accuracy ?? 0) }

        /// The two 95% intervals do not overlap.
        public var isClearChange: Bool {
            current.interval.lower > previous.interval.upper || previous.interval.lower > current.interval.upper
        }
    }

    /// Which groups of one dimension drove the change in one figure.
    public struct RootCause: Sendable {
        public var figure: String
        public var dimension: ReportDimension
        public var change: ShiftShare
        /// What a person reads for each group key (a name for an annotator).
        public var titles: [String: String]

        public init(figure: String, dimension: ReportDimension, change: ShiftShare, titles: [String: String]) {
            self.figure = figure
            self.dimension = dimension
            self.change = change
            self.titles = titles
        }
    }

    public var period: Period
    public var span: Span
    public var previousSpan: Span
    public var current: KPIs
    public var previous: KPIs
    public var kpis: [Comparison]
    /// The current period day by day (every day, gaps included).
    public var days: [ReportRow]
    /// Annotators with at least `minimumAnswers` gold answers in both periods, the largest accuracy change first.
    public var annotatorMovers: [Mover]
    /// Reference labels with at least `minimumAnswers` gold answers in both periods, the largest accuracy change
    /// first (a label at "100% of 3" ranked among the largest movers on three answers).
    public var labelMovers: [Mover]
    /// For gold accuracy, QA score and handling time: one decomposition per dimension with two or more groups.
    public var rootCauses: [RootCause]

    public init(period: Period, span: Span, current: ReportFacts, previous: ReportFacts, minimumAnswers: Int = 10) {
        self.period = period
        self.span = span
        previousSpan = period.previous(of: span)
        self.current = current.total
        self.previous = previous.total
        kpis = Self.comparisons(self.current, self.previous)
        days = current.breakdown(by: .day)
        annotatorMovers = Self.movers(current.breakdown(by: .annotator), previous.breakdown(by: .annotator), minimumAnswers)
        labelMovers = Self.movers(current.breakdown(by: .label), previous.breakdown(by: .label), minimumAnswers)

        var causes: [RootCause] = []
        let figures: [(String, [ReportDimension], (KPIs) -> (weight: Double, value: Double)?)] = [
            ("Gold accuracy", [.vendor, .team, .market, .queue, .label, .annotator], { kpis in
                kpis.gold.accuracy.map { (Double(kpis.gold.answered), $0) }
            }),
            ("QA score", [.vendor, .team, .market, .queue, .annotator], { kpis in
                kpis.qa.accuracy.map { (Double(kpis.qa.answered), $0) }
            }),
            ("Average handling time", [.vendor, .team, .market, .queue], { kpis in
                kpis.averageHandlingSeconds.map { (Double(kpis.timedJudgments), $0) }
            }),
        ]
        for (figure, dimensions, measure) in figures {
            for dimension in dimensions {
                let now = current.breakdown(by: dimension)
                let before = previous.breakdown(by: dimension)
                let after = Dictionary(uniqueKeysWithValues: now.compactMap { row in measure(row.kpis).map { (row.key, $0) } })
                let earlier = Dictionary(uniqueKeysWithValues: before.compactMap { row in measure(row.kpis).map { (row.key, $0) } })
                guard Set(after.keys).union(earlier.keys).count >= 2 else { continue }
                let change = ShiftShare(before: earlier, after: after)
                guard change.total != nil else { continue }
                var titles: [String: String] = [:]
                for row in before + now { titles[row.key] = row.title }
                causes.append(RootCause(figure: figure, dimension: dimension, change: change, titles: titles))
            }
        }
        rootCauses = causes
    }

    private static func comparisons(_ now: KPIs, _ before: KPIs) -> [Comparison] {
        func share(_ name: String, _ pick: (KPIs) -> GoldScore?, higherIsBetter: Bool?) -> Comparison? {
            guard let current = pick(now), let previous = pick(before) else { return nil }
            return Comparison(
                name: name, unit: .share, current: current.accuracy, previous: previous.accuracy, currentShare: current,
                previousShare: previous, higherIsBetter: higherIsBetter)
        }
        var list: [Comparison] = [
            Comparison(name: "Judgments", unit: .count, current: Double(now.judgments), previous: Double(before.judgments)),
            Comparison(
                name: "Average handling time", unit: .seconds, current: now.averageHandlingSeconds,
                previous: before.averageHandlingSeconds, higherIsBetter: false),
        ]
        list += [
            share("Gold accuracy", { $0.gold }, higherIsBetter: true),
            share("QA score", { $0.qa }, higherIsBetter: true),
        ].compactMap { $0 }
        if now.decisions != nil {
            list.append(Comparison(
                name: "Items decided", unit: .count, current: Double(now.decisions!.decided),
                previous: Double(before.decisions?.decided ?? 0)))
            list.append(Comparison(
                name: "Agreement (Krippendorff's α)", unit: .coefficient, current: now.alpha, previous: before.alpha,
                higherIsBetter: true))
            list += [
                share("Unanimous items", { $0.unanimity }, higherIsBetter: true),
                share("Sent to arbitration", { $0.arbitrationRate }, higherIsBetter: false),
                share("Resolved within SLA", { $0.sla }, higherIsBetter: true),
                share("Appeals overturned", { $0.appealOverturns }, higherIsBetter: false),
            ].compactMap { $0 }
            // Neither good nor bad in itself: whether it should grow is the audited precision's question.
            if now.decisions!.modelDecided + (before.decisions?.modelDecided ?? 0) > 0,
                let model = share("Decided by a model (auto-accept)", { $0.modelDecisions }, higherIsBetter: nil)
            {
                list.append(model)
            }
            list.append(Comparison(
                name: "Average wait to a final label", unit: .hours, current: now.averageWaitHours,
                previous: before.averageWaitHours, higherIsBetter: false))
        }
        return list
    }

    private static func movers(_ now: [ReportRow], _ before: [ReportRow], _ minimumAnswers: Int) -> [Mover] {
        let earlier = Dictionary(uniqueKeysWithValues: before.map { ($0.key, $0) })
        return now.compactMap { row -> Mover? in
            guard let was = earlier[row.key], row.kpis.gold.answered >= minimumAnswers,
                was.kpis.gold.answered >= minimumAnswers
            else { return nil }
            return Mover(key: row.key, title: row.title, previous: was.kpis.gold, current: row.kpis.gold)
        }.sorted { (abs($0.change), $1.key) > (abs($1.change), $0.key) }
    }
}
