import AssayCore
import AssayQuality
import Foundation
import SQLKit

extension Store {
    /// The running sums behind every report (``ReportFacts``) for `queues` over the UTC days from `from` to `to`
    /// (inclusive): work per queue, day and person, decisions per queue, day and market, gold answers per person,
    /// reference and answer, and who the people are.
    ///
    /// `vendorID` keeps to one vendor's people and leaves out decision figures, which mix every vendor's work; its
    /// gold figures stop at the end of the UTC day before `now` (``Store/vendorGoldCutoff(now:)``).
    /// Reads at most days × people rows of work and days × markets rows of decisions: a month over a million
    /// judgments reads a few thousand rows; gold answers come from their counts per day, vendor, reference and
    /// answer (`gold_confusion_days`).
    public func reportFacts(queues: [Queue], from: Date, to: Date, vendorID: UUID? = nil, now: Date = Date()) async throws
        -> ReportFacts
    {
        let start = Calendar.utc.startOfDay(for: from)
        let end = Calendar.utc.startOfDay(for: to).addingTimeInterval(86_400)
        let days = ActivityRollup.day(Column.millis(start))...(ActivityRollup.day(Column.millis(end)) - 1)
        let sql = try sql()
        let queueIDs = queues.map(\.id)
        guard !queueIDs.isEmpty else {
            return ReportFacts(
                days: days, queues: [], work: [], decisionsIncluded: vendorID == nil, decisions: [], goldAnswers: [],
                people: [:])
        }
        let people: SQLQueryString = vendorID == nil ? "" : "JOIN people p ON p.id = a.annotator_id"
        let vendor: SQLQueryString = vendorID.map { "AND p.vendor_id = \(bind: $0)" } ?? ""

        let goldCutoff = vendorID.map { _ in ActivityRollup.day(Column.millis(Self.vendorGoldCutoff(now: now))) }
        var work: [ReportFacts.Work] = []
        for row in try await sql.raw("""
            SELECT a.queue_id, a.day, a.annotator_id, a.market, a.judgments, a.timed, a.time_spent_ms, a.gold_answered, a.gold_correct,
                   a.qa_reviewed, a.qa_correct
            FROM activity_days a \(people)
            WHERE a.queue_id IN (\(binds: queueIDs)) AND a.day BETWEEN \(bind: days.lowerBound) AND \(bind: days.upperBound) \(vendor)
            """).all() {
            let day = try row.int64("day")
            let goldShown = goldCutoff.map { day < $0 } ?? true
            work.append(ReportFacts.Work(
                queueID: try row.uuid("queue_id"), day: day, annotatorID: try row.uuid("annotator_id"),
                market: try row.string("market"), judgments: try row.int("judgments"), timedJudgments: try row.int("timed"),
                timeSpentMs: try row.int("time_spent_ms"),
                gold: goldShown ? GoldScore(answered: try row.int("gold_answered"), correct: try row.int("gold_correct"))
                    : GoldScore(answered: 0, correct: 0),
                qa: GoldScore(answered: try row.int("qa_reviewed"), correct: try row.int("qa_correct"))))
        }

        var decisions: [ReportFacts.Decisions] = []
        if vendorID == nil {
            struct Key: Hashable {
                var queueID: UUID
                var day: Int64
                var market: String
            }
            // Each queue's labels are its own: `none` in two taxonomies is two categories, and pooled as one it
            // made α over several queues wrong (0.619 for the demo's total against 0.655). Scale points stay shared,
            // so α over rating queues on one scale is ordinal over both.
            let ownLabels = Set(queues.filter { $0.schema.kind != .rating }.map(\.id))
            func category(_ value: String, of queueID: UUID) -> String {
                ownLabels.contains(queueID) ? "\(queueID.uuidString)\u{1F}\(value)" : value
            }
            var agreement: [Key: CoincidenceCounts] = [:]
            for row in try await sql.raw("""
                SELECT queue_id, day, market, first_value, second_value, SUM(weight) AS weight FROM agreement_days
                WHERE queue_id IN (\(binds: queueIDs)) AND day BETWEEN \(bind: days.lowerBound) AND \(bind: days.upperBound)
                GROUP BY queue_id, day, market, first_value, second_value
                """).all() {
                let key = Key(queueID: try row.uuid("queue_id"), day: try row.int64("day"), market: try row.string("market"))
                agreement[key, default: CoincidenceCounts()].add(
                    category(try Self.joinedLabels(try row.string("first_value")), of: key.queueID),
                    category(try Self.joinedLabels(try row.string("second_value")), of: key.queueID),
                    weight: try row.decode(column: "weight", as: Double.self))
            }
            for row in try await sql.raw("""
                SELECT queue_id, day, market, CAST(SUM(decided) AS BIGINT) AS decided,
                       CAST(SUM(unanimous) AS BIGINT) AS unanimous, CAST(SUM(unresolved) AS BIGINT) AS unresolved,
                       CAST(SUM(units) AS BIGINT) AS units, CAST(SUM(first_resolved) AS BIGINT) AS first_resolved,
                       CAST(SUM(sla_counted) AS BIGINT) AS sla_counted, CAST(SUM(sla_met) AS BIGINT) AS sla_met,
                       CAST(SUM(waited) AS BIGINT) AS waited, CAST(SUM(wait_ms) AS BIGINT) AS wait_ms, CAST(SUM(arbitrated) AS BIGINT) AS arbitrated,
                       CAST(SUM(appeals_decided) AS BIGINT) AS appeals_decided,
                       CAST(SUM(appeals_overturned) AS BIGINT) AS appeals_overturned,
                       CAST(SUM(model_decided) AS BIGINT) AS model_decided
                FROM decision_days
                WHERE queue_id IN (\(binds: queueIDs)) AND day BETWEEN \(bind: days.lowerBound) AND \(bind: days.upperBound)
                GROUP BY queue_id, day, market
                """).all() {
                let key = Key(queueID: try row.uuid("queue_id"), day: try row.int64("day"), market: try row.string("market"))
                var coincidences = agreement[key] ?? CoincidenceCounts()
                let units = try row.int("units")
                coincidences.add(units: units)
                decisions.append(ReportFacts.Decisions(
                    queueID: key.queueID, day: key.day, market: key.market,
                    counts: DecisionCounts(
                        decided: try row.int("decided"), unanimous: try row.int("unanimous"),
                        unresolved: try row.int("unresolved"), units: units, firstResolved: try row.int("first_resolved"),
                        slaCounted: try row.int("sla_counted"), slaMet: try row.int("sla_met"), waited: try row.int("waited"),
                        waitMs: try row.int64("wait_ms"),
                        arbitrated: try row.int("arbitrated"), appealsDecided: try row.int("appeals_decided"),
                        appealsOverturned: try row.int("appeals_overturned"), modelDecided: try row.int("model_decided")),
                    agreement: coincidences))
            }
        }

        var goldAnswers: [ReportFacts.GoldAnswers] = []
        let goldVendor: SQLQueryString = vendorID.map { "AND vendor_id = \(bind: $0) AND day < \(bind: goldCutoff!)" } ?? ""
        for row in try await sql.raw("""
            SELECT queue_id, day, reference, given, CAST(SUM(answers) AS BIGINT) AS answers FROM gold_confusion_days
            WHERE queue_id IN (\(binds: queueIDs)) AND day BETWEEN \(bind: days.lowerBound) AND \(bind: days.upperBound) \(goldVendor)
            GROUP BY queue_id, day, reference, given
            """).all() {
            goldAnswers.append(ReportFacts.GoldAnswers(
                queueID: try row.uuid("queue_id"), day: try row.int64("day"),
                reference: try Self.joinedLabels(try row.string("reference")),
                given: try Self.joinedLabels(try row.string("given")), count: try row.int("answers")))
        }

        let personIDs = Array(Set(work.map(\.annotatorID)))
        var directory: [UUID: ReportFacts.Person] = [:]
        for chunk in personIDs.chunks() {
            for row in try await sql.raw("""
                SELECT p.id, p.external_id, p.name, p.vendor_id, v.name AS vendor, t.name AS team
                FROM people p LEFT JOIN vendors v ON v.id = p.vendor_id LEFT JOIN teams t ON t.id = p.team_id
                WHERE p.id IN (\(binds: chunk))
                """).all() {
                let person = ReportFacts.Person(
                    id: try row.uuid("id"), externalID: try row.string("external_id"), name: try row.string("name"),
                    vendorID: try row.optionalUUID("vendor_id"), vendor: try row.optionalString("vendor"),
                    team: try row.optionalString("team"))
                directory[person.id] = person
            }
        }
        return ReportFacts(
            days: days, queues: queues, work: work, decisionsIncluded: vendorID == nil, decisions: decisions,
            goldAnswers: goldAnswers, people: directory)
    }

