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
/// statement outside a transaction waits only for a reader thread, where it takes an idle reader (one is opened
/// when none is idle).
///
/// Every transaction runs on one event loop's thread, `eventLoop` (see ``transaction(_:)``), its statements inline.
/// Reads outside a transaction run on threads of their own (``readerThreads``), never on an event loop: a read can
/// take seconds (a page of a large export, a report over a big queue), and on an event loop it held up that loop's
/// requests, and on the writer's loop every write of the server (40 next-and-submit loops took 231 s instead of
/// 1.7 s beside one judgments export). The one wait that can be long inside a transaction, another process holding
/// the write lock (say `assay import` while `assay serve` runs), is taken off the writer's thread: the statement is
/// retried on the thread pool with a 30-second busy timeout.
final class SQLiteConnections: Sendable {
    let path: String
    /// The event loop whose thread runs the transactions.
    let eventLoop: any EventLoop
    let logger: Logger
    private let threadPool: NIOThreadPool
    private let writer: SQLiteHandle
    private let writeLock = AsyncLock()
    /// The group of transactions the writer's open SQLite transaction belongs to; changed only under `writeLock`.
    private let openGroup = NIOLockedValueBox<CommitGroup?>(nil)
    private let checkpointer: WALCheckpointer
    private let totals = NIOLockedValueBox(WriterStatistics.Totals())

    /// How many transactions are queued for the writer (a snapshot).
    var queuedTransactionCount: Int { writeLock.waiterCount }

    /// How many SQLite commits the writer has made: fewer than the transactions run when they were grouped.
    var commitCount: Int { totals.withLockedValue { $0.commits } }

    /// What the writer has done since the file was opened, and how many transactions wait for it now.
    var statistics: WriterStatistics {
        WriterStatistics(totals: totals.withLockedValue { $0 }, queuedTransactions: writeLock.waiterCount)
    }
    private let idleReaders = NIOLockedValueBox<Readers>(Readers())

    private struct Readers {
        var idle: [SQLiteHandle] = []
        var isClosed = false
    }

    /// How long a statement waits for another process's lock before failing, as the PostgreSQL pool waits.
    static let busyTimeoutMilliseconds: Int32 = 30_000

