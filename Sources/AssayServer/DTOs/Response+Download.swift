import AssayFiles
import Vapor

extension Response {
    /// A file to download, its text written by `write` piece by piece as it is made, so a million rows never sit in
    /// memory. An error midway ends the body with it (the client sees a cut-off download, not a short "success").
    ///
    /// ```swift
    /// return Response.download(named: "comments-en-final-labels.csv", as: .csv) { send in
    ///     try await FinalLabelWriter.write(queue, as: .csv, from: store, to: send)
    /// }
    /// ```
    static func download(
        named name: String, as type: HTTPMediaType,
        writing write: @escaping @Sendable (_ send: (String) async throws -> Void) async throws -> Void
    ) -> Response {
        let response = Response(status: .ok, body: .init(asyncStream: { writer in
            do {
                try await write { text in try await writer.write(.buffer(ByteBuffer(string: text))) }
                try await writer.write(.end)
            } catch {
                try? await writer.write(.error(error))
            }
        }))
        response.headers.contentType = type
        response.headers.contentDisposition = .init(.attachment, filename: Self.fileName(name))
        return response
    }

    /// A file to download whose whole text is at hand (a report table).
    static func download(named name: String, as type: HTTPMediaType, text: String) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = type
        response.headers.contentDisposition = .init(.attachment, filename: Self.fileName(name))
        return response
    }

    /// The name as a quoted file name can hold it: a queue's name may have a `"`, which would end the quotes.
    private static func fileName(_ name: String) -> String {
        name.replacingOccurrences(of: "\"", with: "")
    }
}

extension HTTPMediaType {
    /// CSV in UTF-8, as every table Assay writes.
    static let csvText = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
    /// JSON Lines.
    static let jsonLines = HTTPMediaType(type: "application", subType: "x-ndjson")
}
