import AssayCore
import AssayQuality
import AssayStore
import Foundation
import Vapor

/// What a business review covers: some queues (all when none are named), optionally only one vendor's people or
/// only the queues of one market, over one week or month.
public struct ReviewScope: Sendable {
    /// Queues by name or id; empty for every queue (of `market`, when set).
    public var queues: [String]
    /// A vendor by name or id: its people's work only (a vendor pack).
    public var vendor: String?
    /// A market: only the queues that serve it (a market pack).
    public var market: String?
    public var period: BusinessReview.Period
    /// A day inside the period to review; nil for the last complete one.
    public var date: Date?

    public init(queues: [String], vendor: String?, market: String?, period: BusinessReview.Period, date: Date?) {
        self.queues = queues
        self.vendor = vendor
        self.market = market
        self.period = period
        self.date = date
    }
}

/// The business review page, written out for the template: key figures against the previous period with their
/// deltas, charts, movers, the root-cause tables, calibration results and open issues. The same page is served at
/// `/report` and written to a file by `assay report`; it carries its own styles so that the file opens anywhere
/// and prints cleanly.
struct BusinessReviewPage: Encodable {
    struct Figure: Encodable {
        let name: String
        let current: String
        let previous: String
        let delta: String
        /// `better`, `worse` or `neutral`, for colour and for a screen reader.
        let direction: String
        let detail: String
        let clear: Bool
    }

    struct Mover: Encodable {
        let title: String
        let previous: String
        let current: String
        let change: String
        let direction: String
        let clear: Bool
    }

    struct Cause: Encodable {
        let figure: String
        let dimension: String
        let summary: String
        let rows: [CauseRow]
    }

    struct CauseRow: Encodable {
        let group: String
        let previous: String
        let current: String
        let rateEffect: String
        let mixEffect: String
        let contribution: String
        let share: String
        let direction: String
    }

    struct Calibration: Encodable {
        let name: String
        let queue: String
        let closed: String
        let participants: Int
        let answers: Int
        let accuracy: String
        let alpha: String
        let hardestLabel: String
    }

    struct Issue: Encodable {
        let queue: String
        let issues: QueueIssues
    }

    /// The page's own controls in the browser: another period or day, the periods before and after.
    struct Controls: Encodable {
        struct Choice: Encodable {
            let value: String
            let selected: Bool
        }
        struct Hidden: Encodable {
            let name: String
            let value: String
        }

        let periods: [Choice]
        /// The day shown in the date field (YYYY-MM-DD), and the latest it takes.
        let date: String
        let today: String
        /// The scope (queues, vendor, market) carried along, so another period keeps it.
        let hidden: [Hidden]
        let previousHref: String
        /// Nil while the next period has not begun.
        let nextHref: String?
    }

    let title: String
    let scope: String
    let period: String
    let previousPeriod: String
    /// Said when the period has not ended: its counts are of the days so far, against a whole period before.
    let inProgress: String?
    /// Said when the work recorded begins partway through the period before: its counts are of fewer days.
    let partialPrevious: String?
    let generated: String
    let styles: String
    let web: Bool
    let controls: Controls?
    let figures: [Figure]
    let volumeChart: String
    let goldChart: String
    let qaChart: String
    let annotatorMovers: [Mover]
    let labelMovers: [Mover]
    let causes: [Cause]
    let calibrations: [Calibration]
    let issues: [Issue]

    /// "This period is still in progress: 5 of its 7 days so far, …" for a period that has not ended.
    private static func inProgress(_ span: BusinessReview.Span, now: Date) -> String {
        let days = Int((span.end.timeIntervalSince(span.start) / 86_400).rounded())
        let begun = min(days, Int(now.timeIntervalSince(span.start) / 86_400) + 1)
        return "This period is still in progress: \(begun) of its \(days) days so far. Counts such as judgments are of "
            + "those days against the whole period before; rates compare as they are."
    }