    /// When a vendor lead's gold figures stop: the start of `now`'s UTC day. Read live, a lead's figures changed
    /// with each submit, so reading them before and after each of their people's answers told which items were gold
    /// and whether the answer was right (30 of 30 in an audit); a day's lag leaves a day's count of gold, not which.
    public static func vendorGoldCutoff(now: Date) -> Date { Calendar.utc.startOfDay(for: now) }

    /// What needs attention in a queue now (``QueueIssues``), from maintained counters and small indexed counts:
    /// open cases and waiting QA reviews are few by design. `vendorID` counts one vendor's people only (the
    /// backlog and the cases are the queue's).
    public func issues(of queue: Queue, vendorID: UUID? = nil) async throws -> QueueIssues {
        let stats = try await stats(of: queue.id)
        let sql = try sql()
        let vendor: SQLQueryString = vendorID.map { "AND p.vendor_id = \(bind: $0)" } ?? ""
        var members: [String: Int] = [:]
        for row in try await sql.raw("""
            SELECT m.status, COUNT(*) AS people FROM queue_members m JOIN people p ON p.id = m.annotator_id
            WHERE m.queue_id = \(bind: queue.id) \(vendor) GROUP BY m.status
            """).all() {
            members[try row.string("status")] = try row.int("people")
        }
        let waiting = try await sql.raw("""
            SELECT COUNT(*) AS waiting FROM qa_reviews q JOIN people p ON p.id = q.annotator_id
            WHERE q.queue_id = \(bind: queue.id) AND q.state <> 'done' \(vendor)
            """).first()?.int("waiting") ?? 0
        // Open cases, whatever opened them: a tie, an escalation, an appeal or an expert review. (Unresolved items
        // count ties alone.)
        let cases = try await sql.raw("""
            SELECT COUNT(*) AS cases FROM arbitration_cases WHERE queue_id = \(bind: queue.id) AND state = 'open'
            """).first()?.int("cases") ?? 0
        return QueueIssues(
            backlog: stats.backlog, awaitingArbitration: cases, awaitingQA: waiting,
            flagged: members["flagged"] ?? 0, suspended: members["suspended"] ?? 0)
    }

    /// Stored labels (a JSON array) as a report names them: joined with `+`.
    private static func joinedLabels(_ stored: String) throws -> String {
        try Column.strings(from: stored).joined(separator: "+")
    }
}
