import AssayCore
import AssayStore
import Vapor

/// Queues and their progress: `/api/v1/queues`.
struct QueuesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let queues = routes.grouped("queues")
        queues.post(use: create)
        queues.get(use: list)
        queues.get(":queue", use: show)
        queues.get(":queue", "stats", use: stats)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanManageQueues(actor)
        let queue = try await req.store.createQueue(try req.jsonBody(QueueDraft.self), by: actor.person, now: req.now)
        return try await QueueResponse(queue: queue, stats: nil).encodeResponse(status: .created, for: req)
    }

    @Sendable func list(req: Request) async throws -> JSONBody<[Queue]> {
        try Policy.requireCanSeeQueues(try req.actor())
        return JSONBody(try await req.store.queues())
    }

    @Sendable func show(req: Request) async throws -> QueueResponse {
        let actor = try req.actor()
        let queue = try await req.pathQueue()
        let canSeeStats = (try? Policy.requireCanSeeStats(actor)) != nil
        return QueueResponse(queue: queue, stats: canSeeStats ? StatsResponse(try await req.store.stats(of: queue.id)) : nil)
    }

    @Sendable func stats(req: Request) async throws -> StatsResponse {
        try Policy.requireCanSeeStats(try req.actor())
        let queue = try await req.pathQueue()
        return StatsResponse(try await req.store.stats(of: queue.id))
    }
}
