import FluentKit
import SQLKit

/// QA reviews of sampled judgments (one per judgment, by unique key), and per-stratum counts the stratified
/// sampler reads by primary key instead of counting reviews on every decision.
struct CreateQAReviews: AsyncMigration {
    let name = "016-create-qa-reviews"

    func prepare(on database: any Database) async throws {
        try await database.schema("qa_reviews")
            .field("id", .int64, .identifier(auto: true))
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("judgment_id", .int64, .required, .references("judgments", "id", onDelete: .cascade))
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("annotator_id", .uuid, .required, .references("people", "id"))
            .field("stratum", .string, .required)
            .field("reason", .string, .required)
            .field("state", .string, .required)
            .field("sampled_at_ms", .int64, .required)
            .field("reviewer_id", .uuid, .references("people", "id"))
            .field("lease_expires_at_ms", .int64)
            .field("reviewed_at_ms", .int64)
            .field("correct", .bool)
            .field("right_labels", .string)
            .field("error_category", .string)
            .field("severity", .string)
            .field("errors", .string)
            .unique(on: "judgment_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX qa_reviews_waiting ON qa_reviews (queue_id, id) WHERE state <> 'done'").run()
        try await sql.raw("CREATE INDEX qa_reviews_done ON qa_reviews (queue_id, annotator_id) WHERE state = 'done'").run()
        try await database.schema("qa_strata")
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("stratum", .string, .required)
            .field("reviewed", .int64, .required)
            .field("errors", .int64, .required)
            .compositeIdentifier(over: "queue_id", "stratum")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("qa_strata").delete()
        try await database.schema("qa_reviews").delete()
    }
}