    /// The threads reads run on: several per core, so that a few long reads (reports, exports) leave the short ones
    /// (a token, the queue list, `/healthz`) threads to run on, shared by every SQLite file the process opens.
    /// Started once and never stopped (a static is never deinitialised); idle, its threads wait and cost nothing.
    static let readerThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(8, System.coreCount * 4))
        pool.start()
        return pool
    }()

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
            throw AssayError.unavailable(
                "SQLite could not switch \(path) to write-ahead logging (journal mode is '\(mode)'); "
                    + "use a local file system, or PostgreSQL")
        }
        writer.setBusyTimeout(milliseconds: 0)
        try Self.configure(writer)
        // Checkpoints run in the background (see ``WALCheckpointer``), not inside the writer's commits. The log is
        // cut back to 64 MiB after a burst (a bulk import) made it larger.
        try writer.run("PRAGMA wal_autocheckpoint = 0", binds: [])
        try writer.run("PRAGMA journal_size_limit = 67108864", binds: [])
        // The savepoints of a commit group keep each member's first change to every page in a statement journal,
        // which SQLite spills to a temporary file past 64 KiB: a file created, grown and dropped with every commit,
        // 6% of the server's CPU in the annotator loop and all of it while holding the writer. In memory it holds
        // at most the pages one group changes (12% more loops per second, median of five runs). The writer's sorts
        // and temporary tables stay in memory too: the bulk jobs peaked at the same memory (imports of 1M items
        // 74 MB, 1M judgments 91 MB).
        try writer.run("PRAGMA temp_store = MEMORY", binds: [])
        checkpointer = WALCheckpointer(path: path, threadPool: threadPool, logger: logger)
        checkpointer.start(restartingLogWith: { [weak self] in try await self?.restartLog() ?? false })
    }

    /// Stops the background checkpoints (for tests that need the log to grow until they start it over).
    func stopBackgroundCheckpoints() async {
        await checkpointer.stop()
    }

    /// Copies into the database file what the log still holds and starts the log over from its beginning, holding
    /// the writer so that nothing is committed meanwhile (see ``WALCheckpointer``). An open commit group is
    /// committed first. Never waits: with a reader still in the log, or a checkpoint or write of another
    /// connection under way, SQLite copies what it can and leaves the log as it is, for the next round.
    ///
    /// - Returns: whether the log was started over.
    @discardableResult
    func restartLog() async throws -> Bool {
        try await writeLock.withLock {
            if let group = openGroup.withLockedValue({ $0 }) { try await commit(group) }
            var busy = true
            _ = try writer.run("PRAGMA wal_checkpoint(RESTART)", binds: []) { row in
                if case .integer(let flag) = row["busy"] { busy = flag != 0 }
            }
            return !busy
        }
    }

    /// Runs `body` in one write transaction and commits if it returns; rolls back if it throws.
    ///
    /// Returns only once the work is committed. Transactions that queue for the writer share one commit (group
    /// commit): while others wait, a finished transaction leaves SQLite's transaction open for the next one, each
    /// running inside its own savepoint, and the last of the group commits for all. A commit writes every changed
    /// page to the log, and the pages the loop touches (queue counters, index pages) are mostly the same from one
    /// transaction to the next, so under load this halves the time each holds the writer. A transaction that
    /// throws is rolled back to its savepoint and leaves the others' work alone; a failed commit fails every
    /// transaction of its group, none of which has returned yet.
    ///
    /// Every transaction runs on the thread of one event loop, `eventLoop`, and the caller continues on its own loop
    /// afterwards. The writer's working set (the pages the loop keeps changing, the prepared statements, SQLite's
    /// cursors) then stays in one core's caches instead of following requests from core to core: in the annotator
    /// loop each transaction held the writer 15% less time, and the loop ran 25% more loops per second (median of
    /// five alternated runs each, 2,760 against 2,213), with a lower p99.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        // A caller on no event loop at all runs under Swift's default executor (as in tests), where a task resumed
        // by a loop does not stay on it: moving would only queue its transaction behind the loop's network work.
        guard let caller = MultiThreadedEventLoopGroup.currentEventLoop, caller !== eventLoop else {
            return try await transactionOnThisThread(body)
        }
        await eventLoop.continueCurrentTaskHere()
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await transactionOnThisThread(body))
        } catch {
            outcome = .failure(error)
        }
        // Back to the caller's loop (its connection's, for a request), so that the rest of its work, encoding the
        // response, is shared between the loops rather than added to the writer's.
        await caller.continueCurrentTaskHere()
        return try outcome.get()
    }

    private func transactionOnThisThread<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T)
        async throws -> T
    {
        let queuedAt = DispatchTime.now().uptimeNanoseconds
        let (outcome, pendingCommit) = try await writeLock.withLock { () async throws -> (Result<T, any Error>, CommitGroup?) in
            let startedAt = DispatchTime.now().uptimeNanoseconds
            defer {
                let endedAt = DispatchTime.now().uptimeNanoseconds
                totals.withLockedValue { totals in
                    totals.transactions += 1
                    totals.waitNanoseconds += startedAt - queuedAt
                    totals.busyNanoseconds += endedAt - startedAt
                }
            }
            let group = try await joinOrBeginGroup()
            let database = SQLiteDirectDatabase(connections: self, handle: writer)
            // The first transaction of a group needs no savepoint: on failure the whole SQLite transaction goes.
            let isFirst = group.members == 0
            if !isFirst { try writer.run("SAVEPOINT assay_unit", binds: []) }
            let outcome: Result<T, any Error>
            do {
                let value = try await body(database)
                if !isFirst { try writer.run("RELEASE assay_unit", binds: []) }
                outcome = .success(value)
            } catch {
                outcome = .failure(error)
                rollBack(group, firstMember: isFirst, after: error)
            }
            group.members += 1
            guard openGroup.withLockedValue({ $0 === group }) else { return (outcome, nil) }  // rolled back whole
            if writeLock.hasWaiters, group.members < Self.largestCommitGroup {
                // A waiting transaction continues the group and commits it, or passes it on. One that failed has
                // nothing in the group to wait for.
                if case .success = outcome { return (outcome, group) }
                return (outcome, nil)
            }
            try await commit(group)
            return (outcome, nil)
        }
        if let pendingCommit { try await pendingCommit.committed() }
        return try outcome.get()
    }

    /// The most transactions one commit covers: bounds how long the first of a group waits for its commit.
    static let largestCommitGroup = 16

    /// The open group the writer is in, or a new one with `BEGIN IMMEDIATE`. Called holding the write lock.
    private func joinOrBeginGroup() async throws -> CommitGroup {
        if let group = openGroup.withLockedValue({ $0 }) { return group }
        // A ROLLBACK that failed (an I/O error) can leave a transaction open; close it before starting anew.
        if !writer.isInAutocommitMode { _ = try? writer.run("ROLLBACK", binds: []) }
        // IMMEDIATE takes the write lock up front, so a read-then-write transaction never fails halfway with
        // SQLITE_BUSY when another process wrote in between; it waits for the lock here instead.
        try await run("BEGIN IMMEDIATE", binds: [], on: writer, retryingWhenBusy: true, onRow: { _ in })
        let group = CommitGroup()
        openGroup.withLockedValue { $0 = group }
        return group
    }

    /// Undoes one failed transaction of `group`: its savepoint, or the whole SQLite transaction when it was the
    /// group's first, when SQLite has already rolled everything back (a full disk, an I/O error), or when the
    /// savepoint cannot be rolled back. In those last cases the earlier members' work is gone, and they are told.
    private func rollBack(_ group: CommitGroup, firstMember: Bool, after error: any Error) {
        if !firstMember, !writer.isInAutocommitMode {
            do {
                try writer.run("ROLLBACK TO assay_unit", binds: [])
                try writer.run("RELEASE assay_unit", binds: [])
                return
            } catch {
                logger.error("SQLite could not roll back to a savepoint, rolling back the whole group: \(error)")
            }
        }
        openGroup.withLockedValue { $0 = nil }
        if !writer.isInAutocommitMode { _ = try? writer.run("ROLLBACK", binds: []) }
        group.finish(.failure(GroupRolledBack(underlying: error)))
    }

    /// Commits the open group and tells its waiting members. Called holding the write lock.
    private func commit(_ group: CommitGroup) async throws {
        openGroup.withLockedValue { $0 = nil }
        do {
            try await run("COMMIT", binds: [], on: writer, retryingWhenBusy: true, onRow: { _ in })
            checkpointer.noteCommit()
            totals.withLockedValue { $0.commits += 1 }
            group.finish(.success(()))
        } catch {
            _ = try? writer.run("ROLLBACK", binds: [])
            group.finish(.failure(error))
            throw error
        }
    }

    /// A database whose statements each run on an idle reader, outside any transaction.
    var readers: any SQLDatabase { SQLiteDirectDatabase(connections: self, handle: nil) }

    /// Closes every connection once running work is done; later calls fail with a clear error.
    func close() async {
        await checkpointer.stop()
        let idle = idleReaders.withLockedValue { readers in
            readers.isClosed = true
            defer { readers.idle.removeAll() }
            return readers.idle
        }
        for reader in idle { reader.close() }
        await writeLock.withLock {
            if let group = openGroup.withLockedValue({ $0 }) { try? await commit(group) }
            writer.close()
        }
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
        // A reader is taken on a reader thread, so that no more are open than the threads can use (taken before
        // the wait for a thread, a burst of requests opened a connection each, and kept them all).
        let wasRead = try await Self.readerThreads.runIfActive { () throws -> Bool in
            let reader = try self.checkOutReader()
            defer { self.checkIn(reader) }
            // Writes outside a transaction (job progress, a status change) take their turn on the writer, so they
            // queue with the transactions instead of competing for SQLite's file lock from a reader.
            guard try reader.isReadOnly(sql) else { return false }
            do {
                try reader.run(sql, binds: binds, onRow: onRow)
            } catch let failure as SQLiteHandle.Failure where failure.isBusy {
                // Another process holds a lock a reader needs (recovering the log, say): wait for it here, off
                // every event loop. The statement failed before doing anything, so running it again is safe.
                reader.setBusyTimeout(milliseconds: Self.busyTimeoutMilliseconds)
                defer { reader.setBusyTimeout(milliseconds: 0) }
                try reader.run(sql, binds: binds, onRow: onRow)
            }
            return true
        }
        if !wasRead {
            try await transaction { _ in try await self.run(sql, binds: binds, on: self.writer, onRow: onRow) }
        }
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
            guard !readers.isClosed else { throw AssayError.unavailable("the database is closed (the server is shutting down)") }
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

extension EventLoop {
    /// Moves the calling task onto this event loop's thread.
    ///
    /// A continuation resumed on an event loop continues there: `assay` installs NIO as Swift's global executor
    /// (see `Executable.swift`), and NIO keeps a task on the loop that enqueues it. Under another executor (the
    /// default one, in tests) the task continues wherever that executor puts it; nothing depends on the thread
    /// for correctness, only the caches do.
    func continueCurrentTaskHere() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            execute { continuation.resume() }
        }
    }
}

