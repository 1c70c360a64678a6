import AssayCore
import Foundation
import SQLKit

extension Store {
    /// A queue's activity (``QueueActivity``) over the UTC days from `from` to `to` (inclusive). `vendorID` keeps
    /// to one vendor's people (a vendor lead's view).
    ///
    /// Read from the running sums per day and person (``ActivityRollup``), never by grouping the judgments: a
    /// dashboard over a month of a million judgments reads at most days × people rows.
    public func activity(of queue: Queue, from: Date, to: Date, vendorID: UUID? = nil) async throws -> QueueActivity {
        let start = Calendar.utc.startOfDay(for: from)
        let end = Calendar.utc.startOfDay(for: to).addingTimeInterval(86_400)
        let (firstDay, lastDay) = (ActivityRollup.day(Column.millis(start)), ActivityRollup.day(Column.millis(end)) - 1)
        let people: SQLQueryString = vendorID == nil ? "" : "JOIN people p ON p.id = a.annotator_id"
        let vendor: SQLQueryString = vendorID.map { "AND p.vendor_id = \(bind: $0)" } ?? ""
        typealias Figures = (judgments: Int, seconds: Double?, gold: GoldScore, qa: GoldScore)
        var days: [Int64: Figures] = [:]
        var byPerson: [String: Figures] = [:]
        for grouping in ["a.day", FinalLabels.annotatorKey.replacingOccurrences(of: "annotator_id", with: "a.annotator_id")] {
            for row in try await sql().raw("""
                SELECT \(unsafeRaw: grouping) AS bucket, CAST(SUM(a.judgments) AS BIGINT) AS judgments,
                       CAST(SUM(a.time_spent_ms) AS BIGINT) AS time_spent_ms,
                       CAST(SUM(a.gold_answered) AS BIGINT) AS gold_answered, CAST(SUM(a.gold_correct) AS BIGINT) AS gold_correct,
                       CAST(SUM(a.qa_reviewed) AS BIGINT) AS qa_reviewed, CAST(SUM(a.qa_correct) AS BIGINT) AS qa_correct
                FROM activity_days a \(people)
                WHERE a.queue_id = \(bind: queue.id) AND a.day BETWEEN \(bind: firstDay) AND \(bind: lastDay) \(vendor)
                GROUP BY \(unsafeRaw: grouping)
                """).all() {
                let judgments = try Self.sum(row, "judgments")
                let figures: Figures = (
                    judgments, judgments == 0 ? nil : Double(try Self.sum(row, "time_spent_ms")) / Double(judgments) / 1000,
                    GoldScore(answered: try Self.sum(row, "gold_answered"), correct: try Self.sum(row, "gold_correct")),
                    GoldScore(answered: try Self.sum(row, "qa_reviewed"), correct: try Self.sum(row, "qa_correct")))
                if grouping == "a.day" { days[try row.int64("bucket")] = figures } else { byPerson[try row.string("bucket")] = figures }
            }
        }
        let sql = try sql()
        let empty: Figures = (0, nil, GoldScore(answered: 0, correct: 0), GoldScore(answered: 0, correct: 0))

        let formatter = Calendar.utcDayFormatter
        var dayRows: [QueueActivity.Day] = []
        var day = firstDay
        while day <= lastDay {
            let figures = days[day] ?? empty
            dayRows.append(QueueActivity.Day(
                day: formatter.string(from: Date(timeIntervalSince1970: Double(day) * 86_400)), judgments: figures.judgments,
                averageHandlingSeconds: figures.seconds, gold: figures.gold, qa: figures.qa))
            day += 1
        }
        var annotators: [QueueActivity.Annotator] = []
        if !byPerson.isEmpty {
            // The person key is the id as the database writes it as text (case differs between the backends).
            let figuresByID = Dictionary(uniqueKeysWithValues: byPerson.compactMap { key, figures in
                UUID(uuidString: key).map { ($0, figures) }
            })
            for row in try await sql.raw("""
                SELECT \(unsafeRaw: Self.personColumns) FROM people WHERE id IN (\(binds: Array(figuresByID.keys)))
                """).all() {
                let person = try Self.person(from: row)
                guard let figures = figuresByID[person.id] else { continue }
                annotators.append(QueueActivity.Annotator(
                    annotatorID: person.id, externalID: person.externalID, name: person.name, vendorID: person.vendorID,
                    judgments: figures.judgments, averageHandlingSeconds: figures.seconds, gold: figures.gold, qa: figures.qa))
            }
        }
        annotators.sort { ($0.name, $0.annotatorID.uuidString) < ($1.name, $1.annotatorID.uuidString) }
        return QueueActivity(queueID: queue.id, from: start, to: end, days: dayRows, annotators: annotators)
    }

