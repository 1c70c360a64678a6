import AssayCore
import FluentPostgresDriver
import Foundation

/// The PostgreSQL connection settings an `ASSAY_DATABASE_URL` names, over TCP or a Unix socket.
///
/// Three forms are understood:
/// - `postgres://user:password@host:port/database`: TCP (`postgresql://` too; `?sslmode=disable|prefer|require`).
/// - `postgres://user@/database?host=/var/run/postgresql&port=5432`: libpq's way to name the directory of a server's
///   Unix socket (the socket is `DIR/.s.PGSQL.PORT`, port 5432 unless given), so a URL that works with `psql`
///   works here. The directory may also stand percent-encoded in the host: `postgres://user@%2Fvar%2Frun%2Fpostgresql/db`.
/// - `postgres+uds://user@localhost/path/to/.s.PGSQL.5432#database`: PostgresKit's own form, the socket file itself.
///
/// A socket is for a server on the same machine that takes local connections only, or authenticates them by the
/// operating system's user (peer authentication). It is not much faster: the annotator loop runs at the same rate
/// over either (BENCHMARKS.md).
///
/// For example:
/// ```swift
/// let settings = try PostgresConnectionURL("postgres://assay@/assay?host=/var/run/postgresql")
/// settings.socketPath // "/var/run/postgresql/.s.PGSQL.5432"
/// ```
struct PostgresConnectionURL: Sendable {
    /// What PostgresKit connects with.
    let configuration: SQLPostgresConfiguration
    /// The socket file, when the connection is over a Unix socket.
    let socketPath: String?

    /// Reads `url`.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming `ASSAY_DATABASE_URL` and what is wrong.
    init(_ url: String) throws {
        guard var parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased() else {
            throw Self.invalid(
                "is not a URL (expected postgres://user:password@host:port/database; percent-encode @ / # ? % in a password)")
        }
        // PostgresKit reads the scheme in lower case only.
        parts.scheme = scheme
        let url = parts.string ?? url
        switch scheme {
        case "postgres+uds", "postgresql+uds":
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw Self.invalid(
                    "a postgres+uds:// URL needs a user and the socket file as its path, with no port "
                        + "(postgres+uds://user@localhost/path/to/.s.PGSQL.5432#database)")
            }
            socketPath = parts.path
        case "postgres", "postgresql", "postgres+tcp", "postgresql+tcp":
            guard let user = parts.user, !user.isEmpty else {
                throw Self.invalid("names no user (postgres://user:password@host:port/database)")
            }
            if let directory = try Self.socketDirectory(in: parts) {
                // There is no TLS over a socket, but a mode libpq would refuse is still a mistake worth naming.
                let modes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full", "true", "false"]
                if let mode = parts.queryItems?.last(where: { ["sslmode", "tlsmode", "ssl", "tls"].contains($0.name) })?.value,
                    !modes.contains(mode)
                {
                    throw Self.invalid("sslmode=\(mode) is not one of \(modes.joined(separator: ", "))")
                }
                let path = directory + "/.s.PGSQL.\(try Self.socketPort(in: parts))"
                let database = parts.path.drop { $0 == "/" }
                configuration = SQLPostgresConfiguration(
                    unixDomainSocketPath: path, username: user, password: parts.password,
                    database: database.isEmpty ? nil : String(database))
                socketPath = path
            } else {
                guard let host = parts.host, !host.isEmpty else {
                    throw Self.invalid("names no host (postgres://user@host/database, or ?host=/socket/directory)")
                }
                if let port = parts.port, !(1...65535).contains(port) { throw Self.invalid("port \(port) is not a port number") }
                do {
                    configuration = try SQLPostgresConfiguration(url: url)
                } catch {
                    throw Self.invalid("cannot be read: check the port and the sslmode (disable, prefer or require)")
                }
                socketPath = nil
            }
        default:
            throw Self.invalid("must be a postgres:// or postgresql:// URL (or postgres+uds:// for a socket file)")
        }
    }

    /// libpq's socket directory: `?host=/dir`, or an absolute path percent-encoded as the host; nil for TCP.
    private static func socketDirectory(in parts: URLComponents) throws -> String? {
        let queryHost = parts.queryItems?.last { $0.name == "host" }?.value ?? ""
        if !queryHost.isEmpty && !queryHost.hasPrefix("/") {
            throw invalid("host=\(queryHost) must be a socket directory (an absolute path); put a TCP host before the path")
        }
        let encodedHost = parts.percentEncodedHost?.removingPercentEncoding ?? ""
        guard let directory = [queryHost, encodedHost].first(where: { $0.hasPrefix("/") }) else { return nil }
        return directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    /// The port that names the socket file: `?port=`, else the URL's port, else PostgreSQL's 5432.
    private static func socketPort(in parts: URLComponents) throws -> Int {
        guard let text = parts.queryItems?.last(where: { $0.name == "port" })?.value else {
            return parts.port ?? SQLPostgresConfiguration.ianaPortNumber
        }
        guard let port = Int(text), (1...65535).contains(port) else { throw invalid("port=\(text) is not a port number") }
        return port
    }

    private static func invalid(_ reason: String) -> AssayError {
        .invalidInput(field: "ASSAY_DATABASE_URL", line: nil, reason: reason)
    }
}
