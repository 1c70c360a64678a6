import AssayCore
import FluentKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// An open workspace database: the connection pools, the migrations, and the ``Store`` over them.
///
/// The server, the CLI and the tests all open the database this way, so there is one path from a
/// ``DatabaseLocation`` to a ready store.
///
/// For example:
/// ```swift
/// let database = try await AssayDatabase.open(.sqlite(path: "assay.sqlite"), logger: logger)
/// try await database.migrate()
/// let queues = try await database.store.queues()
/// try await database.close()
/// ```
public final class AssayDatabase: Sendable {
    /// The gateway to everything in the workspace.
    public let store: Store
    /// Where the database is.
    public let location: DatabaseLocation
    private let databases: Databases
    private let threadPool: NIOThreadPool
    private let ownsThreadPool: Bool
    private let logger: Logger
    private let pinnedLoop: any EventLoop

    private let sqlite: SQLiteConnections?

    private init(
        location: DatabaseLocation, databases: Databases, threadPool: NIOThreadPool, ownsThreadPool: Bool,
        logger: Logger, pinnedLoop: any EventLoop, chance: Chance
    ) throws {
        self.location = location
        self.databases = databases
        self.threadPool = threadPool
        self.ownsThreadPool = ownsThreadPool
        self.logger = logger
        self.pinnedLoop = pinnedLoop
        switch location {
        case .sqlite(let path):
            // The store talks to SQLite through its own connections (see `SQLiteConnections`); Fluent's SQLite
            // driver is kept for the migrations only.
            let isNew = !FileManager.default.fileExists(atPath: path)
            let sqlite = try SQLiteConnections(path: path, threadPool: threadPool, eventLoop: pinnedLoop, logger: logger)
            // A new database is its owner's only, whatever the umask: it holds gold answers, token hashes and people's
            // work (SQLite gives its journal files the same mode). One made earlier keeps the mode its owner gave it.
            if isNew { try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }
            self.sqlite = sqlite
            self.store = Store(connections: .sqlite(sqlite), chance: chance)
        case .postgres:
            self.sqlite = nil
            self.store = Store(
                connections: .postgres({ [databases, logger] in
                    guard let database = databases.database(logger: logger, on: databases.eventLoopGroup.any()) else {
                        throw AssayError.unavailable("the database is closed (the server is shutting down)")
                    }
                    return database
                }), chance: chance)
        }
    }

    /// Opens (and for SQLite creates) the database at `location`.
    ///
    /// - Parameters:
    ///   - location: the SQLite file or PostgreSQL URL.
    ///   - eventLoopGroup: the loops to run on; the shared singleton by default.
    ///   - threadPool: the pool for a SQLite transaction's statement that waits for another process's lock (and
    ///     for the migrations); a new one of 2 threads by default. Reads have threads of their own
    ///     (`SQLiteConnections.readerThreads`).
    ///   - connectionsPerEventLoop: PostgreSQL connections per event loop.
    ///   - logger: where SQL errors go.
    ///   - chance: where the store's random choices come from (``Chance``); the system's generator by default.
    public static func open(
        _ location: DatabaseLocation, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        threadPool: NIOThreadPool? = nil, connectionsPerEventLoop: Int = 8, logger: Logger = Logger(label: "assay.db"),
        chance: Chance = .system
    ) async throws -> AssayDatabase {
        let pool = threadPool ?? NIOThreadPool(numberOfThreads: 2)
        if threadPool == nil { pool.start() }
        let databases = Databases(threadPool: pool, on: eventLoopGroup)
        databases.use(try location.configuration(connectionsPerEventLoop: connectionsPerEventLoop), as: .assay)
        let database = try AssayDatabase(
            location: location, databases: databases, threadPool: pool, ownsThreadPool: threadPool == nil,
            logger: logger, pinnedLoop: eventLoopGroup.next(), chance: chance)
        if location.isPostgres {
            do {
                try await database.connectOnce()
            } catch {
                try? await database.close()
                throw DatabaseUnavailable(location: location, error: error)
            }
        }
        return database
    }

    /// One round trip to PostgreSQL, so that an unreachable server or a refused login stops `open`.
    ///
    /// Its logger is silent: the connection pool logs a failed attempt as an error, and the caller reports the
    /// failure itself, as a ``DatabaseUnavailable``.
    private func connectOnce() async throws {
        var quiet = logger
        quiet.logLevel = .critical
        guard let sql = databases.database(.assay, logger: quiet, on: pinnedLoop) as? any SQLDatabase else { return }
        try await sql.raw("SELECT 1").run()
    }

    /// Brings the schema up to date (safe to run on every start).
    ///
    /// - Throws: ``AssayError/unavailable(_:)`` for a database a newer Assay has migrated: this build would write to
    ///   a schema it does not know (a column it leaves out, a rule it does not keep), so it does not use it.
    public func migrate() async throws {
        try await migrator().setupIfNeeded().get()
        let known = Set(AssayMigrations.all.map(\.name))
        let unknown = try await appliedMigrationNames().filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw AssayError.unavailable("""
                \(location.description) was brought up to date by a newer Assay (it has \(unknown.count == 1 ? "a change" : "changes") \
                this version does not know: \(unknown.prefix(3).joined(separator: ", "))\(unknown.count > 3 ? ", …" : "")); \
                use that version or a newer one with it
                """)
        }
        try await migrator().prepareBatch().get()
    }

    /// Undoes every migration: for tests of the migrations themselves.
    public func revertAll() async throws {
        try await migrator().revertAllBatches().get()
    }

    /// Undoes the given migrations, newest first, then runs them again over the data there: for tests that a
    /// migration carries an existing workspace (its revert takes the data back to the older schema, and its
    /// prepare must bring them forward unchanged).
    func rerun(_ migrations: [any AsyncMigration]) async throws {
        let database = databases.database(.assay, logger: logger, on: pinnedLoop)!
        for migration in migrations.reversed() { try await migration.revert(on: database) }
        for migration in migrations { try await migration.prepare(on: database) }
    }

    /// The names of the migrations that have run, oldest first.
    public func appliedMigrationNames() async throws -> [String] {
        let sql = try store.sql()
        return try await sql.raw("SELECT name FROM _fluent_migrations ORDER BY batch, created_at, name")
            .all(decodingColumn: "name", as: String.self)
    }

    /// Closes the pools (and the thread pool, if this database made it).
    public func close() async throws {
        await sqlite?.close()
        await databases.shutdownAsync()
        if ownsThreadPool { try await threadPool.shutdownGracefully() }
    }

    private func migrator() -> Migrator {
        let migrations = Migrations()
        migrations.add(AssayMigrations.all, to: .assay)
        return Migrator(
            databases: databases, migrations: migrations, logger: logger, on: pinnedLoop, migrationLogLevel: .debug)
    }
}

extension DatabaseID {
    /// The workspace database.
    static let assay = DatabaseID(string: "assay")
}
