import AssayCore
import Vapor

/// The one place where domain errors become HTTP statuses.
extension AssayError: AbortError {
    /// The status for each kind of error.
    public var status: HTTPResponseStatus {
        switch self {
        case .notFound: return .notFound
        case .conflict: return .conflict
        case .invalidInput: return .unprocessableEntity
        case .unauthenticated: return .unauthorized
        case .forbidden: return .forbidden
        case .tooLarge: return .payloadTooLarge
        case .unavailable, .busy: return .serviceUnavailable
        }
    }

    /// The message, as the JSON error body's `reason`.
    public var reason: String { description }

    /// A 401 tells the client how to authenticate; a 503 when to try again.
    public var headers: HTTPHeaders {
        switch self {
        case .unauthenticated: return ["WWW-Authenticate": "Bearer"]
        case .unavailable: return ["Retry-After": "30"]
        case .busy: return ["Retry-After": "1"]
        default: return [:]
        }
    }
}

/// A request body that does not decode becomes a 400 whose reason says which field and what was wrong, in the
/// `field: reason` form of every other input error (Vapor's own reason quotes Swift's coding keys and types).
///
/// For example, `{"name": 7}` for a queue answers `400 {"reason": "name: must be text"}`, and `{"labels": [`
/// answers `400 {"reason": "the body is not valid JSON: line 1, column 13: unexpected end of file"}`.
struct RequestBodyErrors: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as DecodingError {
            let body = request.body.data.map { Data($0.readableBytesView) }
            let reason = error.reason(decoding: body)
            throw Abort(.badRequest, reason: reason.hasPrefix("not valid JSON") ? "the body is \(reason)" : reason)
        } catch let error as any AbortError
            where error.status == .payloadTooLarge && error.reason == "Payload Too Large" && request.url.path.hasPrefix("/api/")
        {
            // Vapor's words for a body over the route's limit name neither the limit nor the way round it.
            throw AssayError.tooLarge(
                "the body is larger than \(Self.jsonLimit), the most a JSON request may carry; send large files to "
                    + "POST /api/v1/queues/{queue}/imports, a background import")
        }
    }

    /// The largest JSON body a route collects (``configure(_:settings:)`` sets the routes' default).
    static let jsonLimit = "2 MB"

    /// The 415 for an API body not sent as JSON (see ``Vapor/Request/jsonBody(_:)``), naming the header it needs.
    static func notJSON(_ request: Request) -> Abort {
        Abort(.unsupportedMediaType, reason: "the body must be JSON, sent with Content-Type: application/json (\(sent(request)))")
    }

    /// The 415 for an import whose rows come in a type that names no format Assay reads, and no `?format=`.
    static func notRows(_ request: Request) -> Abort {
        Abort(
            .unsupportedMediaType,
            reason: "send the rows as text/csv, application/x-ndjson or application/json, or add ?format=csv|jsonl (\(sent(request)))")
    }

    private static func sent(_ request: Request) -> String {
        request.headers.first(name: .contentType).map { "it came as \($0)" } ?? "it came with no Content-Type"
    }
}

/// A path or query holding U+0000 (`%00`) is refused before any route looks it up (``NULCharacter``): PostgreSQL
/// cannot compare text holding it, and `GET /queues/a%00b` was a server error there.
struct NULInAddress: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard !request.url.string.contains("%00") else {
            throw AssayError.invalidInput(field: nil, line: nil, reason: "the address \(NULCharacter.refusal)")
        }
        return try await next.respond(to: request)
    }
}
