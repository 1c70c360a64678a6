import FluentKit
import SQLKit

/// Every judgment given on a gold item, marked right or wrong: the running scores read the last N per annotator
/// through the (queue, annotator, time) index.
struct CreateGoldAnswers: AsyncMigration {
    let name = "010-create-gold-answers"

    func prepare(on database: any Database) async throws {
        try await database.schema("gold_answers")
            .field("judgment_id", .int64, .identifier(auto: false), .references("judgments", "id", onDelete: .cascade))
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("annotator_id", .uuid, .required, .references("people", "id"))
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("correct", .bool, .required)
            .field("answered_at_ms", .int64, .required)
            .create()
        try await (database as! any SQLDatabase).raw(
            "CREATE INDEX gold_answers_by_annotator ON gold_answers (queue_id, annotator_id, answered_at_ms)"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("gold_answers").delete()
    }
}
