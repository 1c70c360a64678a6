import FluentKit
import SQLKit

/// Whether a QA review is in the QA score's sample (`qa_reviews.in_score`, see `QASampling`): reviews drawn above the
/// base rate (new annotators, low-confidence items, strata short of reviews) find errors but leaned the score toward
/// the hard cases. Reviews sampled before cannot be told apart, and stay in the score as they were.
struct MarkQAScoreSample: AsyncMigration {
    let name = "056-mark-qa-score-sample"

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE qa_reviews ADD COLUMN in_score BOOLEAN NOT NULL DEFAULT TRUE").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE qa_reviews DROP COLUMN in_score").run()
    }
}
