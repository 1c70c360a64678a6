import FluentKit
import SQLKit

/// At most one unfinished run of a predictor version on a queue: a second would ask the model about the same items
/// again and count their cost twice. `startLLMRun` checks first, to name the run to resume; this index is what
/// holds it.
struct OneRunningLLMRunPerPredictor: AsyncMigration {
    let name = "044-one-running-llm-run-per-predictor"

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("""
            CREATE UNIQUE INDEX llm_runs_one_running ON llm_runs (queue_id, predictor_id) WHERE state = 'running'
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX llm_runs_one_running").run()
    }
}
