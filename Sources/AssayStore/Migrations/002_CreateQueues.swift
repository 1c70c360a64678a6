import AssayCore
import FluentKit
import SQLKit

/// Queues, and their progress counters.
///
/// Counters are spread over ``QueueCounters/shards`` rows per queue so that concurrent submits on PostgreSQL
/// rarely wait on the same row lock; reading progress sums the shards.
struct CreateQueues: AsyncMigration {
    let name = "002-create-queues"

    func prepare(on database: any Database) async throws {
        try await database.schema("queues")
            .field("id", .uuid, .identifier(auto: false))
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("domain", .string, .required)
            .field("markets", .string, .required)
            .field("languages", .string, .required)
            .field("schema", .string, .required)
            .field("overlap", .int, .required)
            .field("lease_seconds", .int, .required)
            .field("consensus", .string, .required)
            .field("ordering", .string, .required)
            .field("created_at_ms", .int64, .required)
            .unique(on: "name")
            .create()
        try await database.schema("queue_counters")
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("shard", .int, .required)
            .field("items", .int64, .required)
            .field("completed_items", .int64, .required)
            .field("judgments", .int64, .required)
            .field("skips", .int64, .required)
            .field("resolved_items", .int64, .required)
            .field("unresolved_items", .int64, .required)
            .compositeIdentifier(over: "queue_id", "shard")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("queue_counters").delete()
        try await database.schema("queues").delete()
    }
}
