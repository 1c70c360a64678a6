import AssayQuality
import Foundation

/// What a report can group its figures by.
public enum ReportDimension: String, Sendable, CaseIterable, Codable, ClosedChoice {
    case day, week, queue, market, vendor, team, annotator
    /// Gold accuracy by the gold items' reference label (the only figure kept per label).
    case label

    /// Whether rows of this dimension carry decision figures (agreement, arbitration, SLA): those describe items,
    /// which have a queue, a day and a market but no one person.
    public var hasDecisions: Bool { [.day, .week, .queue, .market].contains(self) }

    /// Whether rows of this dimension carry the work figures (volume, handling time, QA): all but `label`.
    public var hasWork: Bool { self != .label }

    /// The groupings of one queue's figures (every one but `queue`), in the order a dashboard offers them.
    public static let withinAQueue: [ReportDimension] = [.week, .day, .vendor, .team, .annotator, .market, .label]
}

/// One row of a breakdown: a group and its figures.
public struct ReportRow: Sendable, Equatable {
    /// What the row is keyed by (a day, `2026-W47`, a queue name, an annotator's external id…), sortable.
    public var key: String
    /// What a person reads: the same, or a name.
    public var title: String
    public var kpis: KPIs

    public init(key: String, title: String, kpis: KPIs) {
        self.key = key
        self.title = title
        self.kpis = kpis
    }
}

extension ReportFacts {
    /// All the figures together.
    public var total: KPIs {
        var kpis = KPIs()
        kpis.ratingOrder = ratingOrder(of: queues)
        for work in work { kpis.add(work) }
        if decisionsIncluded {
            for decided in decisions { kpis.add(decided) }
            if kpis.decisions == nil { kpis.decisions = DecisionCounts() }
            if kpis.agreement == nil { kpis.agreement = CoincidenceCounts() }
        }
        return kpis
    }

    /// The figures grouped by `dimension`, in key order (days and weeks oldest first). Days and weeks of the
    /// period without any work are included, so that a chart shows the gaps.
    public func breakdown(by dimension: ReportDimension) -> [ReportRow] {
        var rows: [String: ReportRow] = [:]
        func add(_ key: String, _ title: String, _ change: (inout KPIs) -> Void) {
            var row = rows[key] ?? ReportRow(key: key, title: title, kpis: KPIs())
            change(&row.kpis)
            rows[key] = row
        }
        let queuesByID = Dictionary(uniqueKeysWithValues: queues.map { ($0.id, $0) })
        // A day's key is worked out once per day, not once per row: formatting dates is slow.
        var dayKeys: [Int64: (String, String)] = [:]
        func timeKey(_ day: Int64) -> (String, String) {
            if let known = dayKeys[day] { return known }
            let key = Self.timeKey(day, dimension)
            dayKeys[day] = key
            return key
        }
        if dimension == .day || dimension == .week {
            for day in days {
                let (key, title) = timeKey(day)
                add(key, title) { _ in }
            }
        }
        if dimension.hasWork {
            for work in work {
                let found = dimension == .day || dimension == .week ? timeKey(work.day) : self.key(of: work, dimension, queuesByID)
                guard let (key, title) = found else { continue }
                add(key, title) { $0.add(work) }
            }
        } else {
            // A reference is named as its queue's buttons name it. Over several queues, the same code can mean
            // different things ("none" of a comments queue, "none" of an ads queue): each queue's labels are their own rows.
            let several = queues.count > 1
            for answers in goldAnswers {
                let queue = queuesByID[answers.queueID]
                let names = answers.reference.split(separator: "+").map { code in
                    queue?.schema.labels.first { $0.code == code }?.name ?? String(code)
                }.joined(separator: " + ")
                let queueName = queue?.name ?? answers.queueID.uuidString
                add(several ? "\(queueName)/\(answers.reference)" : answers.reference, several ? "\(queueName) · \(names)" : names) {
                    $0.add(gold: answers)
                }
            }
        }
        if dimension.hasDecisions, decisionsIncluded {
            for decided in decisions {
                let key: (String, String)
                switch dimension {
                case .day, .week: key = timeKey(decided.day)
                case .queue: key = (queuesByID[decided.queueID]?.name ?? decided.queueID.uuidString, queuesByID[decided.queueID]?.name ?? "?")
                default:
                    let market = Self.market(decided.market, of: queuesByID[decided.queueID])
                    key = (market, market)
                }
                add(key.0, key.1) { $0.add(decided) }
            }
            for key in rows.keys {
                if rows[key]!.kpis.decisions == nil { rows[key]!.kpis.decisions = DecisionCounts() }
                if rows[key]!.kpis.agreement == nil { rows[key]!.kpis.agreement = CoincidenceCounts() }
            }
        }
        for key in rows.keys {
            let queueIDs: [UUID]
            switch dimension {
            case .queue: queueIDs = queues.filter { $0.name == key }.map(\.id)
            case .market: queueIDs = queues.filter { Self.market("", of: $0) == key || $0.markets.contains(key) }.map(\.id)
            default: queueIDs = queues.map(\.id)
            }
            rows[key]!.kpis.ratingOrder = ratingOrder(of: queueIDs.compactMap { queuesByID[$0] })
        }
        if dimension == .week {
            // A week the period covers only in part says so: the dashboard's 28 days from a Sunday made a one-day
            // "week" that looked like a collapse in volume.
            var covered: [String: Int] = [:]
            for day in days { covered[timeKey(day).0, default: 0] += 1 }
            for (key, count) in covered where count < 7 { rows[key]?.title = "\(key) (\(count) of 7 days)" }
        }
        return rows.values.sorted { $0.key < $1.key }
    }

