import FluentKit
import Foundation
import SQLKit

/// Running counts of gold answers per queue, UTC day, vendor, reference and answer (labels as stored, JSON text),
/// so that the gold confusion matrix and accuracy by label read a few hundred rows instead of joining every gold
/// answer to its judgment and item. People without a vendor count under the all-zero id. Filled from the gold
/// answers already there, grouped in the database and written as the live path writes.
struct CreateGoldConfusionDays: AsyncMigration {
    let name = "027-create-gold-confusion-days"

    func prepare(on database: any Database) async throws {
        try await database.schema("gold_confusion_days")
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("day", .int64, .required)
            .field("vendor_id", .uuid, .required)
            .field("reference", .string, .required)
            .field("given", .string, .required)
            .field("answers", .int64, .required)
            .compositeIdentifier(over: "queue_id", "day", "vendor_id", "reference", "given")
            .create()
        try await Self.backfill(database as! any SQLDatabase)
    }

    /// Fills the table from `gold_answers`, counted against each item's current reference.
    static func backfill(_ sql: any SQLDatabase) async throws {
        var counts: [GoldConfusionRollup.Key: Int] = [:]
        for row in try await sql.raw("""
            SELECT g.queue_id, g.answered_at_ms / 86400000 AS day, p.vendor_id, i.gold_labels, j.labels, COUNT(*) AS answers
            FROM gold_answers g JOIN judgments j ON j.id = g.judgment_id JOIN items i ON i.id = g.item_id
            JOIN people p ON p.id = g.annotator_id
            WHERE i.gold_labels IS NOT NULL
            GROUP BY g.queue_id, g.answered_at_ms / 86400000, p.vendor_id, i.gold_labels, j.labels
            """).all() {
            let key = GoldConfusionRollup.Key(
                queueID: try row.decode(column: "queue_id", as: UUID.self), day: try row.decode(column: "day", as: Int64.self),
                vendorID: try row.decode(column: "vendor_id", as: UUID?.self),
                reference: try row.decode(column: "gold_labels", as: String.self),
                given: try row.decode(column: "labels", as: String.self))
            counts[key, default: 0] += try row.decode(column: "answers", as: Int.self)
        }
        try await GoldConfusionRollup.add(counts, sql)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("gold_confusion_days").delete()
    }
}
