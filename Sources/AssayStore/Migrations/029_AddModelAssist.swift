import FluentKit
import SQLKit

/// A queue's model-assistance settings (JSON, NULL for none), and on each assignment the prediction shown to the
/// annotator as a suggestion, so that rubber-stamping is measured on what people actually saw.
struct AddModelAssist: AsyncMigration {
    let name = "029-add-model-assist"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE queues ADD COLUMN assist TEXT").run()
        try await sql.raw("ALTER TABLE assignments ADD COLUMN suggestion_id BIGINT").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE assignments DROP COLUMN suggestion_id").run()
        try await sql.raw("ALTER TABLE queues DROP COLUMN assist").run()
    }
}
