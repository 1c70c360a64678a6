import FluentKit
import SQLKit

/// The final label an appeal reopened, kept on its case so that the decision can be counted as upholding or
/// overturning it (the final label itself is cleared while the appeal is open).
struct AddAppealedLabels: AsyncMigration {
    let name = "025-add-appealed-labels"

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE arbitration_cases ADD COLUMN appealed_labels TEXT").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE arbitration_cases DROP COLUMN appealed_labels").run()
    }
}
