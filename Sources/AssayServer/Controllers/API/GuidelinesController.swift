import AssayCore
import AssayStore
import Vapor

/// Versioned guidelines: `POST|GET /queues/{queue}/guidelines`, `GET /queues/{queue}/guidelines/current`,
/// `GET /queues/{queue}/guidelines/{version}`, `GET /queues/{queue}/guidelines/{version}/change`.
struct GuidelinesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let guidelines = routes.grouped("queues", ":queue", "guidelines")
        guidelines.post(use: publish)
        guidelines.get(use: list)
        guidelines.get("current", use: current)
        guidelines.get(":version", use: show)
        guidelines.get(":version", "change", use: change)
    }

    @Sendable func publish(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanManageQuality(actor)
        let queue = try await req.pathQueue()
        let draft = try req.jsonBody(GuidelineDraft.self)
        let published = try await req.store.publishGuideline(draft, for: queue, by: actor.person, now: req.now)
        return try await JSONBody(published).encodeResponse(status: .created, for: req)
    }

    /// Anyone with a token reads the guidelines: annotators label by them.
    @Sendable func list(req: Request) async throws -> JSONBody<[Guideline]> {
        _ = try req.actor()
        let queue = try await req.pathQueue()
        return JSONBody(try await req.store.guidelines(of: queue.id))
    }

    @Sendable func current(req: Request) async throws -> JSONBody<Guideline> {
        _ = try req.actor()
        let queue = try await req.pathQueue()
        return JSONBody(try await req.store.guideline(of: queue.id, version: nil, now: req.now))
    }

    @Sendable func show(req: Request) async throws -> JSONBody<Guideline> {
        _ = try req.actor()
        let queue = try await req.pathQueue()
        return JSONBody(try await req.store.guideline(of: queue.id, version: try req.parameters.id("version", as: Int.self), now: req.now))
    }

    @Sendable func change(req: Request) async throws -> JSONBody<GuidelineChange> {
        try Policy.requireCanReviewGuidelineChanges(try req.actor())
        let queue = try await req.pathQueue()
        let version = try req.parameters.id("version", as: Int.self)
        let from = try req.query[String.self, at: "from"].map { text in
            guard let from = Int(text), from >= 1 else {
                throw AssayError.invalidInput(field: "from", line: nil, reason: "must be a version number, got '\(text)'")
            }
            return from
        } ?? (version - 1)
        return JSONBody(try await req.store.guidelineChange(of: queue, from: from, to: version, now: req.now))
    }
}
