import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// Copies committed pages from the write-ahead log back into the database file, in the background.
///
/// By default SQLite checkpoints inside the commit that makes the log pass 1,000 pages: that commit copies the
/// pages and syncs the file while holding the one write lock, and every transaction queued behind it waits. With
/// the annotator loop writing about ten pages a transaction, that was one commit in a hundred costing a sync, and
/// half of all time spent in COMMIT. So the writer turns automatic checkpoints off and this runs a `PASSIVE`
/// checkpoint on its own connection, on the thread pool, a few times a second when something was committed.
/// A passive checkpoint never waits for the writer or readers; it copies what no reader still needs, and SQLite
/// starts the log over from the beginning once everything is copied.
final class WALCheckpointer: Sendable {
    private let path: String
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let interval: Duration
    private let commitsSinceCheckpoint = NIOLockedValueBox(0)
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(path: String, threadPool: NIOThreadPool, logger: Logger, interval: Duration = .milliseconds(200)) {
        self.path = path
        self.threadPool = threadPool
        self.logger = logger
        self.interval = interval
    }

    /// Starts checkpointing; `stop()` ends it.
    func start() {
        let loop = Task { [self] in await run() }
        task.withLockedValue { $0 = loop }
    }

    /// Notes a commit, so that the next round has something to copy.
    func noteCommit() {
        commitsSinceCheckpoint.withLockedValue { $0 += 1 }
    }

    /// Stops the loop and waits for a checkpoint in progress to end.
    func stop() async {
        let loop = task.withLockedValue { task in
            defer { task = nil }
            return task
        }
        loop?.cancel()
        await loop?.value
    }

    private func run() async {
        var connection: SQLiteHandle?
        defer { connection?.close() }
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let commits = commitsSinceCheckpoint.withLockedValue { count in
                defer { count = 0 }
                return count
            }
            guard commits > 0, !Task.isCancelled else { continue }
            do {
                let handle = try connection ?? SQLiteHandle(path: path)
                connection = handle
                _ = try await threadPool.runIfActive { try handle.run("PRAGMA wal_checkpoint(PASSIVE)", binds: []) }
            } catch {
                // Another process's checkpoint in progress (SQLITE_BUSY) or a shutting-down pool: try next round.
                logger.debug("WAL checkpoint skipped: \(error)")
            }
        }
    }
}
