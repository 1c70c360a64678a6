import AssayCore
import Foundation
import Vapor

extension Request {
    /// The body of an API request, read as JSON.
    ///
    /// Only a body labelled JSON (`application/json`, or any `+json` type) is read; anything else answers 415 naming
    /// the header. Vapor's `content.decode` would also read a form, and `curl -d '{"labels": ["spam"]}'` without
    /// `-H 'Content-Type: application/json'` labels its JSON as a form: it would arrive as a form with none of the
    /// fields, and be refused for a reason that has nothing to do with the mistake.
    ///
    /// ```swift
    /// let draft = try req.jsonBody(QueueDraft.self)
    /// ```
    func jsonBody<Body: Decodable>(_ type: Body.Type) throws -> Body {
        guard let type = headers.contentType, type.type.lowercased() == "application",
            type.subType.lowercased() == "json" || type.subType.lowercased().hasSuffix("+json")
        else { throw RequestBodyErrors.notJSON(self) }
        // A JSON decoder of our own, rather than `content.decode`, which looks the media type up by its exact spelling
        // and refuses `Application/JSON` and `application/problem+json`. Settings in a body refuse keys they do not
        // know: a misspelt one would otherwise take its default without a word.
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = Timestamp.decodingStrategy
        decoder.userInfo[.refusesUnknownKeys] = true
        let data = body.data.map { Data($0.readableBytesView) } ?? Data()
        guard data.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
            throw Abort(.badRequest, reason: "the body is empty; send a JSON object")
        }
        guard !NULCharacter.isEscaped(inJSON: data) else {
            throw AssayError.invalidInput(field: nil, line: nil, reason: "the body \(NULCharacter.refusal)")
        }
        // Read once by Assay's own parser first, which refuses a key given twice (Foundation's takes one of them
        // without a word); a syntax error is left to the decoder, which says where it is.
        var document: JSONValue?
        do {
            document = try JSONValue(parsing: data)
        } catch let error as JSONValue.SyntaxError where error.reason.contains("appears twice") {
            throw Abort(.badRequest, reason: "the body is not valid JSON: \(error.reason)")
        } catch {}
        if let closed = Body.self as? any ClosedBody.Type { try closed.refuseUnknownFields(in: data) }
        do {
            return try decoder.decode(Body.self, from: data)
        } catch let error as DecodingError where UnfitNumber.isUnfit(error) {
            // Foundation names no field for a number its type cannot take (1.5 or 1e20 where a whole number is
            // expected): find it by trying the document with each such number made 0. Only in a body of the usual
            // size: each try decodes it again, and a 2 MB body of fractions would hold the event loop for seconds.
            guard data.count <= 64 * 1024, let document,
                let (path, value) = UnfitNumber.locate(in: document, for: Body.self, decoder: decoder)
            else { throw error }
            throw Abort(.badRequest, reason: UnfitNumber.reason(at: path, value: value))
        }
    }

    /// The body, read as JSON, of a request whose body may be left out: nil when there is none.
    func optionalJSONBody<Body: Decodable>(_ type: Body.Type) throws -> Body? {
        // White space alone is no body too (a client that always sends a newline).
        guard let body = body.data, body.readableBytesView.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return nil }
        return try jsonBody(Body.self)
    }
}

/// A request body whose fields are all named by its `CodingKeys`: a key it does not name is refused (422, naming
/// it and the fields there are) rather than dropped, as the bodies that decode themselves do
/// (`refuseUnknownKeys`). A gold PUT with `"rationnale"` lost the rationale without a word.
protocol ClosedBody: Decodable {
    associatedtype CodingKeys: CodingKey & CaseIterable
}

extension ClosedBody {
    static func refuseUnknownFields(in data: Data) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        let known = Set(CodingKeys.allCases.map(\.stringValue))
        guard let unknown = object.keys.sorted().first(where: { !known.contains($0) }) else { return }
        throw AssayError.invalidInput(
            field: unknown, line: nil, reason: "not a field here (the fields are \(known.sorted().joined(separator: ", ")))")
    }
}