    /// Reads what the review needs and writes it out.
    ///
    /// - Parameter vendorScope: The vendor a vendor lead is kept to; naming another vendor is forbidden.
    /// - Throws: ``AssayError/notFound(entity:id:)`` for an unknown queue or vendor; ``AssayError/invalidInput(field:line:reason:)``
    ///   for a market no queue serves; ``AssayError/forbidden(_:)`` for another vendor.
    static func build(_ scope: ReviewScope, vendorScope: UUID?, store: Store, now: Date, web: Bool) async throws
        -> BusinessReviewPage
    {
        var queues = try await scope.queues.isEmpty ? store.queues() : scope.queues.asyncMap { try await store.queue($0) }
        if let market = scope.market {
            queues = queues.filter { $0.markets.contains(market) }
            guard !queues.isEmpty else {
                throw AssayError.invalidInput(field: "market", line: nil, reason: "no queue in scope serves market '\(market)'")
            }
        }
        var vendor: Vendor?
        if let name = scope.vendor { vendor = try await store.vendor(name) }
        if let vendorScope {
            if let vendor, vendor.id != vendorScope {
                throw AssayError.forbidden("a vendor lead sees their own vendor's review only")
            }
            vendor = try await store.vendors().first { $0.id == vendorScope }
            // As the dashboards: a lead reviews only queues their people worked on lately (whose open issues and
            // calibrations are otherwise not theirs to read), named or not.
            let theirs = try await store.queuesOfVendorLead(vendorID: vendorScope, now: now)
            if !scope.queues.isEmpty {
                if let other = queues.first(where: { !theirs.contains($0.id) }) {
                    throw AssayError.forbidden("none of your vendor's people worked on queue '\(other.name)' in the last 90 days")
                }
            } else {
                queues = queues.filter { theirs.contains($0.id) }
                guard !queues.isEmpty else {
                    let which = scope.market.map { "any queue of market \($0)" } ?? "any queue"
                    throw AssayError.forbidden("none of your vendor's people worked on \(which) in the last 90 days: there is nothing to review yet")
                }
            }
        }
        let span = scope.date.map { scope.period.span(containing: $0) } ?? scope.period.lastComplete(before: now)
        // A vendor's review, with no queues named, covers the queues its people worked in this period and the one
        // before (the periods it compares; the home page looks back 90 days instead): the others would add rows of
        // zeros and their open issues.
        if let vendor, scope.queues.isEmpty {
            let worked = try await store.queuesWorked(byVendor: vendor.id, since: scope.period.previous(of: span).start)
            let theirs = queues.filter { worked.contains($0.id) }
            if !theirs.isEmpty { queues = theirs }
        }
        // A period still to come has no work to review, and its "open issues" would be today's.
        guard span.start <= now else {
            throw AssayError.invalidInput(
                field: "date", line: nil,
                reason: "\(Calendar.utcDayFormatter.string(from: scope.date ?? now)) is in a \(scope.period.rawValue) that has not begun; choose a day up to today")
        }
        let previousSpan = scope.period.previous(of: span)
        let current = try await store.reportFacts(
            queues: queues, from: span.start, to: span.lastDay, vendorID: vendor?.id, now: now)
        let previous = try await store.reportFacts(
            queues: queues, from: previousSpan.start, to: previousSpan.lastDay, vendorID: vendor?.id, now: now)
        let review = BusinessReview(period: scope.period, span: span, current: current, previous: previous)

        var calibrations: [Calibration] = []
        let names = Dictionary(uniqueKeysWithValues: queues.map { ($0.id, $0.name) })
        for session in try await store.calibrations(in: queues.map(\.id), closingFrom: span.start, to: span.end) {
            let report = try await store.calibrationReport(of: session, vendorID: vendor?.id)
            calibrations.append(Calibration(
                name: session.name, queue: names[session.queueID] ?? "", closed: Calendar.utcDayFormatter.string(from: session.closesAt),
                participants: report.participants, answers: report.answers, accuracy: Figures.rate(report.overall),
                alpha: Figures.coefficient(report.alpha),
                hardestLabel: report.hardestLabel.map { "\($0.name ?? $0.key) (\(Figures.rate($0.score)))" } ?? "–"))
        }

        var issues: [Issue] = []
        for queue in queues {
            issues.append(Issue(queue: queue.name, issues: try await store.issues(of: queue, vendorID: vendor?.id)))
        }

        var scopeParts = ["Queues: " + queues.map(\.name).joined(separator: ", ")]
        if let vendor { scopeParts.append("Vendor: \(vendor.name)") }
        // A market's review is of the queues serving it, whole: say so, so that nobody reads it as that market alone.
        if let market = scope.market { scopeParts.append("Market: \(market) (all the work of the queues serving it)") }
        let periodName = scope.period == .week
            ? "Week " + ReportFacts.timeKey(Int64(span.start.timeIntervalSince1970 / 86_400), .week).0
            : { () -> String in
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = TimeZone(identifier: "UTC")
                formatter.dateFormat = "MMMM yyyy"
                return formatter.string(from: span.start)
            }()
        let short = review.days.map { String($0.key.dropFirst(5)) }
        return BusinessReviewPage(
            title: "Business review · \(periodName)", scope: scopeParts.joined(separator: " · "),
            period: span.title, previousPeriod: previousSpan.title,
            inProgress: span.end > now ? Self.inProgress(span, now: now) : nil,
            partialPrevious: try await store.firstDayOfWork(in: queues.map(\.id)).flatMap { first -> String? in
                let began = Calendar.utcDayFormatter.string(from: first)
                if first >= previousSpan.end { return "The period before has no work recorded: these queues' work begins \(began)." }
                guard first > previousSpan.start else { return nil }
                return "The period before has work recorded from \(began) only, when these queues' work began: its counts "
                    + "are of fewer days."
            },
            generated: ISO8601DateFormatter().string(from: now), styles: try Self.styles(), web: web,
            controls: web ? Self.controls(scope, span: span, previous: previousSpan, now: now) : nil,
            figures: review.kpis.map(Self.figure),
            volumeChart: SVGChart.bars(
                id: "review-volume", title: "Judgments per day", bars: zip(short, review.days).map { ($0, Double($1.kpis.judgments)) }),
            goldChart: SVGChart.rates(
                id: "review-gold", title: "Gold accuracy per day, with 95% intervals",
                points: zip(short, review.days).map { ($0, $1.kpis.gold.accuracy, $1.kpis.gold.interval.lower, $1.kpis.gold.interval.upper) }),
            qaChart: SVGChart.rates(
                id: "review-qa", title: "QA score per day, with 95% intervals",
                points: zip(short, review.days).map { ($0, $1.kpis.qa.accuracy, $1.kpis.qa.interval.lower, $1.kpis.qa.interval.upper) }),
            annotatorMovers: review.annotatorMovers.prefix(8).map(Self.mover),
            labelMovers: review.labelMovers.prefix(8).map(Self.mover),
            causes: review.rootCauses.map(Self.cause), calibrations: calibrations, issues: issues)
    }