    /// A summed column (cast to BIGINT in the query: PostgreSQL sums BIGINT as NUMERIC).
    private static func sum(_ row: any SQLRow, _ column: String) throws -> Int {
        try row.decode(column: column, as: Int?.self) ?? 0
    }
}

/// The running sums per queue, UTC day and person that the dashboard reads (table `activity_days`). Every
/// statement that adds a judgment, a gold answer or a QA verdict adds to them in the same transaction, so they
/// never disagree with the rows they sum.
enum ActivityRollup {
    struct Key: Hashable, Comparable {
        var queueID: UUID
        var day: Int64
        var annotatorID: UUID

        static func < (a: Key, b: Key) -> Bool {
            (a.queueID.uuidString, a.day, a.annotatorID.uuidString) < (b.queueID.uuidString, b.day, b.annotatorID.uuidString)
        }
    }

    struct Change {
        var judgments = 0
        var timeSpentMs = 0
        var goldAnswered = 0
        var goldCorrect = 0
        var qaReviewed = 0
        var qaCorrect = 0
    }

    /// The UTC day a time in milliseconds falls on, as days since 1970.
    static func day(_ millis: Int64) -> Int64 { millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000 }

    /// Adds changes to their rows, creating them as needed; 500 rows per statement, in key order (one lock order
    /// for concurrent writers on PostgreSQL).
    static func add(_ changes: [Key: Change], _ sql: any SQLDatabase) async throws {
        let keys = changes.keys.sorted()
        for start in stride(from: 0, to: keys.count, by: 500) {
            let values = keys[start..<min(start + 500, keys.count)].map { key -> SQLQueryString in
                let change = changes[key]!
                return """
                    (\(bind: key.queueID), \(bind: key.day), \(bind: key.annotatorID), \(bind: change.judgments), \(bind: change.timeSpentMs),
                     \(bind: change.goldAnswered), \(bind: change.goldCorrect), \(bind: change.qaReviewed), \(bind: change.qaCorrect))
                    """
            }
            try await sql.raw("""
                INSERT INTO activity_days (queue_id, day, annotator_id, judgments, time_spent_ms, gold_answered, gold_correct,
                                           qa_reviewed, qa_correct)
                VALUES \(SQLList(values))
                ON CONFLICT (queue_id, day, annotator_id) DO UPDATE SET
                    judgments = activity_days.judgments + excluded.judgments,
                    time_spent_ms = activity_days.time_spent_ms + excluded.time_spent_ms,
                    gold_answered = activity_days.gold_answered + excluded.gold_answered,
                    gold_correct = activity_days.gold_correct + excluded.gold_correct,
                    qa_reviewed = activity_days.qa_reviewed + excluded.qa_reviewed,
                    qa_correct = activity_days.qa_correct + excluded.qa_correct
                """).run()
        }
    }

    /// One change to one row.
    static func add(_ change: Change, queueID: UUID, annotatorID: UUID, at millis: Int64, _ sql: any SQLDatabase) async throws {
        try await add([Key(queueID: queueID, day: day(millis), annotatorID: annotatorID): change], sql)
    }
}