    private func key(of work: Work, _ dimension: ReportDimension, _ queues: [UUID: Queue]) -> (String, String)? {
        let person = people[work.annotatorID]
        switch dimension {
        case .day, .week, .label:
            return nil  // days and weeks are keyed by the caller, once per day; labels have no work rows
        case .queue:
            let name = queues[work.queueID]?.name ?? work.queueID.uuidString
            return (name, name)
        case .market:
            let market = Self.market(work.market, of: queues[work.queueID])
            return (market, market)
        case .vendor:
            let vendor = person?.vendor ?? "(in-house)"
            return (vendor, vendor)
        case .team:
            let team = "\(person?.vendor ?? "(in-house)") / \(person?.team ?? "(no team)")"
            return (team, team)
        case .annotator:
            return (person?.externalID ?? work.annotatorID.uuidString, person?.name ?? work.annotatorID.uuidString)
        }
    }

    /// The market a report puts work or decisions under: the items', or for items without one their queue's
    /// markets joined (`(no market)` when it has none either).
    static func market(_ itemMarket: String, of queue: Queue?) -> String {
        guard itemMarket.isEmpty else { return itemMarket }
        guard let queue, !queue.markets.isEmpty else { return "(no market)" }
        return queue.markets.joined(separator: ", ")
    }

    /// A day as `YYYY-MM-DD`, or its ISO week as `YYYY-Www` (weeks start on Monday).
    public static func timeKey(_ day: Int64, _ dimension: ReportDimension) -> (String, String) {
        let date = Date(timeIntervalSince1970: Double(day) * 86_400)
        if dimension == .week {
            let parts = Calendar.isoUTC.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            let key = String(format: "%04d-W%02d", parts.yearForWeekOfYear ?? 0, parts.weekOfYear ?? 0)
            return (key, key)
        }
        let key = Calendar.utcDayFormatter.string(from: date)
        return (key, key)
    }

    /// The rating scale shared by all `queues`, or nil (α is then nominal).
    private func ratingOrder(of queues: [Queue]) -> [String]? {
        guard let first = queues.first, queues.allSatisfy({ $0.schema.kind == .rating }) else { return nil }
        let order = first.schema.labels.map(\.code)
        return queues.allSatisfy { $0.schema.labels.map(\.code) == order } ? order : nil
    }
}
