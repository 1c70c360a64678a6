import AssayCore
import AssayQuality
import Foundation
import SQLKit

extension Store {
    /// Starts an LLM labeling run on a queue; its answers will be stored under `predictor` (registered as an LLM
    /// predictor on first use).
    ///
    /// A predictor version is one setup (``LLMRunConfig/setupDifferences(from:)``): a later run of it must ask the same
    /// model the same way, and calls the model only for items it has no answer from yet. So a version's evaluation
    /// always describes one setup, and running it again extends it rather than paying twice.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for a bad configuration;
    ///   ``AssayError/conflict(_:)`` when a run of the same predictor on the queue is still unfinished (resume it),
    ///   when the predictor's earlier runs used another setup, or when it holds imported predictions.
    public func startLLMRun(
        on queue: Queue, as predictor: Predictor.Reference, config: LLMRunConfig, by actor: Person, now: Date
    ) async throws -> LLMRun {
        var config = try config.validated()
        // The guidelines the prompt quotes are those in force now, for the whole run, resumed or not.
        config.guidelineVersion = nil
        if config.template.quotesGuidelines {
            do {
                config.guidelineVersion = try await guideline(of: queue.id, version: nil, now: now).version
            } catch AssayError.notFound {}
        }
        return try await transaction { [config] sql in
            // Locked until this run is recorded: two starts of one version with different setups take turns.
            let predictorID = try await Self.predictorID(of: predictor, kind: .llm, now: now, sql)
            if let earlier = try await sql.raw("""
                SELECT config FROM llm_runs WHERE predictor_id = \(bind: predictorID) ORDER BY started_at_ms DESC LIMIT 1
                """).first() {
                let differences = try Column.decode(LLMRunConfig.self, from: try earlier.string("config"))
                    .setupDifferences(from: config)
                if !differences.isEmpty {
                    throw AssayError.conflict("""
                        \(predictor) was run with another \(differences.joined(separator: ", ")): its answers and \
                        evaluation stand for that setup. Run this one as a new version of \(predictor.name)
                        """)
                }
            }
            if let running = try await sql.raw("""
                SELECT id FROM llm_runs WHERE queue_id = \(bind: queue.id) AND predictor_id = \(bind: predictorID)
                  AND state = 'running'
                """).first()
            {
                throw AssayError.conflict(
                    "run \(try running.uuid("id")) of \(predictor) on '\(queue.name)' is unfinished; resume it instead")
            }
            let run = LLMRun(id: UUID(), queueID: queue.id, predictor: predictor, config: config, state: .running, startedAt: now)
            try await sql.raw("""
                INSERT INTO llm_runs (id, queue_id, predictor_id, config, state, started_at_ms, created_by)
                VALUES (\(bind: run.id), \(bind: queue.id), \(bind: predictorID), \(bind: try Column.json(config)), 'running',
                        \(bind: Column.millis(now)), \(bind: actor.id))
                """).run()
            return run
        }
    }

    /// Resumes an unfinished run with another endpoint, key variable, pace, scope, limit or prices (the server
    /// moved, or asked for a slower pace): what a run costs and covers, not what it answers. The setup
    /// (``LLMRunConfig/setupDifferences(from:)``) and the guidelines the prompt quotes stay the run's own.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for a bad configuration; ``AssayError/conflict(_:)``
    ///   for another setup, or a run that is no longer running.
    public func resumeLLMRun(_ run: LLMRun, with config: LLMRunConfig) async throws -> LLMRun {
        var config = try config.validated()
        config.guidelineVersion = run.config.guidelineVersion
        let differences = run.config.setupDifferences(from: config)
        guard differences.isEmpty else {
            throw AssayError.conflict("""
                run \(run.id) of \(run.predictor) was started with another setup, \(differences.joined(separator: ", ")): \
                resume it with the setup it started with, or run the new one as a new version of \(run.predictor.name)
                """)
        }
        guard try await sql().raw("""
            UPDATE llm_runs SET config = \(bind: try Column.json(config)) WHERE id = \(bind: run.id) AND state = 'running'
            RETURNING id
            """).first() != nil
        else { throw AssayError.conflict("run \(run.id) of \(run.predictor) is no longer running") }
        return try await llmRun(run.id)
    }

