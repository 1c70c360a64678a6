import FluentKit

/// Calibration sessions, their answers (one per session, person and item, by primary key) and discussion notes.
struct CreateCalibrations: AsyncMigration {
    let name = "019-create-calibrations"

    func prepare(on database: any Database) async throws {
        try await database.schema("calibration_sessions")
            .field("id", .uuid, .identifier(auto: false))
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("item_ids", .string, .required)
            .field("participants", .string, .required)
            .field("opens_at_ms", .int64, .required)
            .field("closes_at_ms", .int64, .required)
            .field("created_at_ms", .int64, .required)
            .create()
        try await database.schema("calibration_answers")
            .field("session_id", .uuid, .required, .references("calibration_sessions", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("labels", .string, .required)
            .field("answered_at_ms", .int64, .required)
            .compositeIdentifier(over: "session_id", "person_id", "item_id")
            .create()
        try await database.schema("calibration_notes")
            .field("id", .int64, .identifier(auto: true))
            .field("session_id", .uuid, .required, .references("calibration_sessions", "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references("people", "id"))
            .field("text", .string, .required)
            .field("created_at_ms", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["calibration_notes", "calibration_answers", "calibration_sessions"] {
            try await database.schema(table).delete()
        }
    }
}
