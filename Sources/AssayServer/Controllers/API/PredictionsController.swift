import AssayCore
import AssayStore
import Vapor

/// Models beside people: predictions in, a queue's model settings, and how auto-accept and the model are doing.
///
/// `GET /predictors`, `POST /queues/{queue}/predictions?predictor=NAME@VERSION`, `PUT /queues/{queue}/assist`,
/// `GET /queues/{queue}/auto-accept`, `GET /queues/{queue}/alignment` (both take `?predictor=`),
/// `GET /queues/{queue}/evaluation?predictor=A&predictor=B` (side by side on the gold), `GET /queues/{queue}/llm-runs`.
struct PredictionsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("predictors", use: listPredictors)
        let queue = routes.grouped("queues", ":queue")
        queue.on(.POST, "predictions", body: .stream, use: importPredictions)
        queue.put("assist", use: updateAssist)
        queue.get("auto-accept", use: autoAccept)
        queue.get("alignment", use: alignment)
        queue.get("evaluation", use: evaluation)
        queue.get("llm-runs", use: llmRuns)
    }

    @Sendable func listPredictors(req: Request) async throws -> JSONBody<[Predictor]> {
        try Policy.requireCanManageModels(try req.actor())
        return JSONBody(try await req.store.predictors())
    }

    /// Predictions as CSV or JSON Lines (`external_id`, `labels` or `label`, `confidence`), all or nothing.
    @Sendable func importPredictions(req: Request) async throws -> JSONBody<PredictionImportReport> {
        try Policy.requireCanManageModels(try req.actor())
        let queue = try await req.pathQueue()
        guard let predictor = try Self.predictor(of: req) else {
            throw AssayError.invalidInput(field: "predictor", line: nil, reason: "name the model as ?predictor=NAME@VERSION")
        }
        let rows = try await Upload.rows(
            of: req, requiredColumns: PredictionRows.requiredColumns,
            largerFiles: "import it with `assay models import`, which reads a file of any size, or split it")
        let drafts = try rows.readEach { try PredictionRows.predictions(from: $0, modelVersion: predictor.version) }
        return JSONBody(try await req.store.importPredictions(drafts, from: predictor, into: queue, now: req.now))
    }

    @Sendable func updateAssist(req: Request) async throws -> JSONBody<Queue> {
        let actor = try req.actor()
        try Policy.requireCanManageModels(actor)
        let queue = try await req.pathQueue()
        let settings = try req.jsonBody(AssistSettings.self)
        return JSONBody(try await req.store.updateAssist(of: queue, to: settings, by: actor.person, now: req.now))
    }

    @Sendable func autoAccept(req: Request) async throws -> JSONBody<AutoAcceptReport> {
        try Policy.requireCanManageModels(try req.actor())
        let queue = try await req.pathQueue()
        return JSONBody(try await req.store.autoAcceptReport(of: queue, predictor: try Self.predictor(of: req)))
    }

    @Sendable func alignment(req: Request) async throws -> JSONBody<ModelAlignment> {
        try Policy.requireCanManageModels(try req.actor())
        let queue = try await req.pathQueue()
        return JSONBody(try await req.store.alignment(of: queue, predictor: try Self.predictor(of: req)))
    }

    /// Each `predictor` named (or the queue's own) scored on the queue's gold, in the order asked.
    @Sendable func evaluation(req: Request) async throws -> JSONBody<[PredictorEvaluation]> {
        try Policy.requireCanManageModels(try req.actor())
        let queue = try await req.pathQueue()
        let named = try (req.query[[String].self, at: "predictor"] ?? []).map { try Predictor.Reference(parsing: $0) }
        return JSONBody(try await req.store.evaluations(of: queue, predictors: named))
    }

    @Sendable func llmRuns(req: Request) async throws -> JSONBody<[LLMRun]> {
        try Policy.requireCanManageModels(try req.actor())
        return JSONBody(try await req.store.llmRuns(in: try await req.pathQueue()))
    }

    /// `?predictor=NAME@VERSION`, if given.
    private static func predictor(of req: Request) throws -> Predictor.Reference? {
        try req.query[String.self, at: "predictor"].map { try Predictor.Reference(parsing: $0) }
    }
}
