import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import SQLKit
import Testing

@Suite("Migrations")
struct MigrationTests {
    /// Shipped migration names never change: a rename would make Fluent run a migration twice.
    static let shipped = [
        "001-create-workspace", "002-create-queues", "003-create-items", "004-create-assignments",
        "005-create-judgments", "006-create-final-labels", "007-create-jobs", "008-create-live-lease-index",
        "009-add-gold", "010-create-gold-answers", "011-create-queue-members", "012-create-audit-events",
        "013-add-queue-quality", "014-create-consensus-models", "015-create-arbitration-cases",
        "016-create-qa-reviews", "017-create-guidelines", "018-create-exams",
        "019-create-calibrations",
        "020-add-qa-strata-sampled",
        "021-create-web-sessions",
        "022-add-judgments-by-annotator-index",
        "023-create-activity-days",
        "024-create-decision-days",
        "025-add-appealed-labels",
        "026-create-exposure-days",
        "027-create-gold-confusion-days",
        "028-create-predictions",
        "029-add-model-assist",
        "030-create-label-error-flags",
        "031-add-uncertainty",
        "032-create-llm-runs",
        "033-add-required-judgments",
        "034-add-judgment-ranking",
        "035-add-model-decided",
        "036-shard-decision-days",
        "037-index-scored-items-only",
        "038-drop-duplicate-lease-index",
        "039-count-gold-items",
        "040-index-exam-attempts-by-person",
        "041-key-activity-by-market",
        "042-index-calibration-answers-by-person",
        "043-lease-arbitration-cases",
        "044-one-running-llm-run-per-predictor",
        "045-normalize-language-codes",
        "046-unique-calibration-names",
        "047-compose-external-ids",
        "048-retire-training-exam-gold",
        "049-add-tokens-reported",
        "050-add-exam-retake-wait",
        "051-index-items-and-judgments-by-queue",
        "052-index-audit-events-by-action",
        "053-index-open-items-by-place",
        "054-count-known-waits",
        "055-count-timed-judgments",
        "056-mark-qa-score-sample",
    ]

    @Test("migrate up, revert everything, migrate up again", arguments: TestBackend.allCases)
    func upDownUp(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            #expect(try await database.appliedMigrationNames() == Self.shipped)
            try await database.revertAll()
            #expect(try await database.appliedMigrationNames().isEmpty)
            try await database.migrate()
            #expect(try await database.appliedMigrationNames() == Self.shipped)
            try await database.migrate()
            #expect(try await database.appliedMigrationNames() == Self.shipped, "running again changes nothing")
        }
    }

    @Test("a database a newer Assay has migrated is refused, naming what this version does not know", arguments: TestBackend.allCases)
    func newerDatabase(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            try await database.store.sql().raw("""
                INSERT INTO _fluent_migrations (id, name, batch, created_at, updated_at)
                VALUES (\(bind: UUID()), '999-from-a-newer-assay', 99, NULL, NULL)
                """).run()
            do {
                try await database.migrate()
                Issue.record("a newer database was used")
            } catch AssayError.unavailable(let message) {
                #expect(message.contains("newer Assay") && message.contains("999-from-a-newer-assay"), "\(message)")
            }
        }
    }
}
