import Foundation
import SQLKit

/// The running counts of gold answers by queue, UTC day, vendor, reference and answer (table
/// `gold_confusion_days`, migration 027), kept by the statements that score gold answers, in their transaction.
enum GoldConfusionRollup {
    /// The key people without a vendor count under.
    static let noVendor = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    struct Key: Hashable, Comparable {
        var queueID: UUID
        var day: Int64
        var vendorID: UUID?
        /// The reference labels as stored (JSON text).
        var reference: String
        /// The answer as stored (JSON text).
        var given: String

        static func < (a: Key, b: Key) -> Bool {
            (a.queueID.uuidString, a.day, (a.vendorID ?? noVendor).uuidString, a.reference, a.given)
                < (b.queueID.uuidString, b.day, (b.vendorID ?? noVendor).uuidString, b.reference, b.given)
        }
    }

    /// Adds counts to their rows, creating them as needed; 500 rows per statement, in key order.
    static func add(_ counts: [Key: Int], _ sql: any SQLDatabase) async throws {
        let keys = counts.keys.sorted()
        for chunk in keys.chunks() {
            let values = chunk.map { key -> SQLQueryString in
                """
                (\(bind: key.queueID), \(bind: key.day), \(bind: key.vendorID ?? noVendor), \(bind: key.reference),
                 \(bind: key.given), \(bind: counts[key]!))
                """
            }
            try await sql.raw("""
                INSERT INTO gold_confusion_days (queue_id, day, vendor_id, reference, given, answers)
                VALUES \(SQLList(values))
                ON CONFLICT (queue_id, day, vendor_id, reference, given) DO UPDATE SET
                    answers = gold_confusion_days.answers + excluded.answers
                """).run()
        }
    }
}
