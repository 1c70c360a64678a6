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
