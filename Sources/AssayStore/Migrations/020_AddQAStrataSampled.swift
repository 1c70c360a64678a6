import FluentKit
import SQLKit

/// How many judgments each QA stratum has had sampled (reviews done or waiting), so that stratified sampling
/// stops oversampling a stratum once enough reviews are on their way, not only once they are done. Filled from
/// the reviews already filed.
struct AddQAStrataSampled: AsyncMigration {
    let name = "020-add-qa-strata-sampled"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE qa_strata ADD COLUMN sampled BIGINT NOT NULL DEFAULT 0").run()
        try await sql.raw("""
            INSERT INTO qa_strata (queue_id, stratum, reviewed, errors, sampled)
            SELECT queue_id, stratum, 0, 0, COUNT(*) FROM qa_reviews WHERE true GROUP BY queue_id, stratum
            ON CONFLICT (queue_id, stratum) DO UPDATE SET sampled = excluded.sampled
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE qa_strata DROP COLUMN sampled").run()
    }
}
