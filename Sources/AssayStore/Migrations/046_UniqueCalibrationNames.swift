import FluentKit
import SQLKit

/// One calibration session of a name per queue, as exams have (018): a retried create made a second "Week 48", and
/// the business review listed both. Sessions of older versions that share a name keep the oldest as it is; the
/// others get their id after the name, so nothing is lost and every name is one.
struct UniqueCalibrationNames: AsyncMigration {
    let name = "046-unique-calibration-names"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("""
            UPDATE calibration_sessions SET name = name || ' (' || CAST(id AS TEXT) || ')'
            WHERE EXISTS (
                SELECT 1 FROM calibration_sessions o
                WHERE o.queue_id = calibration_sessions.queue_id AND o.name = calibration_sessions.name
                  AND (o.created_at_ms < calibration_sessions.created_at_ms
                       OR (o.created_at_ms = calibration_sessions.created_at_ms AND CAST(o.id AS TEXT) < CAST(calibration_sessions.id AS TEXT))))
            """).run()
        try await sql.raw("CREATE UNIQUE INDEX calibration_sessions_by_name ON calibration_sessions (queue_id, name)").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX calibration_sessions_by_name").run()
    }
}
