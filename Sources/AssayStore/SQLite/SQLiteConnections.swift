import AssayCore
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit
import SQLiteNIO

/// The store's connections to one SQLite file: a single writer that runs one transaction at a time, and
/// readers for statements outside transactions.
///
/// SQLite allows one writer per file. Transactions queue on an async lock (waiting tasks suspend; no thread
/// blocks) and run on the writer with `BEGIN IMMEDIATE`. In WAL mode readers never wait for the writer, so a
/// statement outside a transaction takes an idle reader (one is opened when none is idle) and runs at once.
///
/// Statements run inline on the calling task's thread (see ``SQLiteHandle``). The one wait that can be long,
/// another process holding the write lock (say `assay import` while `assay serve` runs), is taken off the
/// caller's thread: the statement is retried on the thread pool with a 30-second busy timeout.
final class SQLiteConnections: Sendable {
    let path: String
    let eventLoop: any EventLoop
    let logger: Logger
    private let threadPool: NIOThreadPool
    private let writer: SQLiteHandle
    private let writeLock = AsyncLock()
    private let idleReaders = NIOLockedValueBox<Readers>(Readers())

    private struct Readers {
        var idle: [SQLiteHandle] = []
        var isClosed = false
    }

    /// How long a statement waits for another process's lock before failing, as the PostgreSQL pool waits.
    static let busyTimeoutMilliseconds: Int32 = 30_000

