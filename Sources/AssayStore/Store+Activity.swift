import AssayCore
import Foundation
import SQLKit

extension Store {
    /// A queue's activity (``QueueActivity``) over the UTC days from `from` to `to` (inclusive). `vendorID` keeps
    /// to one vendor's people (a vendor lead's view, whose gold figures stop before `now`'s day).
    ///
    /// Read from the running sums per day and person (``ActivityRollup``), never by grouping the judgments: a
    /// dashboard over a month of a million judgments reads at most days × people rows.
    public func activity(of queue: Queue, from: Date, to: Date, vendorID: UUID? = nil, now: Date = Date()) async throws
        -> QueueActivity
    {
        QueueActivity(
            try await reportFacts(queues: [queue], from: from, to: to, vendorID: vendorID, now: now), queueID: queue.id)
    }

    /// The first UTC day any of the queues has work recorded (a judgment, a gold answer or a QA verdict), nil for none.
    public func firstDayOfWork(in queueIDs: [UUID]) async throws -> Date? {
        guard !queueIDs.isEmpty else { return nil }
        let row = try await sql().raw("""
            SELECT MIN(day) AS first FROM activity_days WHERE queue_id IN (\(binds: queueIDs))
            """).first()
        return try row?.decode(column: "first", as: Int64?.self).map { Date(timeIntervalSince1970: Double($0) * 86_400) }
    }

    /// How far back a vendor's people must have worked on a queue for it to be their lead's: on the home page and
    /// in the dashboards.
    public static let vendorLeadLookback: TimeInterval = 90 * 86_400

    /// The queues a vendor's people worked on in the last ``vendorLeadLookback``: a vendor lead's queues.
    public func queuesOfVendorLead(vendorID: UUID, now: Date) async throws -> Set<UUID> {
        try await queuesWorked(byVendor: vendorID, since: now.addingTimeInterval(-Self.vendorLeadLookback))
    }

    /// The queues a vendor's people have worked on (judgments, gold answers or QA verdicts on their work) since the
    /// UTC day of `since`: the queues a vendor lead has figures for.
    public func queuesWorked(byVendor vendorID: UUID, since: Date) async throws -> Set<UUID> {
        Set(try await sql().raw("""
            SELECT DISTINCT a.queue_id FROM activity_days a JOIN people p ON p.id = a.annotator_id
            WHERE p.vendor_id = \(bind: vendorID) AND a.day >= \(bind: ActivityRollup.day(Column.millis(since)))
            """).all().map { try $0.uuid("queue_id") })
    }
}

/// The running sums per queue, UTC day, person and item market that the dashboard reads (table `activity_days`). Every
/// statement that adds a judgment, a gold answer or a QA verdict adds to them in the same transaction, so they
/// never disagree with the rows they sum.
enum ActivityRollup {
    struct Key: Hashable, Comparable {
        var queueID: UUID
        var day: Int64
        var annotatorID: UUID
        /// The market of the item worked; empty for an item without one.
        var market: String

        static func < (a: Key, b: Key) -> Bool {
            (a.queueID.uuidString, a.day, a.annotatorID.uuidString, a.market)
                < (b.queueID.uuidString, b.day, b.annotatorID.uuidString, b.market)
        }
    }

    struct Change {
        var judgments = 0
        /// Judgments whose handling time is known: not those made in another tool that gave no start time, whose
        /// 0 ms is unknown, not quick.
        var timed = 0
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
        for chunk in keys.chunks() {
            let values = chunk.map { key -> SQLQueryString in
                let change = changes[key]!
                return """
                    (\(bind: key.queueID), \(bind: key.day), \(bind: key.annotatorID), \(bind: key.market),
                     \(bind: change.judgments), \(bind: change.timed), \(bind: change.timeSpentMs),
                     \(bind: change.goldAnswered), \(bind: change.goldCorrect), \(bind: change.qaReviewed), \(bind: change.qaCorrect))
                    """
            }
            try await sql.raw("""
                INSERT INTO activity_days (queue_id, day, annotator_id, market, judgments, timed, time_spent_ms, gold_answered,
                                           gold_correct, qa_reviewed, qa_correct)
                VALUES \(SQLList(values))
                ON CONFLICT (queue_id, day, annotator_id, market) DO UPDATE SET
                    judgments = activity_days.judgments + excluded.judgments,
                    timed = activity_days.timed + excluded.timed,
                    time_spent_ms = activity_days.time_spent_ms + excluded.time_spent_ms,
                    gold_answered = activity_days.gold_answered + excluded.gold_answered,
                    gold_correct = activity_days.gold_correct + excluded.gold_correct,
                    qa_reviewed = activity_days.qa_reviewed + excluded.qa_reviewed,
                    qa_correct = activity_days.qa_correct + excluded.qa_correct
                """).run()
        }
    }

    /// One change to one row.
    static func add(
        _ change: Change, queueID: UUID, annotatorID: UUID, market: String?, at millis: Int64, _ sql: any SQLDatabase
    ) async throws {
        try await add([Key(queueID: queueID, day: day(millis), annotatorID: annotatorID, market: market ?? ""): change], sql)
    }

    /// The markets of items, by id (empty for an item without one), read `Store.rowsPerStatement` at a time.
    static func markets(of itemIDs: some Collection<Int64>, _ sql: any SQLDatabase) async throws -> [Int64: String] {
        let ids = Array(itemIDs)
        var markets: [Int64: String] = [:]
        for chunk in ids.chunks() {
            for row in try await sql.raw("SELECT id, market FROM items WHERE id IN (\(binds: chunk))").all() {
                markets[try row.int64("id")] = try row.optionalString("market") ?? ""
            }
        }
        return markets
    }
}
