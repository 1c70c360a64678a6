import AssayCore
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation

/// Where the workspace lives: an embedded SQLite file (the default) or a PostgreSQL server.
///
/// This is the one place where a path or URL becomes a Fluent database configuration.
///
/// For example:
/// ```swift
/// let location = try DatabaseLocation(path: "./assay.sqlite", environment: ProcessInfo.processInfo.environment)
/// ```
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite database file (created if missing).
    case sqlite(path: String)
    /// A PostgreSQL database, as a `postgres://user:password@host:port/database` URL, or one that names a Unix
    /// socket: `postgres://user@/database?host=/socket/directory` or `postgres+uds://user@localhost/socket/file#database`.
    case postgres(url: String)

    /// PostgreSQL when a URL is given, otherwise the SQLite file at `path`.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for a URL that names no PostgreSQL server: not
    ///   `postgres://`, `postgresql://` or `postgres+uds://`, or without a user, a host or a socket directory.
    public init(path: String, url: String?) throws {
        guard let url, !url.isEmpty else {
            self = .sqlite(path: path)
            return
        }
        _ = try PostgresConnectionURL(url)
        self = .postgres(url: url)
    }

    /// The environment variable that names a PostgreSQL database and, when set, wins over any SQLite file.
    public static let urlVariable = "ASSAY_DATABASE_URL"

    /// The database `ASSAY_DATABASE_URL` names when it is set and not empty, else the SQLite file at `path`: the
    /// rule of every command that opens a workspace.
    public init(path: String, environment: [String: String]) throws {
        try self.init(path: path, url: environment[Self.urlVariable])
    }

    /// Whether this is PostgreSQL.
    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// The location for logs, with any password hidden.
    public var description: String {
        switch self {
        case .sqlite(let path): return "SQLite at \(path)"
        case .postgres(let url):
            guard var parts = URLComponents(string: url) else { return "PostgreSQL" }
            if parts.password != nil { parts.password = "***" }
            return "PostgreSQL at \(parts.string ?? "?")"
        }
    }

    /// The Fluent configuration for this location.
    public func configuration(connectionsPerEventLoop: Int) throws -> DatabaseConfigurationFactory {
        switch self {
        case .sqlite(let path):
            // Only the migrations use Fluent's SQLite connection; the store has its own (`SQLiteConnections`).
            return .sqlite(.file(path), connectionPoolTimeout: .seconds(30), sqlLogLevel: nil)
        case .postgres(let url):
            return .postgres(
                configuration: try PostgresConnectionURL(url).configuration,
                maxConnectionsPerEventLoop: connectionsPerEventLoop, connectionPoolTimeout: .seconds(30),
                sqlLogLevel: .trace)
        }
    }
}
