import AssayCore
import AssayFiles
import AssayStore
import Vapor

/// Results: `GET /api/v1/queues/{queue}/final-labels` (paged JSON),
/// `GET /api/v1/queues/{queue}/export?format=jsonl|csv` (streamed file) and
/// `GET /api/v1/queues/{queue}/export/label-studio` (the decided items as a Label Studio JSON import, streamed) and
/// `GET /api/v1/queues/{queue}/export/judgments?format=jsonl|csv` (every judgment, streamed).
struct ResultsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let queue = routes.grouped("queues", ":queue")
        queue.get("final-labels", use: finalLabels)
        queue.get("export", use: export)
        queue.get("export", "label-studio", use: exportLabelStudio)
        queue.get("export", "judgments", use: exportJudgments)
    }

    /// Streams every judgment of the queue (who labelled which item how, and when), in the columns a judgments
    /// import reads.
    @Sendable func exportJudgments(req: Request) async throws -> Response {
        try Policy.requireCanExport(try req.actor())
        let queue = try await req.pathQueue()
        let format = try ImportFormat.named(req.query[String.self, at: "format"])
        let store = req.store
        return Response.download(
            named: "\(queue.name)-judgments.\(format.rawValue)", as: format == .csv ? .csvText : .jsonLines
        ) { send in
            _ = try await JudgmentWriter.write(queue, as: format, from: store, to: send)
        }
    }

    @Sendable func finalLabels(req: Request) async throws -> Page<FinalLabel> {
        try Policy.requireCanExport(try req.actor())
        let queue = try await req.pathQueue()
        let limit = try Paging.limit(req)
        let labels = try await req.store.finalLabels(in: queue.id, after: try Paging.afterID(req), limit: limit)
        return Page(data: labels, next: labels.count == limit ? labels.last.map { String($0.itemID) } : nil)
    }

    /// Streams every final label page by page, so memory stays flat however big the queue.
    @Sendable func export(req: Request) async throws -> Response {
        try Policy.requireCanExport(try req.actor())
        let queue = try await req.pathQueue()
        let format = try ImportFormat.named(req.query[String.self, at: "format"])
        let store = req.store
        return Response.download(
            named: "\(queue.name)-final-labels.\(format.rawValue)", as: format == .csv ? .csvText : .jsonLines
        ) { send in
            _ = try await FinalLabelWriter.write(queue, as: format, from: store, pageSize: 5_000, to: send)
        }
    }

    /// Streams the decided items as one JSON array of Label Studio tasks.
    @Sendable func exportLabelStudio(req: Request) async throws -> Response {
        try Policy.requireCanExport(try req.actor())
        let queue = try await req.pathQueue()
        let fromName = req.query[String.self, at: "from_name"] ?? "label"
        let toName = req.query[String.self, at: "to_name"] ?? "text"
        // Checked before the stream starts, so the answer is a 422 rather than a cut-off body.
        try LabelStudioWriter.checkNames(fromName: fromName, toName: toName)
        let store = req.store
        return Response.download(named: "\(queue.name)-label-studio.json", as: .json) { send in
            _ = try await LabelStudioWriter.write(queue, from: store, fromName: fromName, toName: toName, to: send)
        }
    }
}