    /// Opens the writer and sets the file's journal mode (WAL) and the writer's pragmas.
    init(path: String, threadPool: NIOThreadPool, eventLoop: any EventLoop, logger: Logger) throws {
        self.path = path
        self.threadPool = threadPool
        self.eventLoop = eventLoop
        self.logger = logger
        // Every connection of the store needs its own view of one file; an in-memory database would give each
        // its own, empty, database.
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file::memory:") else {
            throw AssayError.invalidInput(
                field: "db", line: nil, reason: "an in-memory SQLite database is not supported; give a file path")
        }
        writer = try SQLiteHandle(path: path)
        writer.setBusyTimeout(milliseconds: Self.busyTimeoutMilliseconds)  // once, at open: see below
        // Write-ahead logging: readers do not block the writer nor it them, and a statement inside a write
        // transaction never meets SQLITE_BUSY. `synchronous = NORMAL` survives a process crash without losing a
        // committed transaction. Setting the mode may wait for another process, so it is the one place that
        // blocks, before the store serves anyone.
        var mode = ""
        try writer.run("PRAGMA journal_mode = WAL", binds: []) { row in
            if case .text(let text) = row.values.first { mode = text }
        }
        guard mode.lowercased() == "wal" else {
            throw AssayError.conflict(
                "SQLite could not switch \(path) to write-ahead logging (journal mode is '\(mode)'); "
                    + "use a local file system, or PostgreSQL")
        }
        writer.setBusyTimeout(milliseconds: 0)
        try Self.configure(writer)
    }

    /// Runs `body` in one write transaction and commits if it returns; rolls back if it throws.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await writeLock.withLock {
            let database = SQLiteDirectDatabase(connections: self, handle: writer)
            // A ROLLBACK that failed (an I/O error) can leave a transaction open; close it before starting anew.
            if !writer.isInAutocommitMode { _ = try? writer.run("ROLLBACK", binds: []) }
            // IMMEDIATE takes the write lock up front, so a read-then-write transaction never fails halfway with
            // SQLITE_BUSY when another process wrote in between; it waits for the lock here instead.
            try await run("BEGIN IMMEDIATE", binds: [], on: writer)
            do {
                let result = try await body(database)
                try await run("COMMIT", binds: [], on: writer)
                return result
            } catch {
                _ = try? writer.run("ROLLBACK", binds: [])
                throw error
            }
        }
    }

    /// A database whose statements each run on an idle reader, outside any transaction.
    var readers: any SQLDatabase { SQLiteDirectDatabase(connections: self, handle: nil) }

    /// Closes every connection once running work is done; later calls fail with a clear error.
    func close() async {
        let idle = idleReaders.withLockedValue { readers in
            readers.isClosed = true
            defer { readers.idle.removeAll() }
            return readers.idle
        }
        for reader in idle { reader.close() }
        await writeLock.withLock { writer.close() }
    }

    // MARK: - Running statements

    /// Runs one statement on `handle` (the writer, inside a transaction), or outside any transaction: on an idle
    /// reader when it only reads, on the writer, in its turn, when it writes.
    func run(
        _ sql: String, binds: [SQLiteData], on handle: SQLiteHandle?,
        onRow: @escaping @Sendable (SQLiteValues) -> Void = { _ in }
    ) async throws {
        if let handle {
            // Inside a transaction only BEGIN and COMMIT can meet another process's lock (in WAL mode): retry those;
            // any other statement that did would have to roll back, so its error goes to the caller.
            let mayWait = sql == "BEGIN IMMEDIATE" || sql == "COMMIT"
            return try await run(sql, binds: binds, on: handle, retryingWhenBusy: mayWait, onRow: onRow)
        }
        let reader = try checkOutReader()
        let readOnly: Bool
        do {
            readOnly = try reader.isReadOnly(sql)
        } catch {
            checkIn(reader)
            throw error
        }
        guard readOnly else {
            // Writes outside a transaction (job progress, a status change) take their turn on the writer, so they
            // queue with the transactions instead of competing for SQLite's file lock from a reader.
            checkIn(reader)
            try await writeLock.withLock {
                try await run(sql, binds: binds, on: writer, retryingWhenBusy: true, onRow: onRow)
            }
            return
        }
        defer { checkIn(reader) }
        try await run(sql, binds: binds, on: reader, retryingWhenBusy: true, onRow: onRow)
    }

    private func run(
        _ sql: String, binds: [SQLiteData], on connection: SQLiteHandle, retryingWhenBusy: Bool,
        onRow: @escaping @Sendable (SQLiteValues) -> Void
    ) async throws {
        do {
            try connection.run(sql, binds: binds, onRow: onRow)
        } catch let failure as SQLiteHandle.Failure where failure.isBusy && retryingWhenBusy {
            // Another process holds the lock: wait for it on the thread pool, not on this thread. The statement
            // failed before doing anything (SQLite reports BUSY when it takes the lock), so running it again
            // is safe.
            try await threadPool.runIfActive {
                connection.setBusyTimeout(milliseconds: Self.busyTimeoutMilliseconds)
                defer { connection.setBusyTimeout(milliseconds: 0) }
                try connection.run(sql, binds: binds, onRow: onRow)
            }
        }
    }

    private func checkOutReader() throws -> SQLiteHandle {
        let reader = try idleReaders.withLockedValue { readers -> SQLiteHandle? in
            guard !readers.isClosed else { throw AssayError.conflict("the database is closed (the server is shutting down)") }
            return readers.idle.popLast()
        }
        if let reader { return reader }
        let opened = try SQLiteHandle(path: path)
        try Self.configure(opened)
        return opened
    }

    private func checkIn(_ reader: SQLiteHandle) {
        let keep = idleReaders.withLockedValue { readers in
            guard !readers.isClosed else { return false }
            readers.idle.append(reader)
            return true
        }
        if !keep { reader.close() }
    }

    private static func configure(_ handle: SQLiteHandle) throws {
        try handle.run("PRAGMA synchronous = NORMAL", binds: [])
        try handle.run("PRAGMA foreign_keys = ON", binds: [])
    }
}

/// A lock that async callers wait for by suspending, served first come, first served.
final class AsyncLock: Sendable {
    private struct State {
        var isLocked = false
        var waiters = CircularBuffer<CheckedContinuation<Void, Never>>()
    }

    private let state = NIOLockedValueBox(State())

    /// Runs `body` while holding the lock.
    func withLock<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        await lock()
        defer { unlock() }
        return try await body()
    }

    private func lock() async {
        let acquired = state.withLockedValue { state in
            guard state.isLocked else {
                state.isLocked = true
                return true
            }
            return false
        }
        if acquired { return }
        await withCheckedContinuation { continuation in
            let acquiredMeanwhile = state.withLockedValue { state in
                guard state.isLocked else {
                    state.isLocked = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if acquiredMeanwhile { continuation.resume() }
        }
    }

    /// Hands the lock to the longest waiter, or frees it.
    private func unlock() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard let next = state.waiters.popFirst() else {
                state.isLocked = false
                return nil
            }
            return next  // the lock passes to it still held
        }
        next?.resume()
    }
}
