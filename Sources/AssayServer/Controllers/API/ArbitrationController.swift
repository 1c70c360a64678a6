import AssayCore
import AssayStore
import Vapor

/// Arbitration cases, appeals, and consensus re-estimation.
///
/// `GET /queues/{queue}/arbitration`, `POST /queues/{queue}/arbitration/next`, `GET /arbitration/{caseID}`,
/// `POST /arbitration/{caseID}/decision`, `POST /items/{itemID}/appeal`, `POST /queues/{queue}/consensus/estimate`.
struct ArbitrationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("queues", ":queue", "arbitration", use: list)
        routes.post("queues", ":queue", "arbitration", "next", use: next)
        routes.get("arbitration", ":caseID", use: show)
        routes.post("arbitration", ":caseID", "decision", use: decide)
        routes.post("items", ":itemID", "appeal", use: appeal)
        routes.post("queues", ":queue", "consensus", "estimate", use: estimate)
    }

    @Sendable func list(req: Request) async throws -> Page<ArbitrationFile> {
        try Policy.requireCanSeeArbitration(try req.actor())
        let queue = try await req.pathQueue()
        let state = try req.query.choice("state", default: ArbitrationCase.State.open)
        let limit = try Paging.limit(req)
        let files = try await req.store.arbitrationFiles(in: queue, state: state, after: try Paging.afterID(req), limit: limit, now: req.now)
        return Page(data: files, next: files.count == limit ? files.last.map { String($0.arbitrationCase.id) } : nil)
    }

    /// 200 with the case leased to the caller (the one they hold, or the oldest nobody holds); 204 when none is open.
    @Sendable func next(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanArbitrate(actor)
        let queue = try await req.pathQueue()
        guard let file = try await req.store.leaseArbitrationCase(in: queue, for: actor.person, now: req.now) else {
            return Response(status: .noContent)
        }
        return try await JSONBody(file).encodeResponse(for: req)
    }

    @Sendable func show(req: Request) async throws -> JSONBody<ArbitrationFile> {
        try Policy.requireCanSeeArbitration(try req.actor())
        return JSONBody(try await req.store.arbitrationFile(try req.parameters.id("caseID", as: Int64.self), now: req.now))
    }

    @Sendable func decide(req: Request) async throws -> JSONBody<ArbitrationCase> {
        let actor = try req.actor()
        try Policy.requireCanArbitrate(actor)
        let body = try req.jsonBody(DecisionRequest.self)
        return JSONBody(
            try await req.store.decide(
                try req.parameters.id("caseID", as: Int64.self), labels: body.labels, rationale: body.rationale,
                promoteToGold: body.promoteToGold ?? false, by: actor.person, now: req.now))
    }

    @Sendable func appeal(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanAppeal(actor)
        let body = try req.optionalJSONBody(AppealRequest.self)
        let opened = try await req.store.appeal(
            itemID: try req.parameters.id("itemID", as: Int64.self), note: body?.note, by: actor.person, now: req.now)
        return try await JSONBody(opened).encodeResponse(status: .created, for: req)
    }

    @Sendable func estimate(req: Request) async throws -> JSONBody<ConsensusEstimate> {
        try Policy.requireCanManageQuality(try req.actor())
        let queue = try await req.pathQueue()
        return JSONBody(try await req.store.estimateConsensus(of: queue, now: req.now))
    }
}

/// `POST /arbitration/{caseID}/decision`.
struct DecisionRequest: Content, ClosedBody {
    let labels: [String]
    let rationale: String?
    let promoteToGold: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case labels, rationale
        case promoteToGold = "promote_to_gold"
    }
}

/// `POST /items/{itemID}/appeal`.
struct AppealRequest: Content, ClosedBody {
    let note: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case note }
}