/// A lock that async callers wait for by suspending.
///
/// Unlocking frees the lock and wakes the longest waiter rather than handing the lock over: a woken task may wait
/// for a thread of the cooperative pool, and a lock handed over would sit idle all that time, stretching every
/// transaction by a scheduling delay (a lock convoy). So a task already running takes a free lock at once, and a
/// woken waiter that finds the lock taken again goes back to the front of the queue, to be woken next.
final class AsyncLock: Sendable {
    private struct State {
        var isLocked = false
        /// Resumed with `true` when the lock was taken for the waiter, `false` when woken to try again.
        var waiters = CircularBuffer<CheckedContinuation<Bool, Never>>()
    }

    private let state = NIOLockedValueBox(State())

    /// Whether a task is waiting for the lock (a snapshot).
    var hasWaiters: Bool { state.withLockedValue { !$0.waiters.isEmpty } }

    /// How many tasks are waiting for the lock (a snapshot).
    var waiterCount: Int { state.withLockedValue { $0.waiters.count } }

    /// Runs `body` while holding the lock.
    func withLock<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        await lock()
        defer { unlock() }
        return try await body()
    }

    private func lock() async {
        if tryLock() { return }
        var wasWoken = false
        while true {
            let holdsLock = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let acquired = state.withLockedValue { state in
                    guard state.isLocked else {
                        state.isLocked = true
                        return true
                    }
                    if wasWoken { state.waiters.prepend(continuation) } else { state.waiters.append(continuation) }
                    return false
                }
                if acquired { continuation.resume(returning: true) }
            }
            if holdsLock || tryLock() { return }
            wasWoken = true
        }
    }

    private func tryLock() -> Bool {
        state.withLockedValue { state in
            guard state.isLocked else {
                state.isLocked = true
                return true
            }
            return false
        }
    }

    /// Frees the lock and wakes the longest waiter, if any.
    private func unlock() {
        let next = state.withLockedValue { state in
            state.isLocked = false
            return state.waiters.popFirst()
        }
        next?.resume(returning: false)
    }
}

