import AssayCore
import AssayQuality
import AssayStore
import Foundation

/// What the dashboard shows, worked out from a queue's report facts: the key figures as tiles; charts by day of
/// volume, handling time, gold accuracy and QA score, and of agreement, arbitration and SLA (rates with their
/// intervals); the annotators ranked by the lower bound of their gold accuracy, so that someone with three lucky
/// answers does not top the board; a breakdown of every figure by week, vendor, team, market or label; and the
/// gold confusion matrix as a heat map.
struct DashboardPage: Encodable {
    struct Tile: Encodable {
        let title: String
        let value: String
        let detail: String
    }

    struct Row: Encodable {
        let externalID: String
        let name: String
        /// `flagged` or `suspended` in this queue; empty when active.
        let status: String
        let judgments: Int
        let handling: String
        let handlingValue: Double
        let gold: String
        let goldLower: Double
        let goldInterval: String
        let qa: String
        let qaLower: Double
        let qaInterval: String
    }

    struct BreakdownRow: Encodable {
        let title: String
        let judgments: Int
        let handling: String
        let handlingValue: Double
        let gold: String
        let goldLower: Double
        let goldInterval: String
        let goldAnswers: Int
        let qa: String
        let qaLower: Double
        let qaInterval: String
        let decided: String
        let alpha: String
        let alphaValue: Double
        let arbitration: String
        let arbitrationValue: Double
        let arbitrationInterval: String
        let sla: String
        let slaValue: Double
        let slaInterval: String
    }

    struct Choice: Encodable {
        let value: String
        let title: String
        let selected: Bool
    }

    let chrome: Chrome
    let queue: String
    let period: String
    let days: Int
    /// The period's first and last day (YYYY-MM-DD), which the grouping form carries so as to keep the period.
    let from: String
    let to: String
    let tiles: [Tile]
    let volumeChart: String
    let handlingChart: String
    let goldChart: String
    let qaChart: String
    let agreementChart: String?
    let arbitrationChart: String?
    let slaChart: String?
    let rows: [Row]
    let daysCSV: String
    let annotatorsCSV: String
    let dimensions: [Choice]
    let dimension: String
    /// The grouping as a column heading: "Vendor".
    let dimensionTitle: String
    /// Whether the breakdown's rows carry work figures (all but by label, where only gold accuracy is kept) and
    /// decision figures (by time or market, and not for a vendor lead).
    let showsWork: Bool
    let showsDecisions: Bool
    /// Whether the figures are one vendor's (a vendor lead's view).
    let vendorScoped: Bool
    /// What the figures cover, said once at the top for a vendor lead: their vendor's people, but for the
    /// queue-wide progress and backlog.
    let scope: String?
    let breakdown: [BreakdownRow]
    let breakdownCSV: String
    let confusion: String?
    /// Wellbeing: exposure to the queue's severe labels by team (nil when the queue marks no label severe).
    let exposure: [TeamExposure]?
    let exposureLimit: String
    let exposureCSV: String
    /// The queue's model, for analysts (nil without a predictor, or for a vendor lead).
    let model: ModelPanel?