    private static func controls(_ scope: ReviewScope, span: BusinessReview.Span, previous: BusinessReview.Span, now: Date)
        -> Controls
    {
        let day = Calendar.utcDayFormatter
        var hidden: [Controls.Hidden] = []
        if !scope.queues.isEmpty { hidden.append(.init(name: "queues", value: scope.queues.joined(separator: ","))) }
        if let vendor = scope.vendor { hidden.append(.init(name: "vendor", value: vendor)) }
        if let market = scope.market { hidden.append(.init(name: "market", value: market)) }
        func href(_ date: Date) -> String {
            // Every character but the unreserved ones encoded: a market such as `A+B` or `R&D` would otherwise come
            // back as `A B`, or cut the query in two.
            let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
            let items = [("period", scope.period.rawValue), ("date", day.string(from: date))] + hidden.map { ($0.name, $0.value) }
            return "/report?" + items.map { name, value in
                name + "=" + (value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value)
            }.joined(separator: "&")
        }
        return Controls(
            periods: BusinessReview.Period.allCases.map { .init(value: $0.rawValue, selected: $0 == scope.period) },
            date: day.string(from: span.start), today: day.string(from: now), hidden: hidden,
            previousHref: href(previous.start), nextHref: span.end <= now ? href(span.end) : nil)
    }

    private static func figure(_ comparison: BusinessReview.Comparison) -> Figure {
        func show(_ value: Double?, _ share: GoldScore?) -> String {
            switch comparison.unit {
            case .count: return Figures.count(value)
            case .share: return Figures.rate(share)
            case .seconds: return Figures.seconds(value)
            case .hours: return Figures.hours(value)
            case .coefficient: return Figures.coefficient(value)
            }
        }
        var delta = "–"
        if let change = comparison.delta {
            switch comparison.unit {
            case .count:
                let base = comparison.previous ?? 0
                delta = (change >= 0 ? "+" : "-") + Figures.count(abs(change))
                    + (base > 0 ? String(format: " (%+.1f%%)", change / base * 100) : "")
            case .share: delta = Figures.points(change)
            case .seconds: delta = String(format: "%+.1f s", change)
            case .hours: delta = String(format: "%+.1f h", change)
            case .coefficient: delta = String(format: "%+.3f", change)
            }
        }
        return Figure(
            name: comparison.name, current: show(comparison.current, comparison.currentShare),
            previous: show(comparison.previous, comparison.previousShare), delta: delta,
            direction: direction(comparison.isImprovement, shown: delta),
            detail: comparison.unit == .share ? Figures.interval(comparison.currentShare) : "",
            clear: comparison.isClearChange)
    }

