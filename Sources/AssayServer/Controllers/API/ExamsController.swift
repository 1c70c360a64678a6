import AssayCore
import AssayStore
import Vapor

/// Qualification exams: `POST|GET /queues/{queue}/exams`, `POST /exams/{examID}/next`,
/// `POST /exams/{examID}/answers`.
struct ExamsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("queues", ":queue", "exams", use: create)
        routes.get("queues", ":queue", "exams", use: list)
        routes.post("exams", ":examID", "next", use: next)
        routes.post("exams", ":examID", "answers", use: answer)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanManageGold(actor)
        let queue = try await req.pathQueue()
        let exam = try await req.store.createExam(try req.jsonBody(ExamDraft.self), in: queue, by: actor.person, now: req.now)
        return try await JSONBody(exam).encodeResponse(status: .created, for: req)
    }

    /// Everyone sees which exams exist; which items they hold stays with those who manage gold.
    @Sendable func list(req: Request) async throws -> JSONBody<[ExamSummary]> {
        _ = try req.actor()
        let queue = try await req.pathQueue()
        return JSONBody(try await req.store.exams(in: queue.id).map(ExamSummary.init))
    }

    @Sendable func next(req: Request) async throws -> Response {
        let actor = try req.actor()
        let exam = try await Self.examToSit(req, actor)
        guard let item = try await req.store.nextExamItem(of: exam, for: actor.person, now: req.now) else {
            return Response(status: .noContent)
        }
        return try await JSONBody(LeaseResponse.ItemView(item)).encodeResponse(for: req)
    }

    @Sendable func answer(req: Request) async throws -> JSONBody<ExamFeedback> {
        let actor = try req.actor()
        let exam = try await Self.examToSit(req, actor)
        let body = try req.jsonBody(ExamAnswerRequest.self)
        return JSONBody(try await req.store.answerExam(exam, item: body.itemID, labels: body.labels, by: actor.person, now: req.now))
    }
}

extension ExamsController {
    /// The exam the path names, if the caller may sit it: someone who labels, whose languages and markets the
    /// exam's queue serves. An exam's items are the queue's gold, and a training exam shows their answers; someone
    /// the queue would never serve has no business reading them, nor a qualification for it.
    static func examToSit(_ req: Request, _ actor: Actor) async throws -> Exam {
        try Policy.requireCanSitExams(actor)
        let exam = try await req.store.exam(try req.parameters.id("examID", as: UUID.self))
        try Eligibility.requireCanWork(actor.person, on: try await req.store.queue(exam.queueID.uuidString))
        return exam
    }
}

/// An exam as candidates see it: no item ids.
struct ExamSummary: Codable, Sendable {
    let id: UUID
    let name: String
    let items: Int
    let passMark: Double
    let qualificationDays: Int
    let training: Bool
    let retakeAfterHours: Int

    init(_ exam: Exam) {
        id = exam.id
        name = exam.name
        items = exam.itemIDs.count
        passMark = exam.passMark
        qualificationDays = exam.qualificationDays
        training = exam.training
        retakeAfterHours = exam.retakeAfterHours
    }

    enum CodingKeys: String, CodingKey {
        case id, name, items, training
        case passMark = "pass_mark", qualificationDays = "qualification_days", retakeAfterHours = "retake_after_hours"
    }
}

/// `POST /exams/{examID}/answers`.
struct ExamAnswerRequest: Content, ClosedBody {
    let itemID: Int64
    let labels: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case labels
        case itemID = "item_id"
    }
}
