import Foundation

/// What happened in a queue over a period, day by day and person by person: the figures behind the dashboard.
///
/// Volume is judgments submitted; average handling time is the mean time spent per judgment; gold accuracy is the
/// share of gold answers that matched the reference; the QA score is the share of reviewed judgments the reviewers
/// found correct. Rates carry their 95% Wilson intervals (``GoldScore/interval``), so a leaderboard can rank by
/// what the data supports rather than by a point estimate from five answers.
public struct QueueActivity: Codable, Sendable, Equatable {
    /// One UTC day.
    public struct Day: Codable, Sendable, Equatable {
        /// `YYYY-MM-DD`.
        public var day: String
        public var judgments: Int
        /// Mean seconds per judgment, nil on a day without any.
        public var averageHandlingSeconds: Double?
        public var gold: GoldScore
        public var qa: GoldScore

        public init(day: String, judgments: Int, averageHandlingSeconds: Double?, gold: GoldScore, qa: GoldScore) {
            self.day = day
            self.judgments = judgments
            self.averageHandlingSeconds = averageHandlingSeconds
            self.gold = gold
            self.qa = qa
        }

        enum CodingKeys: String, CodingKey {
            case day, judgments, gold, qa
            case averageHandlingSeconds = "average_handling_seconds"
        }
    }

    /// One person's work in the period.
    public struct Annotator: Codable, Sendable, Equatable {
        public var annotatorID: UUID
        public var externalID: String
        public var name: String
        public var vendorID: UUID?
        /// The vendor's name; nil for someone in-house.
        public var vendor: String?
        public var judgments: Int
        public var averageHandlingSeconds: Double?
        public var gold: GoldScore
        public var qa: GoldScore

        public init(
            annotatorID: UUID, externalID: String, name: String, vendorID: UUID?, vendor: String? = nil, judgments: Int,
            averageHandlingSeconds: Double?, gold: GoldScore, qa: GoldScore
        ) {
            self.annotatorID = annotatorID
            self.externalID = externalID
            self.name = name
            self.vendorID = vendorID
            self.vendor = vendor
            self.judgments = judgments
            self.averageHandlingSeconds = averageHandlingSeconds
            self.gold = gold
            self.qa = qa
        }

        enum CodingKeys: String, CodingKey {
            case name, vendor, judgments, gold, qa
            case annotatorID = "annotator_id", externalID = "external_id", vendorID = "vendor_id"
            case averageHandlingSeconds = "average_handling_seconds"
        }
    }

    public var queueID: UUID
    /// The period: from the start of the first day to the end of the last (UTC).
    public var from: Date
    public var to: Date
    /// Every day of the period, oldest first, days without work included.
    public var days: [Day]
    /// Everyone with work in the period, by name.
    public var annotators: [Annotator]

    public init(queueID: UUID, from: Date, to: Date, days: [Day], annotators: [Annotator]) {
        self.queueID = queueID
        self.from = from
        self.to = to
        self.days = days
        self.annotators = annotators
    }

    /// The activity in facts read for one queue: every day of the period, and everyone with work in it.
    public init(_ facts: ReportFacts, queueID: UUID) {
        let bounds = (
            Date(timeIntervalSince1970: Double(facts.days.lowerBound) * 86_400),
            Date(timeIntervalSince1970: Double(facts.days.upperBound + 1) * 86_400))
        let days = facts.breakdown(by: .day).map { row in
            Day(day: row.key, judgments: row.kpis.judgments, averageHandlingSeconds: row.kpis.averageHandlingSeconds,
                gold: row.kpis.gold, qa: row.kpis.qa)
        }
        var byPerson: [UUID: KPIs] = [:]
        for work in facts.work { byPerson[work.annotatorID, default: KPIs()].add(work) }
        let annotators = byPerson.compactMap { id, kpis -> Annotator? in
            guard let person = facts.people[id] else { return nil }
            return Annotator(
                annotatorID: id, externalID: person.externalID, name: person.name, vendorID: person.vendorID,
                vendor: person.vendor, judgments: kpis.judgments, averageHandlingSeconds: kpis.averageHandlingSeconds, gold: kpis.gold, qa: kpis.qa)
        }.sorted { ($0.name, $0.annotatorID.uuidString) < ($1.name, $1.annotatorID.uuidString) }
        self.init(
            queueID: queueID, from: bounds.0, to: bounds.1, days: days, annotators: annotators)
    }

    /// The period's totals: every day added up.
    public var total: Day {
        let judgments = days.reduce(0) { $0 + $1.judgments }
        let seconds = days.reduce(0.0) { $0 + ($1.averageHandlingSeconds ?? 0) * Double($1.judgments) }
        return Day(
            day: "total", judgments: judgments, averageHandlingSeconds: judgments == 0 ? nil : seconds / Double(judgments),
            gold: GoldScore(answered: days.reduce(0) { $0 + $1.gold.answered }, correct: days.reduce(0) { $0 + $1.gold.correct }),
            qa: GoldScore(answered: days.reduce(0) { $0 + $1.qa.answered }, correct: days.reduce(0) { $0 + $1.qa.correct }))
    }

    enum CodingKeys: String, CodingKey {
        case from, to, days, annotators
        case queueID = "queue_id"
    }
}
