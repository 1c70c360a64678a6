import FluentKit
import SQLKit

/// Keys the work running sums (`activity_days`) by the items' market as well as queue, day and person, so that a
/// breakdown by market counts judgments, handling time, gold and QA by the market of the items worked, as it
/// counts decisions. Before, work could only be put under the queue's whole list of markets ("US, GB, IN"), and
/// the rows by market disagreed with themselves: decisions under "US", the judgments that made them under
/// "US, GB, IN".
///
/// SQLite cannot change a primary key, so the table is rebuilt, and filled again from the rows it sums (judgments,
/// gold answers, finished QA reviews) with their items' markets.
struct KeyActivityByMarket: AsyncMigration {
    let name = "041-key-activity-by-market"

    func prepare(on database: any Database) async throws {
        try await Self.create(named: "activity_days_by_market", byMarket: true, on: database)
        let sql = database as! any SQLDatabase
        try await Self.backfill(into: "activity_days_by_market", sql)
        try await sql.raw("DROP TABLE activity_days").run()
        try await sql.raw("ALTER TABLE activity_days_by_market RENAME TO activity_days").run()
    }

    func revert(on database: any Database) async throws {
        try await Self.create(named: "activity_days_whole", byMarket: false, on: database)
        let sql = database as! any SQLDatabase
        try await sql.raw("""
            INSERT INTO activity_days_whole (queue_id, day, annotator_id, judgments, time_spent_ms, gold_answered, gold_correct,
                                             qa_reviewed, qa_correct)
            SELECT queue_id, day, annotator_id, SUM(judgments), SUM(time_spent_ms), SUM(gold_answered), SUM(gold_correct),
                   SUM(qa_reviewed), SUM(qa_correct)
            FROM activity_days GROUP BY queue_id, day, annotator_id
            """).run()
        try await sql.raw("DROP TABLE activity_days").run()
        try await sql.raw("ALTER TABLE activity_days_whole RENAME TO activity_days").run()
    }

    private static func create(named name: String, byMarket: Bool, on database: any Database) async throws {
        var schema = database.schema(name)
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("day", .int64, .required)
            .field("annotator_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
        if byMarket { schema = schema.field("market", .string, .required) }
        schema = schema
            .field("judgments", .int64, .required)
            .field("time_spent_ms", .int64, .required)
            .field("gold_answered", .int64, .required)
            .field("gold_correct", .int64, .required)
            .field("qa_reviewed", .int64, .required)
            .field("qa_correct", .int64, .required)
        try await (byMarket
            ? schema.compositeIdentifier(over: "queue_id", "day", "annotator_id", "market")
            : schema.compositeIdentifier(over: "queue_id", "day", "annotator_id")).create()
    }

    /// Fills `table` (the current schema of `activity_days`, empty) from the rows it sums: each judgment on the day it
    /// was submitted, each gold answer on the day it was made, each finished QA review on the day of its verdict,
    /// under its item's market (empty for an item without one).
    static func backfill(into table: String = "activity_days", _ sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO \(ident: table) (queue_id, day, annotator_id, market, judgments, time_spent_ms, gold_answered,
                                         gold_correct, qa_reviewed, qa_correct)
            SELECT queue_id, day, annotator_id, market, SUM(judgments), SUM(time_spent_ms), SUM(gold_answered),
                   SUM(gold_correct), SUM(qa_reviewed), SUM(qa_correct)
            FROM (
                SELECT j.queue_id, j.submitted_at_ms / 86400000 AS day, j.annotator_id, COALESCE(i.market, '') AS market,
                       1 AS judgments, j.time_spent_ms, 0 AS gold_answered, 0 AS gold_correct, 0 AS qa_reviewed,
                       0 AS qa_correct
                FROM judgments j JOIN items i ON i.id = j.item_id
                UNION ALL
                SELECT g.queue_id, g.answered_at_ms / 86400000, g.annotator_id, COALESCE(i.market, ''), 0, 0, 1,
                       CASE WHEN g.correct THEN 1 ELSE 0 END, 0, 0
                FROM gold_answers g JOIN items i ON i.id = g.item_id
                UNION ALL
                SELECT q.queue_id, q.reviewed_at_ms / 86400000, q.annotator_id, COALESCE(i.market, ''), 0, 0, 0, 0, 1,
                       CASE WHEN q.correct THEN 1 ELSE 0 END
                FROM qa_reviews q JOIN items i ON i.id = q.item_id WHERE q.state = 'done'
            ) worked
            GROUP BY queue_id, day, annotator_id, market
            """).run()
    }
}
