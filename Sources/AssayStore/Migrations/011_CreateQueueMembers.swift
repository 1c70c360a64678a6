import FluentKit

/// An annotator's status in a queue when it is not plain `active`: `flagged` or `suspended`, with the reason.
/// No row means active, so a queue with thousands of annotators holds rows only for the exceptions.
struct CreateQueueMembers: AsyncMigration {
    let name = "011-create-queue-members"

    func prepare(on database: any Database) async throws {
        try await database.schema("queue_members")
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("annotator_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("reason", .string, .required)
            .field("changed_at_ms", .int64, .required)
            .compositeIdentifier(over: "queue_id", "annotator_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("queue_members").delete()
    }
}