    private static func mover(_ mover: BusinessReview.Mover) -> Mover {
        let change = Figures.points(mover.change)
        return Mover(
            title: mover.title, previous: "\(Figures.rate(mover.previous)) of \(mover.previous.answered)",
            current: "\(Figures.rate(mover.current)) of \(mover.current.answered)", change: change,
            direction: direction(mover.change == 0 ? nil : mover.change > 0, shown: change), clear: mover.isClearChange)
    }

    /// `better`, `worse` or `neutral`; neutral too when the change as shown rounds to nothing ("+0.0 pp (worse)"
    /// read as a contradiction).
    static func direction(_ improvement: Bool?, shown: String) -> String {
        guard let improvement, shown.contains(where: { ("1"..."9").contains($0) }) else { return "neutral" }
        return improvement ? "better" : "worse"
    }

    static func cause(_ cause: BusinessReview.RootCause) -> Cause {
        let isRate = cause.figure != "Average handling time"
        func value(_ part: (weight: Double, value: Double)?) -> String {
            guard let part else { return "–" }
            let shown = isRate ? String(format: "%.1f%%", part.value * 100) : String(format: "%.1f s", part.value)
            return "\(shown) of \(Int(part.weight))"
        }
        func level(_ overall: Double?) -> String {
            guard let overall else { return "–" }
            return isRate ? String(format: "%.1f%%", overall * 100) : String(format: "%.1f s", overall)
        }
        func effect(_ amount: Double) -> String { isRate ? Figures.points(amount) : String(format: "%+.2f s", amount) }
        let total = cause.change.total ?? 0
        let higherIsBetter = isRate
        func row(_ title: String, previous: String, current: String, rate: Double, mix: Double, contribution: Double) -> CauseRow {
            CauseRow(
                group: title, previous: previous, current: current, rateEffect: effect(rate), mixEffect: effect(mix),
                contribution: effect(contribution),
                // Shares of a change under half a point (or half a second) are large numbers about noise.
                share: abs(total) < (isRate ? 0.005 : 0.5) ? "–" : String(format: "%.0f%%", contribution / total * 100),
                direction: direction(contribution == 0 ? nil : (contribution > 0) == higherIsBetter, shown: effect(contribution)))
        }
        let shown = 5
        var rows = cause.change.groups.prefix(shown).map { group in
            row(cause.titles[group.key] ?? group.key, previous: value(group.before), current: value(group.after),
                rate: group.rateEffect, mix: group.mixEffect, contribution: group.contribution)
        }
        // The groups past the largest five, summed into one row, so that the table adds up to the whole change.
        let rest = cause.change.groups.dropFirst(shown)
        if !rest.isEmpty {
            rows.append(row(
                "The other \(rest.count) \(rest.count == 1 ? "group" : "groups")", previous: "", current: "",
                rate: rest.map(\.rateEffect).reduce(0, +), mix: rest.map(\.mixEffect).reduce(0, +),
                contribution: rest.map(\.contribution).reduce(0, +)))
        }
        return Cause(
            figure: cause.figure, dimension: cause.dimension.rawValue,
            summary: "\(level(cause.change.before)) → \(level(cause.change.after)) (\(effect(total)))", rows: rows)
    }

    /// The page's styles, inlined so that a saved report is one self-contained file.
    private static func styles() throws -> String {
        let folder = ServerResources.folder.appendingPathComponent("Public")
        return try ["assay.css", "report.css"].map {
            try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
        }.joined(separator: "\n")
    }
}

extension Array {
    /// `map` with an async transform, in order.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        results.reserveCapacity(count)
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

/// The business review as a file: what `assay report` writes, the same page `/report` serves, self-contained
/// (styles inlined, charts as SVG) and printable.
public enum BusinessReviewDocument {
    /// Renders the review of `scope` as one HTML document.
    ///
    /// - Throws: As the page does for an unknown queue or vendor, or a market no queue serves.
    public static func html(_ scope: ReviewScope, store: Store, now: Date) async throws -> String {
        let page = try await BusinessReviewPage.build(scope, vendorScope: nil, store: store, now: now, web: false)
        // Leaf renders through an application's views; this one never serves.
        let app = try await Application.make(.production)
        do {
            useShippedViews(app)
            let view = try await app.view.render("report", page)
            try await app.asyncShutdown()
            return String(buffer: view.data)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
