import AssayCore
import AssayStore
import Vapor

/// Calibration sessions: `POST /queues/{queue}/calibrations`, `POST /calibrations/{id}/next`,
/// `POST /calibrations/{id}/answers`, `POST /calibrations/{id}/notes`, `GET /calibrations/{id}/report`.
struct CalibrationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("queues", ":queue", "calibrations", use: create)
        let session = routes.grouped("calibrations", ":sessionID")
        session.post("next", use: next)
        session.post("answers", use: answer)
        session.post("notes", use: note)
        session.get("report", use: report)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try Policy.requireCanManageQuality(try req.actor())
        let queue = try await req.pathQueue()
        let session = try await req.store.createCalibration(try req.jsonBody(CalibrationDraft.self), in: queue, now: req.now)
        return try await JSONBody(session).encodeResponse(status: .created, for: req)
    }

    @Sendable func next(req: Request) async throws -> Response {
        let actor = try req.actor()
        let session = try await req.store.calibration(try req.parameters.id("sessionID", as: UUID.self))
        guard let item = try await req.store.nextCalibrationItem(of: session, for: actor.person, now: req.now) else {
            return Response(status: .noContent)
        }
        return try await JSONBody(LeaseResponse.ItemView(item)).encodeResponse(for: req)
    }

    @Sendable func answer(req: Request) async throws -> HTTPStatus {
        let actor = try req.actor()
        let session = try await req.store.calibration(try req.parameters.id("sessionID", as: UUID.self))
        let body = try req.jsonBody(ExamAnswerRequest.self)
        try await req.store.answerCalibration(session, item: body.itemID, labels: body.labels, by: actor.person, now: req.now)
        return .noContent
    }

    /// Participants and those who run the session discuss it; a vendor lead, sessions that call on their vendor.
    @Sendable func note(req: Request) async throws -> HTTPStatus {
        let actor = try req.actor()
        let session = try await req.store.calibration(try req.parameters.id("sessionID", as: UUID.self))
        if !session.participants.include(actor.person) {
            try Policy.requireCanSeeScores(actor)
            try await Self.requireCalled(try Policy.vendorScope(of: actor), to: session, req)
        }
        let body = try req.jsonBody(NoteRequest.self)
        try await req.store.addCalibrationNote(to: session, text: body.text, by: actor.person, now: req.now)
        return .noContent
    }

    @Sendable func report(req: Request) async throws -> JSONBody<CalibrationReport> {
        let actor = try req.actor()
        try Policy.requireCanSeeScores(actor)
        let session = try await req.store.calibration(try req.parameters.id("sessionID", as: UUID.self))
        let vendor = try Policy.vendorScope(of: actor)
        try await Self.requireCalled(vendor, to: session, req)
        return JSONBody(try await req.store.calibrationReport(of: session, vendorID: vendor))
    }

    /// A vendor lead's business is the sessions their vendor's people are called to.
    private static func requireCalled(_ vendor: UUID?, to session: CalibrationSession, _ req: Request) async throws {
        if let vendor, try await !req.store.calibration(session, callsOn: vendor) {
            throw AssayError.forbidden("a vendor lead sees and discusses only the sessions their vendor's people are called to")
        }
    }
}

/// `POST /calibrations/{id}/notes`.
struct NoteRequest: Content, ClosedBody {
    let text: String

    enum CodingKeys: String, CodingKey, CaseIterable { case text }
}
