import AssayCore
import Foundation
import SQLKit

extension Store {
    /// A queue's activity (``QueueActivity``) over the UTC days from `from` to `to` (inclusive), summed in the
    /// database by day and by person. `vendorID` keeps to one vendor's people (a vendor lead's view).
    ///
    /// Each figure is one grouped query over an index that starts with the queue and the time (judgments by
    /// queue and submission time, gold answers by queue and person, QA reviews by queue), so a dashboard over a
    /// million judgments reads them once without loading any payload.
    public func activity(of queue: Queue, from: Date, to: Date, vendorID: UUID? = nil) async throws -> QueueActivity {
        let start = Calendar.utc.startOfDay(for: from)
        let end = Calendar.utc.startOfDay(for: to).addingTimeInterval(86_400)
        let (startMs, endMs) = (Column.millis(start), Column.millis(end))
        let sql = try sql()
        let people: SQLQueryString = vendorID == nil ? "" : "JOIN people p ON p.id = t.annotator_id"
        let vendor: SQLQueryString = vendorID.map { "AND p.vendor_id = \(bind: $0)" } ?? ""

        var days: [Int64: (judgments: Int, seconds: Double?, gold: GoldScore, qa: GoldScore)] = [:]
        var byPerson: [String: (judgments: Int, seconds: Double?, gold: GoldScore, qa: GoldScore)] = [:]
        let empty = (judgments: 0, seconds: Double?.none, gold: GoldScore(answered: 0, correct: 0), qa: GoldScore(answered: 0, correct: 0))

        // Judgments: volume and handling time.
        for grouping in [Grouping.day("t.submitted_at_ms"), .person] {
            for row in try await sql.raw("""
                SELECT \(unsafeRaw: grouping.key) AS bucket, COUNT(*) AS n,
                       CAST(AVG(t.time_spent_ms) AS DOUBLE PRECISION) AS average_ms
                FROM judgments t \(people)
                WHERE t.queue_id = \(bind: queue.id) AND t.submitted_at_ms >= \(bind: startMs)
                  AND t.submitted_at_ms < \(bind: endMs) \(vendor)
                GROUP BY \(unsafeRaw: grouping.key)
                """).all() {
                let count = try row.int("n")
                let seconds = try row.decode(column: "average_ms", as: Double?.self).map { $0 / 1000 }
                switch grouping {
                case .day: days[try row.int64("bucket"), default: empty].judgments = count
                    days[try row.int64("bucket")]!.seconds = seconds
                case .person: byPerson[try row.string("bucket"), default: empty].judgments = count
                    byPerson[try row.string("bucket")]!.seconds = seconds
                }
            }
        }
        // Gold answers and QA verdicts: correct of answered.
        let scored: [(table: String, time: String, filter: String, isGold: Bool)] = [
            ("gold_answers", "t.answered_at_ms", "", true), ("qa_reviews", "t.reviewed_at_ms", "AND t.state = 'done'", false),
        ]
        for source in scored {
            for grouping in [Grouping.day(source.time), .person] {
                for row in try await sql.raw("""
                    SELECT \(unsafeRaw: grouping.key) AS bucket, COUNT(*) AS n,
                           CAST(SUM(CASE WHEN t.correct THEN 1 ELSE 0 END) AS BIGINT) AS correct
                    FROM \(unsafeRaw: source.table) t \(people)
                    WHERE t.queue_id = \(bind: queue.id) AND \(unsafeRaw: source.time) >= \(bind: startMs)
                      AND \(unsafeRaw: source.time) < \(bind: endMs) \(unsafeRaw: source.filter) \(vendor)
                    GROUP BY \(unsafeRaw: grouping.key)
                    """).all() {
                    let score = GoldScore(answered: try row.int("n"), correct: try row.int("correct"))
                    switch grouping {
                    case .day:
                        let day = try row.int64("bucket")
                        if source.isGold { days[day, default: empty].gold = score } else { days[day, default: empty].qa = score }
                    case .person:
                        let person = try row.string("bucket")
                        if source.isGold { byPerson[person, default: empty].gold = score } else { byPerson[person, default: empty].qa = score }
                    }
                }
            }
        }

        let formatter = Calendar.utcDayFormatter
        var dayRows: [QueueActivity.Day] = []
        var day = startMs / 86_400_000
        while day < endMs / 86_400_000 {
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

    /// How the activity queries group rows: by UTC day of a time column, or by person.
    private enum Grouping {
        case day(String)
        case person

        var key: String {
            switch self {
            case .day(let column): return "\(column) / 86400000"
            case .person: return FinalLabels.annotatorKey.replacingOccurrences(of: "annotator_id", with: "t.annotator_id")
            }
        }
    }
}
