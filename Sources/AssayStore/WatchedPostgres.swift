import FluentKit
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL statements that cannot outlive their connection.
///
/// PostgresNIO (1.33) leaves a statement sent just as the server ends its connection (PostgreSQL restarting, or
/// `pg_terminate_backend`) waiting for ever: the connection reads as closed, and closing it again does not fail the
/// statement. A request then never got an answer, and its pooled connection never came back; after a few restarts
/// every slot was taken, and the server answered nothing but "no database connection came free" until someone
/// restarted it. So each statement is watched: once its connection has read as closed for a second and the statement
/// still waits, it fails as ``ConnectionLost`` (a 503), and the connection goes back to the pool, which drops it.
///
/// ```swift
/// try await postgres.withConnection { connection in
///     WatchedConnection(connection).raw("SELECT 1").run()
/// }
/// ```
struct WatchedConnection: SQLDatabase, PostgresDatabase {
    let connection: PostgresConnection
    private let sql: any SQLDatabase

    init(_ connection: PostgresConnection) {
        self.connection = connection
        sql = connection.sql(queryLogLevel: .trace)
    }

    var logger: Logger { connection.logger }
    var eventLoop: any EventLoop { connection.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { sql.version }
    var dialect: any SQLDialect { sql.dialect }
    var queryLogLevel: Logger.Level? { sql.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        Self.watching(sql.execute(sql: query, onRow), on: connection)
    }

    func send(_ request: any PostgresRequest, logger: Logger) -> EventLoopFuture<Void> {
        Self.watching(connection.send(request, logger: logger), on: connection)
    }

    /// The connection, for PostgresNIO's own API (bulk inserts, rows decoded by position): what the closure does on
    /// it is watched as one statement.
    func withConnection<T>(_ closure: @escaping (PostgresConnection) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        Self.watching(closure(connection), on: connection)
    }

    /// How often a waiting statement's connection is looked at.
    static let checkInterval = TimeAmount.seconds(1)

    /// `future`, failed as ``ConnectionLost`` if it is still waiting when `connection` has read as closed at two
    /// looks in a row.
    static func watching<T>(_ future: EventLoopFuture<T>, on connection: PostgresConnection) -> EventLoopFuture<T> {
        let promise = connection.eventLoop.makePromise(of: T.self)
        let closedBefore = NIOLockedValueBox(false)
        let watch = connection.eventLoop.scheduleRepeatedTask(initialDelay: checkInterval, delay: checkInterval) { task in
            guard connection.isClosed else { return }
            if closedBefore.withLockedValue({ seen in defer { seen = true }; return seen }) {
                task.cancel()
                promise.fail(ConnectionLost())
            }
        }
        promise.futureResult.whenComplete { _ in watch.cancel() }
        future.cascade(to: promise)  // a promise failed by the watch already ignores the late answer
        return promise.futureResult
    }
}

/// Statements on the pool outside a transaction, each on a watched connection (see ``WatchedConnection``).
struct WatchedPool: SQLDatabase, PostgresDatabase {
    let database: any PostgresDatabase & SQLDatabase

    var logger: Logger { (database as any SQLDatabase).logger }
    var eventLoop: any EventLoop { (database as any SQLDatabase).eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { database.version }
    var dialect: any SQLDialect { database.dialect }
    var queryLogLevel: Logger.Level? { database.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        database.withConnection { connection in WatchedConnection(connection).execute(sql: query, onRow) }
    }

    func send(_ request: any PostgresRequest, logger: Logger) -> EventLoopFuture<Void> {
        database.withConnection { connection in WatchedConnection(connection).send(request, logger: logger) }
    }

    func withConnection<T>(_ closure: @escaping (PostgresConnection) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        database.withConnection { connection in WatchedConnection.watching(closure(connection), on: connection) }
    }
}

/// A statement whose connection PostgreSQL closed under it, and which was never answered (see ``WatchedConnection``).
struct ConnectionLost: Error, CustomStringConvertible {
    var description: String { "the connection to PostgreSQL closed under a statement" }
}
