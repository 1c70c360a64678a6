import AssayCore
import AssayFiles
import AssayStore
import Vapor

/// Bringing data in: items and judgments made elsewhere, as JSON Lines or CSV request bodies.
///
/// `POST /api/v1/queues/{queue}/items`, `GET /api/v1/queues/{queue}/items`,
/// `POST /api/v1/queues/{queue}/judgments`.
struct ItemsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let queue = routes.grouped("queues", ":queue")
        queue.on(.POST, "items", body: .stream, use: importItems)
        queue.get("items", use: listItems)
        queue.on(.POST, "judgments", body: .stream, use: importJudgments)
    }

    /// All rows land or none do; a row whose external id is already in the queue is counted as a duplicate.
    @Sendable func importItems(req: Request) async throws -> Response {
        try Policy.requireCanManageData(try req.actor())
        let queue = try await req.pathQueue()
        let rows = try await Upload.rows(of: req, requiredColumns: ImportFile.requiredColumns(judgments: false))
        var check = ItemRowCheck(queue: queue, now: req.now)
        let drafts = try rows.readEach { [try check.draft(from: $0)] }
        let report = try await req.store.importItems(drafts, into: queue, now: req.now)
        return try await JSONBody(report).encodeResponse(status: report.inserted > 0 ? .created : .ok, for: req)
    }

    @Sendable func listItems(req: Request) async throws -> Page<Item> {
        try Policy.requireCanManageData(try req.actor())
        let queue = try await req.pathQueue()
        let limit = try Paging.limit(req)
        let items = try await req.store.items(in: queue.id, after: try Paging.afterID(req), limit: limit)
        return Page(data: items, next: items.count == limit ? items.last.map { String($0.id) } : nil)
    }

    @Sendable func importJudgments(req: Request) async throws -> Response {
        try Policy.requireCanManageData(try req.actor())
        let queue = try await req.pathQueue()
        let rows = try await Upload.rows(of: req, requiredColumns: ImportFile.requiredColumns(judgments: true))
        let judgments = try JudgmentRows.judgments(from: rows, schema: queue.schema)
        let report = try await req.store.importJudgments(judgments, into: queue, now: req.now)
        return try await JSONBody(report).encodeResponse(status: report.inserted > 0 ? .created : .ok, for: req)
    }
}

/// Reads an import body as it streams in, in the format named by `?format=` or the `Content-Type`.
enum Upload {
    /// Where a file too large for one request goes instead: items and judgments to a background import; gold
    /// and predictions, which have none, to the command line, which reads a file of any size.
    static let toBackgroundImport = "send it to POST /api/v1/queues/{queue}/imports instead"

    static func rows(of req: Request, requiredColumns: [[String]], largerFiles: String = toBackgroundImport) async throws
        -> [ImportRow]
    {
        let format = try self.format(of: req)
        let limit = req.application.importByteLimit
        let tooLarge = "the body is larger than \(limit / 1_048_576) MiB; \(largerFiles)"
        try requireDeclaredLength(of: req, atMost: limit, tooLarge)
        var reader = ImportRowReader(format: format, requiredColumns: requiredColumns)
        var rows: [ImportRow] = []
        var received = 0
        for try await buffer in req.body {
            received += buffer.readableBytes
            guard received <= limit else {
                throw AssayError.tooLarge(tooLarge)
            }
            rows += try reader.feed(buffer.readableBytesView)
        }
        rows += try reader.finish()
        guard !rows.isEmpty else { throw AssayError.invalidInput(field: nil, line: nil, reason: "the body has no rows") }
        return rows
    }

    /// Refuses a body whose `Content-Length` says it is empty or larger than `limit` before anything is read or
    /// stored (a background import would otherwise leave a failed job behind); a chunked body is measured as it
    /// arrives instead.
    static func requireDeclaredLength(of req: Request, atMost limit: Int, _ tooLarge: @autoclosure () -> String) throws {
        guard let declared = req.headers.first(name: .contentLength).flatMap(Int.init) else { return }
        guard declared > 0 else { throw AssayError.invalidInput(field: nil, line: nil, reason: "the upload is empty") }
        guard declared <= limit else { throw AssayError.tooLarge(tooLarge()) }
    }

    static func format(of req: Request) throws -> ImportFormat {
        if let name = req.query[String.self, at: "format"] {
            guard let format = ImportFormat(rawValue: name) else {
                throw AssayError.invalidInput(field: "format", line: nil, reason: "must be jsonl or csv, got '\(name)'")
            }
            return format
        }
        if let type = req.headers.first(name: .contentType), let format = ImportFormat(contentType: type) {
            return format
        }
        throw RequestBodyErrors.notRows(req)
    }
}
