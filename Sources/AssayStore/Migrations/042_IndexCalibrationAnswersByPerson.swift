import FluentKit
import SQLKit

/// Indexes calibration answers by person: serving gold leaves out the items a person answered in a calibration
/// session (its items are gold, and the session discusses their references), and that look runs in the lease's
/// transaction.
struct IndexCalibrationAnswersByPerson: AsyncMigration {
    let name = "042-index-calibration-answers-by-person"

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw(
            "CREATE INDEX calibration_answers_by_person ON calibration_answers (person_id, item_id)"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX calibration_answers_by_person").run()
    }
}
