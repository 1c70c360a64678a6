import AssayCore
import AssayFiles
import AssayStore
import Vapor

/// Background jobs for big files: `POST /queues/{queue}/imports`, `POST /queues/{queue}/exports`,
/// `GET /jobs/{jobID}`, `GET /jobs/{jobID}/download`.
struct JobsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "queues", ":queue", "imports", body: .stream, use: submitImport)
        routes.post("queues", ":queue", "exports", use: submitExport)
        routes.get("jobs", use: list)
        routes.get("jobs", ":jobID", use: show)
        routes.get("jobs", ":jobID", "download", use: download)
    }

    /// 202 with the job; the upload is saved before answering, the import runs after.
    @Sendable func submitImport(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanManageData(actor)
        let queue = try await req.pathQueue()
        let kind: Job.Kind = try JobRequest.importKind(req)
        let format = try Upload.format(of: req)
        let limit = req.application.jobUploadByteLimit
        try Upload.requireDeclaredLength(of: req, atMost: limit, "the upload is larger than \(limit / 1_048_576) MiB")
        let job = try await req.application.jobs.submitImport(
            of: kind, into: queue, format: format, body: req.body, limit: limit,
            by: actor.person)
        return try await JobResponse(job).encodeResponse(status: .accepted, for: req)
    }

    @Sendable func submitExport(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanExport(actor)
        let queue = try await req.pathQueue()
        let format = try ImportFormat.named(req.query[String.self, at: "format"])
        let job = try await req.application.jobs.submitExport(of: queue, format: format, by: actor.person)
        return try await JobResponse(job).encodeResponse(status: .accepted, for: req)
    }

    /// The jobs, newest first (`?queue=` for one queue's), paged by `next`.
    @Sendable func list(req: Request) async throws -> Page<JobResponse> {
        try Policy.requireCanManageData(try req.actor())
        let limit = try Paging.limit(req)
        var cursor: Job.Cursor?
        if let text = req.query[String.self, at: "after"] {
            guard let read = Job.Cursor(text: text) else {
                throw AssayError.invalidInput(field: "after", line: nil, reason: "must be the `next` value of the previous page")
            }
            cursor = read
        }
        var queueID: UUID?
        if let reference = req.query[String.self, at: "queue"] { queueID = try await req.store.queue(reference).id }
        let jobs = try await req.store.jobs(in: queueID, before: cursor, limit: limit)
        return Page(data: jobs.map { JobResponse($0, now: req.now) }, next: jobs.count == limit ? jobs.last?.cursor.text : nil)
    }

    @Sendable func show(req: Request) async throws -> JobResponse {
        try Policy.requireCanManageData(try req.actor())
        let job = try await req.store.job(try req.parameters.id("jobID", as: UUID.self))
        return JobResponse(job, now: req.now)
    }

    /// The export's file, once the job has succeeded; 409 before.
    @Sendable func download(req: Request) async throws -> Response {
        try Policy.requireCanExport(try req.actor())
        let job = try await req.store.job(try req.parameters.id("jobID", as: UUID.self))
        guard job.kind == .export else { throw AssayError.conflict("job \(job.id) is an import; it has nothing to download") }
        guard job.state == .succeeded else { throw AssayError.conflict("job \(job.id) is \(job.state.rawValue), not ready to download") }
        let file = req.application.jobs.download(of: job).path
        guard FileManager.default.fileExists(atPath: file) else {
            if job.isExpired(now: req.now) {
                throw AssayError.conflict(
                    "the file of export job \(job.id) was removed: an export is kept \(Int(JobRunner.exportKeptFor / 3600)) hours "
                        + "after it finishes; export again")
            }
            throw AssayError.notFound(
                entity: "export file of job", id: "\(job.id) (it was written by another server process; give all processes one jobs folder)")
        }
        let response = try await req.fileio.asyncStreamFile(at: file)
        response.headers.contentType = format(job.format)
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"final-labels-\(job.id.uuidString.prefix(8)).\(job.format.rawValue)\"")
        return response
    }

    private func format(_ format: ImportFormat) -> HTTPMediaType {
        format == .csv ? HTTPMediaType(type: "text", subType: "csv") : HTTPMediaType(type: "application", subType: "x-ndjson")
    }
}

/// Query parameters of job submissions.
enum JobRequest {
    /// `?kind=items|judgments` (items by default).
    static func importKind(_ req: Request) throws -> Job.Kind {
        switch req.query[String.self, at: "kind"] ?? "items" {
        case "items": return .importItems
        case "judgments": return .importJudgments
        case let other: throw AssayError.invalidInput(field: "kind", line: nil, reason: "must be items or judgments, got '\(other)'")
        }
    }

}
