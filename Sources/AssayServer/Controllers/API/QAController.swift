import AssayCore
import AssayStore
import Vapor

/// QA review of sampled judgments: `POST /queues/{queue}/qa/next`, `POST /qa/{reviewID}`,
/// `GET /queues/{queue}/qa/report`.
struct QAController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("queues", ":queue", "qa", "next", use: next)
        routes.post("qa", ":reviewID", use: review)
        routes.get("queues", ":queue", "qa", "report", use: report)
    }

    @Sendable func next(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanReview(actor)
        let queue = try await req.pathQueue()
        guard let task = try await req.store.nextQAReview(in: queue, for: actor.person, now: req.now) else {
            return Response(status: .noContent)
        }
        return try await JSONBody(task).encodeResponse(for: req)
    }

    @Sendable func review(req: Request) async throws -> JSONBody<QAReview> {
        let actor = try req.actor()
        try Policy.requireCanReview(actor)
        let verdict = try req.jsonBody(QAVerdict.self)
        return JSONBody(
            try await req.store.submitQAReview(
                try req.parameters.id("reviewID", as: Int64.self), verdict: verdict, by: actor.person, now: req.now))
    }

    @Sendable func report(req: Request) async throws -> JSONBody<QAReport> {
        let actor = try req.actor()
        try Policy.requireCanSeeScores(actor)
        let queue = try await req.pathQueue()
        return JSONBody(try await req.store.qaReport(of: queue, vendorID: try Policy.vendorScope(of: actor)))
    }
}
