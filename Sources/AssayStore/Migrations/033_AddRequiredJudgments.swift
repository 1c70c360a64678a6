import FluentKit
import SQLKit

/// The judgments an item needs before its final label is computed, when review routing set it (one review, two
/// reviews); NULL means the queue's overlap, as before.
struct AddRequiredJudgments: AsyncMigration {
    let name = "033-add-required-judgments"

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE items ADD COLUMN required_judgments INTEGER").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE items DROP COLUMN required_judgments").run()
    }
}
