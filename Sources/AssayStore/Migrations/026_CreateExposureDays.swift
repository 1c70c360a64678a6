import FluentKit
import SQLKit

/// Wellbeing: how many items under each severe label each person judged per UTC day, across queues, so that a
/// queue's exposure limit can route the rest of their day elsewhere and the dashboard can show exposure per team.
/// Starts empty: which labels are severe is new with this change.
struct CreateExposureDays: AsyncMigration {
    let name = "026-create-exposure-days"

    func prepare(on database: any Database) async throws {
        try await database.schema("exposure_days")
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("day", .int64, .required)
            .field("label", .string, .required)
            .field("items", .int64, .required)
            .compositeIdentifier(over: "person_id", "day", "label")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("exposure_days").delete()
    }
}