    /// A run with its figures so far.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)``.
    public func llmRun(_ id: UUID) async throws -> LLMRun {
        guard let run = try await Self.llmRuns(where: "r.id = \(bind: id)", sql()).first else {
            throw AssayError.notFound(entity: "LLM run", id: id.uuidString)
        }
        return run
    }

    /// A queue's runs, newest first, with their figures.
    public func llmRuns(in queue: Queue) async throws -> [LLMRun] {
        try await Self.llmRuns(where: "r.queue_id = \(bind: queue.id)", sql())
    }

    /// Items of the run's scope that it has not finished, in item order, a page at a time: what it (still) has to
    /// call the model for. An item it finished, answered or failed for good, is never returned again, nor one an
    /// earlier run of the same predictor version answered.
    public func pendingItems(of run: LLMRun, after itemID: Int64?, limit: Int) async throws -> [Item] {
        let scope: SQLQueryString
        switch run.config.scope {
        case .all: scope = ""
        case .gold: scope = "AND i.gold_state IS NOT NULL"
        case .undecided:
            // Active gold whether or not it has a final label (promoted gold keeps the one it had), so that it shows
            // a suggestion as any item does; retired gold is served to nobody.
            scope = """
                AND (i.gold_state = 'active' OR (i.gold_state IS NULL
                     AND NOT EXISTS (SELECT 1 FROM final_labels f WHERE f.item_id = i.id AND f.labels IS NOT NULL)))
                """
        }
        // Not the items an earlier run of the same version answered either: their answers stand.
        return try await sql().raw("""
            SELECT \(unsafeRaw: Self.itemColumnsOfI)
            FROM items i
            WHERE i.queue_id = \(bind: run.queueID) AND i.id > \(bind: itemID ?? 0) \(scope)
              AND NOT EXISTS (SELECT 1 FROM llm_calls c WHERE c.run_id = \(bind: run.id) AND c.item_id = i.id)
              AND NOT EXISTS (SELECT 1 FROM predictions p
                              WHERE p.item_id = i.id
                                AND p.predictor_id = (SELECT predictor_id FROM llm_runs WHERE id = \(bind: run.id)))
            ORDER BY i.id LIMIT \(bind: limit)
            """).all().map(Self.item(from:))
    }

    /// Records what became of one item, and for an answer its prediction (routed as any prediction is), in one
    /// transaction. The prediction is routed under the queue's model settings as they are now, not as the run
    /// found them: an analyst who turns auto-accept off stops a running run from accepting (within the 5 seconds
    /// another process may keep the queue cached).
    ///
    /// - Returns: false when the item was already recorded for this run (nothing changed).
    @discardableResult
    public func recordLLMCall(
        _ outcome: LLMCallOutcome, in run: LLMRun, queue: Queue, now: Date, auditSeed: UInt64 = .random(in: 0...UInt64.max)
    ) async throws -> Bool {
        try await transaction { sql in
            guard try await sql.raw("""
                INSERT INTO llm_calls (run_id, item_id, succeeded, attempts, prompt_tokens, completion_tokens, cost,
                                       latency_ms, error, rationale, created_at_ms, tokens_reported)
                VALUES (\(bind: run.id), \(bind: outcome.itemID), \(bind: outcome.answer != nil), \(bind: outcome.attempts),
                        \(bind: outcome.promptTokens), \(bind: outcome.completionTokens), \(bind: outcome.cost),
                        \(bind: Int64((outcome.latency * 1000).rounded())), \(bind: outcome.error),
                        \(bind: outcome.answer?.rationale), \(bind: Column.millis(now)), \(bind: outcome.tokensReported))
                ON CONFLICT (run_id, item_id) DO NOTHING RETURNING id
                """).first() != nil
            else { return false }
            if let answer = outcome.answer {
                let item = try await Self.item(outcome.itemID, sql)
                let predictorID = try await Self.predictorID(of: run.predictor, kind: .llm, now: now, sql)
                let draft = PredictionDraft(itemExternalID: item.externalID, labels: answer.labels, confidence: answer.confidence)
                var rng = SplitMix64(seed: auditSeed)
                let current = try await self.queue(id: queue.id, sql)
                _ = try await Self.store(
                    [(draft, item.id)], by: predictorID, as: run.predictor, in: current, now: now, rng: &rng, sql)
            }
            return true
        }
    }

