import FluentKit

/// Each queue's latest skill model for the weighted and Dawid–Skene rules (``ConsensusModel`` as JSON), with
/// when it was estimated and from how many judgments.
struct CreateConsensusModels: AsyncMigration {
    let name = "014-create-consensus-models"

    func prepare(on database: any Database) async throws {
        try await database.schema("consensus_models")
            .field("queue_id", .uuid, .identifier(auto: false), .references("queues", "id", onDelete: .cascade))
            .field("estimated_at_ms", .int64, .required)
            .field("judgment_count", .int64, .required)
            .field("model", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("consensus_models").delete()
    }
}
