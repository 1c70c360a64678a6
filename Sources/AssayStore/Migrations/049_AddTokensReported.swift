import FluentKit
import SQLKit

/// Whether the model server reported the tokens of an item's calls. A server that sends no `usage` made its calls
/// look free: their cost was 0 and said nothing. Calls recorded before are taken as reported.
struct AddTokensReported: AsyncMigration {
    let name = "049-add-tokens-reported"

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE llm_calls ADD COLUMN tokens_reported BOOLEAN NOT NULL DEFAULT TRUE").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE llm_calls DROP COLUMN tokens_reported").run()
    }
}