    /// Marks a run completed, or failed with the reason.
    public func finishLLMRun(_ id: UUID, state: LLMRun.State, error: String? = nil, now: Date) async throws {
        try await sql().raw("""
            UPDATE llm_runs SET state = \(bind: state.rawValue), error = \(bind: error), finished_at_ms = \(bind: Column.millis(now))
            WHERE id = \(bind: id)
            """).run()
    }

    private static func llmRuns(where condition: SQLQueryString, _ sql: any SQLDatabase) async throws -> [LLMRun] {
        try await sql.raw("""
            SELECT r.id, r.queue_id, p.name, p.version, r.config, r.state, r.error, r.started_at_ms, r.finished_at_ms,
                   (SELECT COUNT(*) FROM llm_calls c WHERE c.run_id = r.id AND c.succeeded) AS succeeded,
                   (SELECT COUNT(*) FROM llm_calls c WHERE c.run_id = r.id AND NOT c.succeeded) AS failed,
                   (SELECT CAST(COALESCE(SUM(c.attempts), 0) AS BIGINT) FROM llm_calls c WHERE c.run_id = r.id) AS calls,
                   (SELECT CAST(COALESCE(SUM(c.prompt_tokens), 0) AS BIGINT) FROM llm_calls c WHERE c.run_id = r.id) AS prompt_tokens,
                   (SELECT CAST(COALESCE(SUM(c.completion_tokens), 0) AS BIGINT) FROM llm_calls c WHERE c.run_id = r.id)
                       AS completion_tokens,
                   (SELECT COALESCE(SUM(c.cost), 0) FROM llm_calls c WHERE c.run_id = r.id) AS cost,
                   (SELECT COUNT(*) FROM llm_calls c WHERE c.run_id = r.id AND NOT c.tokens_reported) AS unreported,
                   (SELECT CAST(AVG(c.latency_ms) AS DOUBLE PRECISION) FROM llm_calls c WHERE c.run_id = r.id AND c.succeeded) AS latency
            FROM llm_runs r JOIN predictors p ON p.id = r.predictor_id
            WHERE \(condition) ORDER BY r.started_at_ms DESC
            """).all().map { row in
            LLMRun(
                id: try row.uuid("id"), queueID: try row.uuid("queue_id"),
                predictor: Predictor.Reference(name: try row.string("name"), version: try row.string("version")),
                config: try Column.decode(LLMRunConfig.self, from: try row.string("config")),
                state: LLMRun.State(rawValue: try row.string("state")) ?? .failed, error: try row.optionalString("error"),
                startedAt: try row.date("started_at_ms"), finishedAt: try row.optionalDate("finished_at_ms"),
                succeeded: try row.int("succeeded"), failed: try row.int("failed"), calls: try row.int("calls"),
                promptTokens: try row.int("prompt_tokens"), completionTokens: try row.int("completion_tokens"),
                cost: try row.decode(column: "cost", as: Double.self), itemsWithoutTokenCounts: try row.int("unreported"),
                meanLatency: try row.decode(column: "latency", as: Double?.self).map { $0 / 1000 })
        }
    }
}
