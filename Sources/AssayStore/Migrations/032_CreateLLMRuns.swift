import FluentKit
import SQLKit

/// LLM labeling runs and what became of each item in them. The unique (run, item) key is what makes a run
/// resumable without calling the model twice for an item it finished: a resumed run asks only for the items with
/// no row yet, and a row is written in the same transaction as the item's prediction.
struct CreateLLMRuns: AsyncMigration {
    let name = "032-create-llm-runs"

    func prepare(on database: any Database) async throws {
        try await database.schema("llm_runs")
            .field("id", .uuid, .identifier(auto: false))
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("predictor_id", .uuid, .required, .references("predictors", "id", onDelete: .cascade))
            .field("config", .string, .required)
            .field("state", .string, .required)
            .field("error", .string)
            .field("started_at_ms", .int64, .required)
            .field("finished_at_ms", .int64)
            .field("created_by", .uuid, .references("people", "id"))
            .create()
        try await database.schema("llm_calls")
            .field("id", .int64, .identifier(auto: true))
            .field("run_id", .uuid, .required, .references("llm_runs", "id", onDelete: .cascade))
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("succeeded", .bool, .required)
            .field("attempts", .int, .required)
            .field("prompt_tokens", .int64, .required)
            .field("completion_tokens", .int64, .required)
            .field("cost", .double, .required)
            .field("latency_ms", .int64, .required)
            .field("error", .string)
            .field("rationale", .string)
            .field("created_at_ms", .int64, .required)
            .unique(on: "run_id", "item_id")
            .create()
        try await (database as! any SQLDatabase).raw("CREATE INDEX llm_runs_by_queue ON llm_runs (queue_id, started_at_ms)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("llm_calls").delete()
        try await database.schema("llm_runs").delete()
    }
}
