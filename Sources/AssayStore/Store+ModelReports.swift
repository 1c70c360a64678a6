import AssayCore
import Foundation
import SQLKit

extension Store {
    /// How auto-accept is doing on a queue with a predictor (the queue's own by default): predictions per route
    /// and the precision measured on the audit (``AutoAcceptReport``).
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` when no predictor is named and the queue has none;
    ///   ``AssayError/notFound(entity:id:)`` for a predictor with no predictions.
    public func autoAcceptReport(of queue: Queue, predictor: Predictor.Reference? = nil) async throws -> AutoAcceptReport {
        let sql = try sql()
        let (reference, predictorID) = try await Self.predictor(predictor, of: queue, sql)
        var routed: [ModelRoute: Int] = [:]
        for row in try await sql.raw("""
            SELECT route, COUNT(*) AS n FROM predictions
            WHERE queue_id = \(bind: queue.id) AND predictor_id = \(bind: predictorID) AND route IS NOT NULL GROUP BY route
            """).all() {
            if let route = ModelRoute(rawValue: try row.string("route")) { routed[route] = try row.int("n") }
        }
        let audits = try await sql.raw("""
            SELECT i.external_id, p.labels AS predicted, f.labels AS decided
            FROM predictions p JOIN final_labels f ON f.item_id = p.item_id JOIN items i ON i.id = p.item_id
            WHERE p.queue_id = \(bind: queue.id) AND p.predictor_id = \(bind: predictorID) AND p.route = 'audit'
              AND f.labels IS NOT NULL AND f.provenance <> \(bind: FinalLabel.Provenance.model.rawValue)
            ORDER BY p.item_id
            """).all().map { row in
            AutoAcceptReport.Audit(
                itemExternalID: try row.string("external_id"), predicted: try Column.strings(from: try row.string("predicted")),
                decided: try Column.strings(from: try row.string("decided")))
        }
        return AutoAcceptReport(predictor: reference, routed: routed, audits: audits)
    }

    /// How a predictor (the queue's own by default) and the queue's people agree, over time and per label, how each
    /// does on the same gold, and whether people rubber-stamp its suggestions (``ModelAlignment``).
    ///
    /// Every figure comes from grouped queries (label pairs per day), so the work in Swift grows with the number of
    /// distinct answers, not of items. The groups come in a fixed order, by the grouped columns themselves (PostgreSQL
    /// takes an output name in ORDER BY only bare, not under COLLATE): sums of fractions taken in another order
    /// differ in their last digit, and both databases must give the same figures.
    ///
    /// - Throws: as ``autoAcceptReport(of:predictor:)``.
    public func alignment(of queue: Queue, predictor: Predictor.Reference? = nil) async throws -> ModelAlignment {
        let sql = try sql()
        let (reference, predictorID) = try await Self.predictor(predictor, of: queue, sql)
        let model = FinalLabel.Provenance.model.rawValue
        let unresolved = FinalLabel.Provenance.unresolved.rawValue
        let pairs = try await sql.raw("""
            SELECT p.labels AS model, f.labels AS people, f.decided_at_ms / 86400000 AS day, COUNT(*) AS n
            FROM predictions p JOIN final_labels f ON f.item_id = p.item_id
            WHERE p.queue_id = \(bind: queue.id) AND p.predictor_id = \(bind: predictorID) AND f.labels IS NOT NULL
              AND f.provenance <> \(bind: model) AND f.provenance <> \(bind: unresolved)
            GROUP BY p.labels, f.labels, f.decided_at_ms / 86400000
            ORDER BY day, p.labels\(unsafeRaw: sql.bytewise), f.labels\(unsafeRaw: sql.bytewise)
            """).all().map { row in
            ModelAlignment.Pair(
                model: try Column.strings(from: try row.string("model")), people: try Column.strings(from: try row.string("people")),
                decidedAt: Date(timeIntervalSince1970: Double(try row.int64("day")) * 86_400), count: try row.int("n"))
        }
        var goldPredictions: [(predicted: [String], reference: [String])] = []
        for row in try await sql.raw("""
            SELECT p.labels AS model, i.gold_labels AS reference, COUNT(*) AS n
            FROM predictions p JOIN items i ON i.id = p.item_id
            WHERE p.queue_id = \(bind: queue.id) AND p.predictor_id = \(bind: predictorID) AND i.gold_labels IS NOT NULL
            GROUP BY p.labels, i.gold_labels
            ORDER BY p.labels\(unsafeRaw: sql.bytewise), i.gold_labels\(unsafeRaw: sql.bytewise)
            """).all() {
            let pair = (try Column.strings(from: try row.string("model")), try Column.strings(from: try row.string("reference")))
            goldPredictions += Array(repeating: pair, count: try row.int("n"))
        }
        let people = try await Self.peopleOnGold(predictedBy: predictorID, in: queue, sql)
        let suggested = try await sql.raw("""
            SELECT p.labels AS suggested, j.labels AS judged, i.gold_labels AS reference, COUNT(*) AS n
            FROM judgments j JOIN assignments a ON a.id = j.assignment_id JOIN predictions p ON p.id = a.suggestion_id
                 JOIN items i ON i.id = j.item_id
            WHERE j.queue_id = \(bind: queue.id) AND p.predictor_id = \(bind: predictorID)
            GROUP BY p.labels, j.labels, i.gold_labels
            ORDER BY p.labels\(unsafeRaw: sql.bytewise), j.labels\(unsafeRaw: sql.bytewise), i.gold_labels\(unsafeRaw: sql.bytewise)
            """).all().map { row in
            ModelAlignment.SuggestedJudgment(
                suggested: try Column.strings(from: try row.string("suggested")),
                judged: try Column.strings(from: try row.string("judged")),
                reference: try row.optionalString("reference").map(Column.strings(from:)), count: try row.int("n"))
        }
        return ModelAlignment(
            predictor: reference, pairs: pairs, goldPredictions: goldPredictions,
            peopleOnGold: people,
            suggested: suggested)
    }

    /// A predictor (the queue's own by default) scored on the queue's gold, with its LLM cost and latency there and
    /// the people's accuracy on the same items (``PredictorEvaluation``). `fields` are the content fields shown in
    /// the failure examples.
    ///
    /// - Throws: as ``autoAcceptReport(of:predictor:)``.
    public func evaluation(of queue: Queue, predictor: Predictor.Reference? = nil, fields: [String] = ["text"]) async throws
        -> PredictorEvaluation
    {
        let sql = try sql()
        let (reference, predictorID) = try await Self.predictor(predictor, of: queue, sql)
        var rationales: [Int64: String] = [:]
        var calls: [PredictorEvaluation.Call] = []
        for row in try await sql.raw("""
            SELECT c.item_id, c.succeeded, c.latency_ms, c.cost, c.prompt_tokens + c.completion_tokens AS tokens, c.rationale,
                c.tokens_reported
            FROM llm_calls c JOIN llm_runs r ON r.id = c.run_id JOIN items i ON i.id = c.item_id
            WHERE r.queue_id = \(bind: queue.id) AND r.predictor_id = \(bind: predictorID) AND i.gold_labels IS NOT NULL
            ORDER BY c.id
            """).all() {
            if let rationale = try row.optionalString("rationale") { rationales[try row.int64("item_id")] = rationale }
            calls.append(PredictorEvaluation.Call(
                itemID: try row.int64("item_id"), succeeded: try row.decode(column: "succeeded", as: Bool.self),
                latency: Double(try row.int64("latency_ms")) / 1000, cost: try row.decode(column: "cost", as: Double.self),
                tokens: try row.int("tokens"), tokensReported: try row.decode(column: "tokens_reported", as: Bool.self)))
        }
        let gold = try await sql.raw("""
            SELECT i.id, i.external_id, i.content, i.gold_labels, p.labels AS predicted
            FROM items i LEFT JOIN predictions p ON p.item_id = i.id AND p.predictor_id = \(bind: predictorID)
            WHERE i.queue_id = \(bind: queue.id) AND i.gold_state IS NOT NULL
            ORDER BY i.id
            """).all().map { row in
            PredictorEvaluation.GoldItem(
                itemExternalID: try row.string("external_id"),
                text: LabeledText.text(of: try Self.content(from: try row.string("content")), fields: fields),
                reference: try Column.strings(from: try row.string("gold_labels")),
                predicted: try row.optionalString("predicted").map(Column.strings(from:)),
                rationale: rationales[try row.int64("id")])
        }
        let people = try await Self.peopleOnGold(predictedBy: predictorID, in: queue, sql)
        return PredictorEvaluation(
            predictor: reference, gold: gold, calls: calls,
            people: people)
    }

    /// Several predictors scored side by side on the queue's gold, in the order named (the queue's own predictor when
    /// none is named).
    ///
    /// - Throws: as ``evaluation(of:predictor:fields:)``; ``AssayError/invalidInput(field:line:reason:)`` for more than
    ///   ten predictors.
    public func evaluations(of queue: Queue, predictors: [Predictor.Reference], fields: [String] = ["text"]) async throws
        -> [PredictorEvaluation]
    {
        guard predictors.count <= 10 else {
            throw AssayError.invalidInput(field: "predictor", line: nil, reason: "compare at most 10 predictors at once")
        }
        var found: [PredictorEvaluation] = []
        for predictor in predictors.isEmpty ? [nil] : predictors.map(Optional.some) {
            found.append(try await evaluation(of: queue, predictor: predictor, fields: fields))
        }
        return found
    }

    /// People's answers on the gold items a predictor predicted: how many, and how many matched the reference.
    private static func peopleOnGold(predictedBy predictorID: UUID, in queue: Queue, _ sql: any SQLDatabase) async throws
        -> GoldScore
    {
        let row = try await sql.raw("""
            SELECT COUNT(*) AS answered, CAST(COALESCE(SUM(CASE WHEN g.correct THEN 1 ELSE 0 END), 0) AS BIGINT) AS correct
            FROM gold_answers g
            WHERE g.queue_id = \(bind: queue.id)
              AND g.item_id IN (SELECT p.item_id FROM predictions p WHERE p.predictor_id = \(bind: predictorID))
            """).first()!
        return GoldScore(answered: try row.int("answered"), correct: try row.int("correct"))
    }

    /// The named predictor, or the queue's, with its id.
    private static func predictor(_ named: Predictor.Reference?, of queue: Queue, _ sql: any SQLDatabase) async throws
        -> (Predictor.Reference, UUID)
    {
        guard let reference = named ?? queue.assist.predictor else {
            throw AssayError.invalidInput(
                field: "predictor", line: nil, reason: "queue '\(queue.name)' uses no predictor; name one (NAME@VERSION)")
        }
        guard let id = try await existingPredictorID(reference, sql) else {
            throw AssayError.notFound(entity: "predictor", id: reference.description)
        }
        return (reference, id)
    }
}
