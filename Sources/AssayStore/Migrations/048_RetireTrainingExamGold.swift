import AssayCore
import Foundation
import FluentKit
import SQLKit

/// Retires the active gold of training exams made before a training exam retired its items: such an exam shows each
/// item's answer, and the item went on scoring the people who had seen it. Each item retired is logged as
/// `gold.retired`, with no actor and this migration as the reason.
struct RetireTrainingExamGold: AsyncMigration {
    let name = "048-retire-training-exam-gold"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let now = Date()
        for exam in try await sql.raw("SELECT queue_id, name, item_ids FROM exams WHERE training = \(bind: true)").all() {
            let queueID = try exam.uuid("queue_id")
            let itemIDs = try Column.decode([Int64].self, from: try exam.string("item_ids"))
            var events: [AuditEvent] = []
            for chunk in itemIDs.chunks() {
                for row in try await sql.raw("""
                    UPDATE items SET gold_state = 'retired' WHERE id IN (\(binds: chunk)) AND gold_state = 'active' RETURNING id
                    """).all() {
                    events.append(AuditEvent(
                        at: now, actorID: nil, action: .goldRetired, entity: "item", entityID: String(try row.int64("id")),
                        queueID: queueID, before: ["state": "active"], after: ["state": "retired"],
                        reason: "shown with its answer in training exam '\(try exam.string("name"))' (migration 048)"))
                }
            }
            try await AuditLog.append(events, sql)
        }
    }

    /// Nothing to undo: the answers were shown.
    func revert(on database: any Database) async throws {}
}
