import FluentKit
import SQLKit

/// The hours a qualification exam waits after a failed attempt before it may be sat again. Each attempt reports a
/// score, so with retakes at once a candidate could find an exam's answers one item at a time. Qualification exams
/// made before wait 24 hours, the new default; training exams, which show their answers anyway, wait none.
struct AddExamRetakeWait: AsyncMigration {
    let name = "050-add-exam-retake-wait"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE exams ADD COLUMN retake_after_hours INTEGER NOT NULL DEFAULT 0").run()
        try await sql.raw("UPDATE exams SET retake_after_hours = 24 WHERE training = \(bind: false)").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE exams DROP COLUMN retake_after_hours").run()
    }
}
