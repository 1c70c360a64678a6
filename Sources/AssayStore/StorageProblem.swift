import AssayCore
import AsyncKit
import FluentPostgresDriver
import VaporCSQLite

/// A failure of the database itself rather than of the request: its disk is full, another process holds its lock,
/// its file cannot be read or written, PostgreSQL refuses more connections (SQLSTATE 53300) or is shutting down,
/// cannot be reached or dropped the connection, or no pooled connection came free in time.
/// Such a failure is the server's condition, not the client's mistake nor a bug, so it becomes a 503
/// (``AssayError/unavailable(_:)``) that says what is wrong and that trying later may help, instead of a 500
/// quoting SQLite's message and the SQL.
///
/// ```swift
/// StorageProblem.assayError(for: error)   // .unavailable("the database's disk is full: …")
/// ```
public enum StorageProblem {
    /// The error as the domain names it, or nil when it is not a storage problem (a bug, say, which stays a 500).
    public static func assayError(for error: any Error) -> AssayError? {
        // Rolled back with its commit group by another member's failure: that failure is the problem.
        if let rolledBack = error as? GroupRolledBack { return assayError(for: rolledBack.underlying) }
        if let failure = error as? SQLiteHandle.Failure {
            switch failure.code & 0xff {
            case SQLITE_FULL:
                return .unavailable("the database's disk is full; nothing was changed. Free space on it, then try again")
            case SQLITE_BUSY, SQLITE_LOCKED:
                return .unavailable("another process holds the database's write lock (a long import or export?); try again shortly")
            case SQLITE_IOERR, SQLITE_CANTOPEN:
                return .unavailable("the database's file cannot be read or written (\(failure.message))")
            case SQLITE_READONLY:
                return .unavailable("the database's file cannot be written (\(failure.message))")
            default:
                return nil
            }
        }
        // A statement sent on a connection that had just been lost (the ROLLBACK after a failed query, say) fails as
        // "closed by the client" around what closed it: the cause is the one that says what is wrong.
        if let failure = error as? PSQLError, failure.code == .clientClosedConnection, let cause = failure.underlying,
            let problem = assayError(for: cause)
        {
            return problem
        }
        if let failure = error as? PSQLError, let state = failure.serverInfo?[.sqlState] {
            switch state {
            case "53100": return .unavailable("PostgreSQL's disk is full; nothing was changed. Free space on it, then try again")
            case "53200": return .unavailable("PostgreSQL is out of memory; try again shortly")
            case "53300": return .unavailable("PostgreSQL has no connection left for this server; try again shortly")
            case "57P01", "57P02", "57P03": return .unavailable("PostgreSQL is shutting down or starting; try again shortly")
            default: break
            }
        }
        if let failure = error as? PSQLError, Self.lostConnection.contains(failure.code) {
            return .unavailable("PostgreSQL cannot be reached (\(DatabaseUnavailable.reason(for: failure))); try again shortly")
        }
        if let lost = error as? ConnectionLost {
            return .unavailable("PostgreSQL cannot be reached (\(lost.description)); try again shortly")
        }
        if error is ConnectionPoolTimeoutError {
            // Every pooled connection stayed busy for the pool's whole wait: the server has more work than its
            // connections, which passes, rather than a fault in the request.
            return .unavailable("no database connection came free in time (the server is busy); try again shortly")
        }
        if let failure = error as? ConnectionPoolError, case .shutdown = failure {
            return .unavailable("the server is shutting down; try again shortly")
        }
        return nil
    }

    /// Whether the problem lasts until someone acts (a full disk, a file that cannot be written, a database out of
    /// reach), rather than passing with the load (a lock held a while, a pool or a server out of connections):
    /// only a lasting one makes `/healthz` report the server degraded, or a load balancer would drop every server
    /// of a busy pool in turn.
    public static func isLasting(_ error: any Error) -> Bool {
        if let rolledBack = error as? GroupRolledBack { return isLasting(rolledBack.underlying) }
        if let failure = error as? SQLiteHandle.Failure {
            return [SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_READONLY].contains(failure.code & 0xff)
        }
        if let failure = error as? PSQLError {
            // A connection dropped once is a blip (every server behind a balancer meets it together); one that
            // cannot be made at all is PostgreSQL down or out of reach.
            return failure.serverInfo?[.sqlState] == "53100" || failure.code == .connectionError
        }
        return false
    }

    /// PostgresNIO's codes for a connection that could not be made or was lost: the server stopped, restarted, or
    /// the network between dropped it. A connection made afresh on the next request may work.
    private static let lostConnection: [PSQLError.Code] = [
        .connectionError, .serverClosedConnection, .uncleanShutdown, .poolClosed, .clientClosedConnection,
    ]
}
