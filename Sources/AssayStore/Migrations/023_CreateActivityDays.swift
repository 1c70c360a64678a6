import FluentKit
import SQLKit

/// Running sums per queue, UTC day and person (judgments and their handling time, gold answers, QA verdicts),
/// kept by the statements that add those rows, so that a dashboard over a million judgments reads a few
/// thousand rows instead of grouping the judgments. Filled from what is already there.
struct CreateActivityDays: AsyncMigration {
    let name = "023-create-activity-days"

    func prepare(on database: any Database) async throws {
        try await database.schema("activity_days")
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("day", .int64, .required)
            .field("annotator_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("judgments", .int64, .required)
            .field("time_spent_ms", .int64, .required)
            .field("gold_answered", .int64, .required)
            .field("gold_correct", .int64, .required)
            .field("qa_reviewed", .int64, .required)
            .field("qa_correct", .int64, .required)
            .compositeIdentifier(over: "queue_id", "day", "annotator_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("""
            INSERT INTO activity_days (queue_id, day, annotator_id, judgments, time_spent_ms, gold_answered, gold_correct,
                                       qa_reviewed, qa_correct)
            SELECT queue_id, submitted_at_ms / 86400000, annotator_id, COUNT(*), SUM(time_spent_ms), 0, 0, 0, 0
            FROM judgments WHERE true GROUP BY queue_id, submitted_at_ms / 86400000, annotator_id
            """).run()
        try await sql.raw("""
            INSERT INTO activity_days (queue_id, day, annotator_id, judgments, time_spent_ms, gold_answered, gold_correct,
                                       qa_reviewed, qa_correct)
            SELECT queue_id, answered_at_ms / 86400000, annotator_id, 0, 0, COUNT(*),
                   SUM(CASE WHEN correct THEN 1 ELSE 0 END), 0, 0
            FROM gold_answers WHERE true GROUP BY queue_id, answered_at_ms / 86400000, annotator_id
            ON CONFLICT (queue_id, day, annotator_id) DO UPDATE
            SET gold_answered = excluded.gold_answered, gold_correct = excluded.gold_correct
            """).run()
        try await sql.raw("""
            INSERT INTO activity_days (queue_id, day, annotator_id, judgments, time_spent_ms, gold_answered, gold_correct,
                                       qa_reviewed, qa_correct)
            SELECT queue_id, reviewed_at_ms / 86400000, annotator_id, 0, 0, 0, 0, COUNT(*),
                   SUM(CASE WHEN correct THEN 1 ELSE 0 END)
            FROM qa_reviews WHERE state = 'done' GROUP BY queue_id, reviewed_at_ms / 86400000, annotator_id
            ON CONFLICT (queue_id, day, annotator_id) DO UPDATE
            SET qa_reviewed = excluded.qa_reviewed, qa_correct = excluded.qa_correct
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("activity_days").delete()
    }
}
