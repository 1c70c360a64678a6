import FluentKit
import SQLKit

/// Judgments by annotator and time: a person's tally for the day on the workbench, and per-person activity over
/// a period, without scanning the queue.
struct AddJudgmentsByAnnotatorIndex: AsyncMigration {
    let name = "022-add-judgments-by-annotator-index"

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw(
            "CREATE INDEX judgments_by_annotator_time ON judgments (annotator_id, submitted_at_ms)"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX judgments_by_annotator_time").run()
    }
}
