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
/// let location = try DatabaseLocation(path: "./assay.sqlite", url: ProcessInfo.processInfo.environment["ASSAY_DATABASE_URL"])
/// ```
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite database file (created if missing).
    case sqlite(path: String)
    /// A PostgreSQL database, as a `postgres://user:password@host:port/database` URL.
    case postgres(url: String)

    /// PostgreSQL when a URL is given, otherwise the SQLite file at `path`.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for a URL that is not `postgres://` or
    ///   `postgresql://`.
    public init(path: String, url: String?) throws {
        guard let url, !url.isEmpty else {
            self = .sqlite(path: path)
            return
        }
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw AssayError.invalidInput(
                field: "ASSAY_DATABASE_URL", line: nil, reason: "must be a postgres:// or postgresql:// URL")
        }
        self = .postgres(url: url)
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
    func configuration(connectionsPerEventLoop: Int) throws -> DatabaseConfigurationFactory {
        switch self {
        case .sqlite(let path):
            // Only the migrations use Fluent's SQLite connection; the store has its own (`SQLiteConnections`).
            return .sqlite(.file(path), connectionPoolTimeout: .seconds(30), sqlLogLevel: nil)
        case .postgres(let url):
            return try .postgres(
                url: url, maxConnectionsPerEventLoop: connectionsPerEventLoop, connectionPoolTimeout: .seconds(30),
                sqlLogLevel: .trace)
        }
    }
}
