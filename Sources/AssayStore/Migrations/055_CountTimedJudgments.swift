import FluentKit
import SQLKit

/// How many of each day's judgments have a known handling time (`activity_days.timed`): a judgment imported from
/// another tool without a start time is stored with 0 ms, which counted as an instant judgment and pulled the mean
/// handling time down (22.5 s instead of 30 s in an audit's week). Filled from the judgments that have no start time.
struct CountTimedJudgments: AsyncMigration {
    let name = "055-count-timed-judgments"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE activity_days ADD COLUMN timed BIGINT NOT NULL DEFAULT 0").run()
        try await sql.raw("UPDATE activity_days SET timed = judgments").run()
        // Days as `ActivityRollup.day` reckons them (whole UTC days since 1970, before it too).
        let rows = try await sql.raw("""
            SELECT j.queue_id, CASE WHEN j.submitted_at_ms >= 0 THEN j.submitted_at_ms / 86400000
                                    ELSE (j.submitted_at_ms - 86399999) / 86400000 END AS day,
                   j.annotator_id, COALESCE(i.market, '') AS market, COUNT(*) AS untimed
            FROM judgments j JOIN items i ON i.id = j.item_id
            WHERE j.started_at_ms IS NULL
            GROUP BY j.queue_id, CASE WHEN j.submitted_at_ms >= 0 THEN j.submitted_at_ms / 86400000
                                      ELSE (j.submitted_at_ms - 86399999) / 86400000 END,
                     j.annotator_id, COALESCE(i.market, '')
            """).all()
        for row in rows {
            try await sql.raw("""
                UPDATE activity_days SET timed = timed - \(bind: try row.int64("untimed"))
                WHERE queue_id = \(bind: try row.uuid("queue_id"))
                  AND day = \(bind: try row.int64("day"))
                  AND annotator_id = \(bind: try row.uuid("annotator_id"))
                  AND market = \(bind: try row.string("market"))
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE activity_days DROP COLUMN timed").run()
    }
}
