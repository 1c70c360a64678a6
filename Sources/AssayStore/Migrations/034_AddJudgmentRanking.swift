import FluentKit
import SQLKit

/// On a preference queue, a judgment's full ranking of the responses, best first (JSON; NULL for a plain choice).
/// The label stays the first response, so consensus, gold and QA work on the choice as on any single-choice queue.
struct AddJudgmentRanking: AsyncMigration {
    let name = "034-add-judgment-ranking"

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE judgments ADD COLUMN ranking TEXT").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE judgments DROP COLUMN ranking").run()
    }
}
