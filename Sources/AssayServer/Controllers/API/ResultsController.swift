import AssayCore
import AssayStore
import Vapor

/// Results: `GET /api/v1/queues/{queue}/final-labels` (paged JSON) and
/// `GET /api/v1/queues/{queue}/export?format=jsonl|csv` (streamed file).
struct ResultsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let queue = routes.grouped("queues", ":queue")
        queue.get("final-labels", use: finalLabels)
        queue.get("export", use: export)
    }

    @Sendable func finalLabels(req: Request) async throws -> Page<FinalLabel> {
        try Policy.requireCanExport(try req.actor())
        let queue = try await req.store.queue(try req.parameters.require("queue"))
        let limit = try Paging.limit(req)
        let labels = try await req.store.finalLabels(in: queue.id, after: try Paging.afterID(req), limit: limit)
        return Page(data: labels, next: labels.count == limit ? labels.last.map { String($0.itemID) } : nil)
    }

    /// Streams every final label page by page, so memory stays flat however big the queue.
    @Sendable func export(req: Request) async throws -> Response {
        try Policy.requireCanExport(try req.actor())
        let queue = try await req.store.queue(try req.parameters.require("queue"))
        let format = try ImportFormat.named(req.query[String.self, at: "format"])
        let store = req.store
        let response = Response(status: .ok, body: .init(asyncStream: { writer in
            do {
                try await FinalLabelWriter.write(queue, as: format, from: store, pageSize: 5_000) { text in
                    try await writer.write(.buffer(ByteBuffer(string: text)))
                }
                try await writer.write(.end)
            } catch {
                try? await writer.write(.error(error))
            }
        }))
        response.headers.contentType = format == .csv ? HTTPMediaType(type: "text", subType: "csv") :
            HTTPMediaType(type: "application", subType: "x-ndjson")
        let fileName = "\(queue.name)-final-labels.\(format.rawValue)".replacingOccurrences(of: "\"", with: "")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(fileName)\"")
        return response
    }
}