    init(
        chrome: Chrome, queue: Queue, facts: ReportFacts, stats: QueueStats, period: ActivityPeriod, by dimension: ReportDimension,
        exposure: [TeamExposure], statuses: [UUID: MemberStatus] = [:], model: ModelPanel? = nil, vendor: String? = nil,
        now: Date = Date()
    ) {
        self.model = model
        scope = vendor.map { "Figures for \($0)'s people only; Progress is the whole queue's." }
        // Labels by the names the workbench gives them, as everywhere else on the page.
        let names = Dictionary(queue.schema.labels.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        self.exposure = queue.schema.severeCodes.isEmpty ? nil : exposure.map { row in
            var named = row
            named.label = names[row.label] ?? row.label
            return named
        }
        exposureLimit = queue.quality.exposureLimit.map { "\($0) items a day per severe label" } ?? "no daily limit set"
        let activity = QueueActivity(facts, queueID: queue.id)
        self.chrome = chrome
        self.queue = queue.name
        let formatter = Calendar.utcDayFormatter
        // Today's figures are so far, not a day's: its bar is marked, so that a short last bar reads as a day still
        // going rather than a collapse.
        let today = formatter.string(from: now)
        let endsToday = formatter.string(from: period.to) == today
        self.period = "\(formatter.string(from: period.from)) to \(formatter.string(from: period.to))"
            + (endsToday ? "; today so far" : "")
        days = activity.days.count
        let total = activity.total
        var tiles = [
            Tile(title: "Judgments", value: String(total.judgments), detail: activity.days.count == 1 ? "in 1 day" : "in \(activity.days.count) days"),
            Tile(title: "Average handling time", value: Figures.seconds(total.averageHandlingSeconds), detail: "per judgment"),
            Tile(title: "Gold accuracy", value: Figures.rate(total.gold), detail: Figures.interval(total.gold)),
            Tile(title: "QA score", value: Figures.rate(total.qa), detail: Figures.interval(total.qa)),
            Tile(
                title: vendor == nil ? "Progress" : "Progress (whole queue)", value: "\(stats.completedItems) of \(stats.workItems)",
                detail: Self.progressDetail(stats)),
        ]
        let totals = facts.total
        if facts.decisionsIncluded {
            tiles += [
                Tile(title: "Agreement (α)", value: Figures.coefficient(totals.alpha), detail: "Krippendorff, items decided"),
                Tile(title: "Sent to arbitration", value: Figures.rate(totals.arbitrationRate), detail: Figures.interval(totals.arbitrationRate)),
                Tile(title: "Within SLA", value: Figures.rate(totals.sla), detail: queue.quality.slaHours.map { hours in
                    (totals.sla?.answered ?? 0) == 0 ? "no item resolved yet; SLA \(Figures.hours(hours))"
                        : "\(Figures.interval(totals.sla)) items resolved; SLA \(Figures.hours(hours))"
                } ?? "no SLA set"),
                Tile(title: "Backlog", value: String(stats.backlog), detail: "items still waiting for judgments"),
            ]
        }
        self.tiles = tiles
        let short = activity.days.map { $0.day == today ? "today" : String($0.day.dropFirst(5)) }
        volumeChart = SVGChart.bars(
            id: "volume", title: "Judgments per day", bars: zip(short, activity.days).map { ($0, Double($1.judgments)) })
        handlingChart = SVGChart.bars(
            id: "handling", title: "Average handling time per day (seconds)",
            bars: zip(short, activity.days).map { ($0, (($1.averageHandlingSeconds ?? 0) * 10).rounded() / 10) }, unit: " s")
        goldChart = SVGChart.rates(
            id: "gold", title: "Gold accuracy per day, with 95% intervals",
            points: zip(short, activity.days).map { ($0, $1.gold.accuracy, $1.gold.interval.lower, $1.gold.interval.upper) })
        qaChart = SVGChart.rates(
            id: "qa", title: "QA score per day, with 95% intervals",
            points: zip(short, activity.days).map { ($0, $1.qa.accuracy, $1.qa.interval.lower, $1.qa.interval.upper) })
        let byDay = facts.breakdown(by: .day)
        if facts.decisionsIncluded {
            // Below 0 (worse than chance) is drawn at 0; the table beside it has the value.
            agreementChart = SVGChart.coefficients(
                id: "agreement", title: "Agreement per day (Krippendorff's α over the items decided)",
                points: zip(short, byDay).map { label, row in (label, row.kpis.alpha.map { max(0, $0) }) })
            arbitrationChart = SVGChart.rates(
                id: "arbitration", title: "Items sent to arbitration per day, with 95% intervals",
                points: zip(short, byDay).map { Self.point($0, $1.kpis.arbitrationRate) })
            slaChart = SVGChart.rates(
                id: "sla", title: "Items resolved within the SLA per day, with 95% intervals",
                points: zip(short, byDay).map { Self.point($0, $1.kpis.sla) })
        } else {
            (agreementChart, arbitrationChart, slaChart) = (nil, nil, nil)
        }
        self.dimension = dimension.rawValue
        dimensionTitle = dimension.rawValue.capitalized
        dimensions = ReportDimension.withinAQueue.map {
            Choice(value: $0.rawValue, title: $0.rawValue.capitalized, selected: $0 == dimension)
        }
        showsWork = dimension.hasWork
        vendorScoped = !facts.decisionsIncluded
        showsDecisions = dimension.hasDecisions && facts.decisionsIncluded
        breakdown = facts.breakdown(by: dimension).map { row in
            let kpis = row.kpis
            return BreakdownRow(
                title: row.title, judgments: kpis.judgments, handling: Figures.seconds(kpis.averageHandlingSeconds),
                handlingValue: kpis.averageHandlingSeconds ?? -1, gold: Figures.rate(kpis.gold), goldLower: Figures.sortKey(kpis.gold),
                goldInterval: Figures.interval(kpis.gold), goldAnswers: kpis.gold.answered,
                qa: Figures.rate(kpis.qa), qaLower: Figures.sortKey(kpis.qa), qaInterval: Figures.interval(kpis.qa),
                decided: kpis.decisions.map { String($0.decided) } ?? "–", alpha: Figures.coefficient(kpis.alpha),
                alphaValue: kpis.alpha ?? -2, arbitration: Figures.rate(kpis.arbitrationRate),
                arbitrationValue: kpis.arbitrationRate?.accuracy ?? -1, arbitrationInterval: Figures.interval(kpis.arbitrationRate),
                sla: Figures.rate(kpis.sla), slaValue: kpis.sla?.accuracy ?? -1, slaInterval: Figures.interval(kpis.sla))
        }
        confusion = Self.confusion(facts, schema: queue.schema)
        rows = activity.annotators
            .sorted { ($0.gold.answered > 0 ? $0.gold.interval.lower : -1) > ($1.gold.answered > 0 ? $1.gold.interval.lower : -1) }
            .map { person in
                Row(
                    externalID: person.externalID, name: person.name,
                    status: statuses[person.annotatorID].map { $0.rawValue } ?? "", judgments: person.judgments,
                    handling: Figures.seconds(person.averageHandlingSeconds), handlingValue: person.averageHandlingSeconds ?? 0,
                    gold: Figures.rate(person.gold), goldLower: person.gold.answered > 0 ? person.gold.interval.lower : -1,
                    goldInterval: Figures.interval(person.gold), qa: Figures.rate(person.qa),
                    qaLower: person.qa.answered > 0 ? person.qa.interval.lower : -1, qaInterval: Figures.interval(person.qa))
            }
        let base = "/api/v1/queues/\(queue.name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? queue.name)/activity"
        (from, to) = (formatter.string(from: period.from), formatter.string(from: period.to))
        let range = "from=\(from)&to=\(to)"
        daysCSV = "\(base)?format=csv&table=days&\(range)"
        annotatorsCSV = "\(base)?format=csv&table=annotators&\(range)"
        let queueParameter = queue.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? queue.name
        breakdownCSV = "/api/v1/kpis?format=csv&by=\(dimension.rawValue)&queues=\(queueParameter)&\(range)"
        exposureCSV = "\(base.replacingOccurrences(of: "/activity", with: "/exposure"))?format=csv&\(range)"
    }

    /// What the progress tile counts: items with all their judgments, some of them perhaps waiting for an
    /// arbitrator, out of all but the gold items.
    private static func progressDetail(_ stats: QueueStats) -> String {
        var parts = ["items with all their judgments"]
        if stats.unresolvedItems > 0 { parts.append("\(stats.unresolvedItems) of them sent to arbitration") }
        if stats.goldItems > 0 { parts.append("\(stats.goldItems) gold items apart") }
        return parts.joined(separator: "; ")
    }

    private static func point(_ label: String, _ share: GoldScore?) -> (String, Double?, Double, Double) {
        guard let share, share.answered > 0 else { return (label, nil, 0, 0) }
        return (label, share.accuracy, share.interval.lower, share.interval.upper)
    }

    /// The gold answers of the period as a heat map over the schema's labels (answers outside them, from a
    /// multi-choice queue, are shown under their combination); nil without gold answers.
    private static func confusion(_ facts: ReportFacts, schema: LabelSchema) -> String? {
        guard !facts.goldAnswers.isEmpty else { return nil }
        var labels = schema.labels.map(\.code)
        for answers in facts.goldAnswers {
            for value in [answers.reference, answers.given] where !labels.contains(value) { labels.append(value) }
        }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var counts = Array(repeating: Array(repeating: 0, count: labels.count), count: labels.count)
        for answers in facts.goldAnswers { counts[index[answers.reference]!][index[answers.given]!] += answers.count }
        // Labels no gold item has and no one answered would only add empty rows.
        let used = labels.indices.filter { label in
            counts[label].contains { $0 > 0 } || counts.contains { $0[label] > 0 }
        }
        let names = Dictionary(schema.labels.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        return SVGChart.heatMap(
            id: "confusion", title: "Gold confusion: reference label (rows) against the answer given (columns)",
            labels: used.map { names[labels[$0]] ?? labels[$0] }, counts: used.map { row in used.map { counts[row][$0] } })
    }
}
