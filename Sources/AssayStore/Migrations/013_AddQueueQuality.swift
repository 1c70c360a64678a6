import FluentKit
import SQLKit

/// A queue's quality settings (gold rate, threshold, window, auto-suspend) as JSON; `{}` reads as the defaults.
struct AddQueueQuality: AsyncMigration {
    let name = "013-add-queue-quality"

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE queues ADD COLUMN quality TEXT NOT NULL DEFAULT '{}'").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE queues DROP COLUMN quality").run()
    }
}
