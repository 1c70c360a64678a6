import AssayCore
import AssayStore
import Vapor

/// Gold answers, annotator scores and standing, and a queue's quality settings.
///
/// `PUT /items/{id}/gold`, `DELETE /items/{id}/gold`, `GET|POST /queues/{queue}/gold`,
/// `GET /queues/{queue}/scores`, `POST /queues/{queue}/annotators/{personID}/reinstate`,
/// `PUT /queues/{queue}/quality`.
struct QualityController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.put("items", ":itemID", "gold", use: setGold)
        routes.delete("items", ":itemID", "gold", use: retireGold)
        let queue = routes.grouped("queues", ":queue")
        queue.get("gold", use: listGold)
        queue.on(.POST, "gold", body: .stream, use: importGold)
        queue.get("gold", "health", use: goldHealth)
        queue.get("scores", use: scores)
        queue.post("annotators", ":personID", "reinstate", use: reinstate)
        queue.put("quality", use: updateQuality)
    }

    @Sendable func setGold(req: Request) async throws -> JSONBody<GoldAnswer> {
        let actor = try req.actor()
        try Policy.requireCanManageGold(actor)
        let body = try req.jsonBody(GoldRequest.self)
        return JSONBody(
            try await req.store.setGold(
                labels: body.labels, rationale: body.rationale, onItem: try req.parameters.id("itemID", as: Int64.self),
                by: actor.person, now: req.now))
    }

    @Sendable func retireGold(req: Request) async throws -> JSONBody<GoldAnswer> {
        let actor = try req.actor()
        try Policy.requireCanManageGold(actor)
        return JSONBody(
            try await req.store.retireGold(
                onItem: try req.parameters.id("itemID", as: Int64.self), by: actor.person, now: req.now))
    }

    @Sendable func listGold(req: Request) async throws -> Page<GoldAnswer> {
        try Policy.requireCanManageGold(try req.actor())
        let queue = try await req.pathQueue()
        let limit = try Paging.limit(req)
        let gold = try await req.store.gold(in: queue.id, after: try Paging.afterID(req), limit: limit)
        return Page(data: gold, next: gold.count == limit ? gold.last.map { String($0.itemID) } : nil)
    }

    @Sendable func importGold(req: Request) async throws -> JSONBody<GoldImportReport> {
        let actor = try req.actor()
        try Policy.requireCanManageGold(actor)
        let queue = try await req.pathQueue()
        let rows = try await Upload.rows(
            of: req, requiredColumns: [["external_id", "item_external_id", "item"], ["labels", "label"]],
            largerFiles: "import it with `assay gold import`, which reads a file of any size, or split it")
        let drafts = try rows.readEach { [try GoldRows.gold(from: $0)] }
        return JSONBody(try await req.store.importGold(drafts, into: queue, by: actor.person, now: req.now))
    }

    @Sendable func goldHealth(req: Request) async throws -> JSONBody<GoldHealth> {
        let actor = try req.actor()
        try Policy.requireCanSeeScores(actor)
        let queue = try await req.pathQueue()
        return JSONBody(try await req.store.goldHealth(of: queue, vendorID: try Policy.vendorScope(of: actor), now: req.now))
    }

    @Sendable func scores(req: Request) async throws -> ScoresResponse {
        let actor = try req.actor()
        try Policy.requireCanSeeScores(actor)
        let queue = try await req.pathQueue()
        let answers = try req.query[String.self, at: "window"].map { text in
            guard let answers = Int(text) else {
                throw AssayError.invalidInput(field: "window", line: nil, reason: "must be 1 to 10000 answers, got '\(text)'")
            }
            return answers
        }
        let days = try req.query[String.self, at: "days"].map { text in
            guard let days = Double(text) else {
                throw AssayError.invalidInput(field: "days", line: nil, reason: "must be a number of days above 0, got '\(text)'")
            }
            return days
        }
        let window = try ScoresWindow(answers: answers, days: days)
        let since = window.since(req.now)
        let scores = try await req.store.scores(
            in: queue, window: window.answers, since: since, vendorID: try Policy.vendorScope(of: actor), now: req.now)
        return ScoresResponse(
            queueID: queue.id, window: window.answers ?? queue.quality.goldWindow, since: since,
            threshold: queue.quality.minGoldAccuracy, annotators: scores)
    }

    @Sendable func reinstate(req: Request) async throws -> HTTPStatus {
        let actor = try req.actor()
        try Policy.requireCanManageQuality(actor)
        let queue = try await req.pathQueue()
        let body = try req.optionalJSONBody(ReinstateRequest.self)
        try await req.store.reinstate(
            try req.parameters.id("personID", as: UUID.self), in: queue, by: actor.person, reason: body?.reason,
            now: req.now)
        return .noContent
    }

    @Sendable func updateQuality(req: Request) async throws -> JSONBody<Queue> {
        let actor = try req.actor()
        try Policy.requireCanManageQuality(actor)
        let queue = try await req.pathQueue()
        let settings = try req.jsonBody(QualitySettings.self)
        return JSONBody(try await req.store.updateQuality(of: queue, to: settings, by: actor.person, now: req.now))
    }
}

/// `GET /api/v1/audit`: the audit log, newest first, filtered by `queue`, `entity`, `entity_id`, `action`.
struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("audit", use: list)
    }

    @Sendable func list(req: Request) async throws -> Page<AuditEvent> {
        let actor = try req.actor()
        try Policy.requireCanSeeScores(actor)
        var queueID: UUID?
        if let reference = req.query[String.self, at: "queue"] { queueID = try await req.store.queue(reference).id }
        let before = try req.query[String.self, at: "before"].map { text in
            guard let id = Int64(text) else {
                throw AssayError.invalidInput(field: "before", line: nil, reason: "must be the `next` value of the previous page")
            }
            return id
        }
        let limit = try Paging.limit(req)
        let events = try await req.store.auditEvents(
            AuditFilter(
                queueID: queueID, entity: req.query[String.self, at: "entity"],
                entityID: req.query[String.self, at: "entity_id"], action: try AuditAction.named(req.query[String.self, at: "action"]),
                vendorID: try Policy.vendorScope(of: actor), before: before, limit: limit))
        return Page(data: events, next: events.count == limit ? events.last.map { String($0.id) } : nil)
    }
}
