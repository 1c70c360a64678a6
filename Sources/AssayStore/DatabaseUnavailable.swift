import Foundation
import FluentPostgresDriver

/// The database cannot be used at all: PostgreSQL is not running, the URL points elsewhere, or the server refuses
/// the user, the password or the database.
///
/// ``AssayDatabase/open(_:eventLoopGroup:threadPool:connectionsPerEventLoop:logger:)`` connects once before it
/// returns, so a command or a server stops here, at the start, with the place and the reason, rather than with
/// PostgresNIO's "PSQLError – Generic description to prevent accidental leakage of sensitive data" on the first
/// query.
///
/// ```swift
/// // ASSAY_DATABASE_URL=postgres://assay@127.0.0.1:1/assay
/// "\(error)"  // "cannot use PostgreSQL at postgres://assay@127.0.0.1:1/assay: connection refused"
/// ```
public struct DatabaseUnavailable: Error, CustomStringConvertible, Sendable {
    /// The database, as ``DatabaseLocation`` describes it (any password hidden).
    public let location: String
    /// Why it cannot be used, in the words of the operating system or of the PostgreSQL server.
    public let reason: String

    public var description: String { "cannot use \(location): \(reason)" }

    init(location: DatabaseLocation, error: any Error) {
        self.location = location.description
        self.reason = Self.reason(for: error)
    }

    /// The reason inside PostgresNIO's error: the server's own message and hint when the server answered (wrong
    /// password, no such database), otherwise what the connection attempt met (refused, no such socket, TLS).
    static func reason(for error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return [message, error.serverInfo?[.hint]].compactMap { $0 }.joined(separator: "; ")
        }
        if let underlying = error.underlying {
            if let underlying = underlying as? PSQLError { return reason(for: underlying) }
            return ConnectionFailure.reason(for: underlying) ?? "\(underlying)"
        }
        switch error.code {
        case .sslUnsupported: return "the server does not accept TLS, and the URL's sslmode requires it"
        case .authMechanismRequiresPassword: return "the server asks for a password, and the URL gives none"
        default: return "PostgreSQL error \(error.code)"
        }
    }
}
