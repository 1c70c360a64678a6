import AssayCore
import AssayStore
import Vapor

/// The annotator loop: `POST /queues/{queue}/next`, `POST /assignments/{id}/judgment`, `POST /assignments/{id}/skip`,
/// `POST /assignments/{id}/escalate`.
struct LabelingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("queues", ":queue", "next", use: next)
        routes.post("assignments", ":assignmentID", "judgment", use: submit)
        routes.post("assignments", ":assignmentID", "skip", use: skip)
        routes.post("assignments", ":assignmentID", "escalate", use: escalate)
    }

    /// 200 with the lease, or 204 when the queue has nothing for this person now (503 with `Retry-After: 1` when
    /// others claimed every open item first, look after look).
    @Sendable func next(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanLabel(actor)
        let queue = try await req.pathQueue()
        try Eligibility.requireCanWork(actor.person, on: queue)
        let now = req.now
        guard let lease = try await req.store.leaseNextItem(in: queue, for: actor.person, now: now) else {
            return Response(status: .noContent)
        }
        return try await LeaseResponse(lease, now: now).encodeResponse(for: req)
    }

    /// 201 with the new judgment, or 200 with the first one when the submit repeats.
    @Sendable func submit(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanLabel(actor)
        let submission = try req.jsonBody(JudgmentSubmission.self)
        let assignmentID = try req.parameters.id("assignmentID", as: Int64.self)
        let outcome = try await req.store.submitJudgment(submission, on: assignmentID, by: actor.person, now: req.now)
        return try await SubmitResponse(outcome.judgment, replayed: outcome.isReplay)
            .encodeResponse(status: outcome.isReplay ? .ok : .created, for: req)
    }

    @Sendable func skip(req: Request) async throws -> HTTPStatus {
        let actor = try req.actor()
        try Policy.requireCanLabel(actor)
        try await req.store.skip(try req.parameters.id("assignmentID", as: Int64.self), by: actor.person, now: req.now)
        return .noContent
    }

    /// Gives the item back and opens an arbitration case for it with the annotator's note.
    @Sendable func escalate(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanLabel(actor)
        let body = try req.jsonBody(EscalationRequest.self)
        let opened = try await req.store.escalate(
            try req.parameters.id("assignmentID", as: Int64.self), note: body.note, by: actor.person, now: req.now)
        return try await EscalationResponse(caseID: opened.id, state: opened.state.rawValue)
            .encodeResponse(status: .created, for: req)
    }
}

struct EscalationRequest: Content, ClosedBody {
    let note: String

    enum CodingKeys: String, CodingKey, CaseIterable { case note }
}

/// What an annotator learns of the case they opened: that it exists (not the item's other judgments).
struct EscalationResponse: Content {
    let caseID: Int64
    let state: String

    enum CodingKeys: String, CodingKey {
        case caseID = "case_id", state
    }
}
