import FluentKit
import SQLKit

/// Final labels that label-error detection disputed: the given and suggested labels with the model's
/// probabilities, who ran it, and the arbitration case that re-reviews the item (NULL when it was only reported).
/// The case's decision says whether the flag was right: an overturn.
struct CreateLabelErrorFlags: AsyncMigration {
    let name = "030-create-label-error-flags"

    func prepare(on database: any Database) async throws {
        try await database.schema("label_error_flags")
            .field("id", .int64, .identifier(auto: true))
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("given_labels", .string, .required)
            .field("suggested_labels", .string, .required)
            .field("self_confidence", .double, .required)
            .field("suggested_confidence", .double, .required)
            .field("flagged_at_ms", .int64, .required)
            .field("flagged_by", .uuid, .references("people", "id"))
            .field("case_id", .int64, .references("arbitration_cases", "id"))
            .unique(on: "item_id", "flagged_at_ms")
            .create()
        try await (database as! any SQLDatabase).raw(
            "CREATE INDEX label_error_flags_by_queue ON label_error_flags (queue_id, flagged_at_ms)"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("label_error_flags").delete()
    }
}
