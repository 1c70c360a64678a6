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
        }
    }

    /// The message, as the JSON error body's `reason`.
    public var reason: String { description }

    /// A 401 tells the client how to authenticate.
    public var headers: HTTPHeaders {
        if case .unauthenticated = self { return ["WWW-Authenticate": "Bearer"] }
        return [:]
    }
}

/// A request body that does not decode becomes a 400 whose reason says which field and what was wrong, in the
/// `field: reason` form of every other input error (Vapor's own reason quotes Swift's coding keys and types).
///
/// For example, `{"name": 7}` for a queue answers `400 {"reason": "name: must be text"}`, and `{"labels": [`
/// answers `400 {"reason": "the body is not valid JSON: …"}`.
struct RequestBodyErrors: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as DecodingError {
            throw Abort(.badRequest, reason: error.reasonForClients)
        }
    }
}

extension DecodingError {
    /// The problem as `field: reason`, the field written as a JSON path (`schema.labels[2].code`).
    var reasonForClients: String {
        func field(_ path: [any CodingKey]) -> String {
            let text = path.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : text
        }
        switch self {
        case .keyNotFound(let key, let context):
            return "\(field(context.codingPath + [key])): is required"
        case .valueNotFound(_, let context):
            return "\(field(context.codingPath)): must not be null"
        case .typeMismatch(let type, let context):
            return "\(field(context.codingPath)): must be \(Self.kind(of: type))"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            let detail = (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
            return "the body is not valid JSON: \(detail)"
        case .dataCorrupted(let context):
            return "\(field(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "the body could not be read: \(self)"
        }
    }

    /// The JSON kind a Swift type is read from, as an API user would name it.
    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type: return "a whole number"
        case is Double.Type, is Float.Type: return "a number"
        case is [Any].Type: return "a list"
        case is [String: Any].Type: return "an object"
        default: return "a \(type)"
        }
    }
}