/// What a transaction whose work was committed in a group learns when a later member's storage failure (a full
/// disk, an I/O error) rolled the whole group back.
struct GroupRolledBack: Error, CustomStringConvertible {
    /// The storage error that rolled the group back (``StorageProblem`` reads it).
    var underlying: any Error
    var description: String { "the write was rolled back with its commit group after a storage error: \(underlying)" }
}

/// Transactions that share one SQLite commit, and the members waiting to hear how it went.
final class CommitGroup: Sendable {
    private struct State {
        var members = 0
        var outcome: Result<Void, any Error>?
        var waiting: [CheckedContinuation<Void, any Error>] = []
    }

    private let state = NIOLockedValueBox(State())

    /// How many transactions have run in the group (committed or rolled back to their savepoint).
    var members: Int {
        get { state.withLockedValue { $0.members } }
        set { state.withLockedValue { $0.members = newValue } }
    }

    /// Waits until the group is committed; throws what made the commit fail.
    func committed() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome = state.withLockedValue { state in
                if state.outcome == nil { state.waiting.append(continuation) }
                return state.outcome
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// Records the commit's outcome and wakes every waiting member.
    func finish(_ outcome: Result<Void, any Error>) {
        let waiting = state.withLockedValue { state in
            state.outcome = outcome
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for continuation in waiting { continuation.resume(with: outcome) }
    }
}
