import FluentKit
import SQLKit

/// Predictors (a model, prompt or classifier at one version) and their predictions, one per predictor and item.
///
/// `route` records what auto-accept did with a prediction (`auto_accepted`, `audit`, `human`), or NULL when no
/// queue routed it; the index on (queue, predictor, route) serves the auto-accept report and the pending-routes
/// scan without touching the rest of a queue's predictions.
struct CreatePredictions: AsyncMigration {
    let name = "028-create-predictions"

    func prepare(on database: any Database) async throws {
        try await database.schema("predictors")
            .field("id", .uuid, .identifier(auto: false))
            .field("name", .string, .required)
            .field("version", .string, .required)
            .field("kind", .string, .required)
            .field("created_at_ms", .int64, .required)
            .unique(on: "name", "version")
            .create()
        try await database.schema("predictions")
            .field("id", .int64, .identifier(auto: true))
            .field("predictor_id", .uuid, .required, .references("predictors", "id", onDelete: .cascade))
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("labels", .string, .required)
            .field("confidence", .double, .required)
            .field("route", .string)
            .field("created_at_ms", .int64, .required)
            .unique(on: "predictor_id", "item_id")
            .create()
        try await (database as! any SQLDatabase).raw(
            "CREATE INDEX predictions_by_route ON predictions (queue_id, predictor_id, route)"
        ).run()
        try await (database as! any SQLDatabase).raw("CREATE INDEX predictions_by_item ON predictions (item_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("predictions").delete()
        try await database.schema("predictors").delete()
    }
}
