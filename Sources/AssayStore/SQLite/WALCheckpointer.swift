import Logging
import NIOConcurrencyHelpers
import NIOPosix
import SQLiteNIO

/// Copies committed pages from the write-ahead log back into the database file, in the background.
///
/// By default SQLite checkpoints inside the commit that makes the log pass 1,000 pages: that commit copies the
/// pages and syncs the file while holding the one write lock, and every transaction queued behind it waits. With
/// the annotator loop writing about ten pages a transaction, that was one commit in a hundred costing a sync, and
/// half of all time spent in COMMIT. So the writer turns automatic checkpoints off and this runs a `PASSIVE`
/// checkpoint on its own connection, on the thread pool, a few times a second when something was committed.
/// A passive checkpoint never waits for the writer or readers; it copies what no reader still needs.
///
/// SQLite starts the log over from its beginning only when a write transaction begins with every frame already
/// copied. Under steady writes that never happens by itself: commits keep adding frames while a background
/// checkpoint copies the earlier ones, so the log grew without end (about 300 MB in 15 seconds of the annotator
/// loop), and every frame written extended the file, which the file system pays for with a fresh block to allocate
/// and zero (5% of the server's CPU in that loop). So once the log passes ``restartFrames``, a round also copies
/// the few frames the passive checkpoint missed while holding the writer, and starts the log over
/// (`wal_checkpoint(RESTART)`, see ``SQLiteConnections/restartLog()``). The writer pauses for that copy, about a
/// millisecond in the loop; the log then stays near 64 MiB, written over in place. A limit of 16 MiB kept the
/// loop's log at 25 MiB, but slowed an import of 1M judgments from 78 s to 90–105 s, its copies under the writer
/// coming four times as often.
final class WALCheckpointer: Sendable {
    private let path: String
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let interval: Duration
    private let restartFrames: Int
    private let commitsSinceCheckpoint = NIOLockedValueBox(0)
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    /// The log's length, in frames (pages), past which a round starts it over: 64 MiB of 4 KiB pages, the size
    /// SQLite cuts the log back to after a restart (`journal_size_limit`).
    static let restartFrames = 16_384

    init(
        path: String, threadPool: NIOThreadPool, logger: Logger, interval: Duration = .milliseconds(200),
        restartFrames: Int = WALCheckpointer.restartFrames
    ) {
        self.path = path
        self.threadPool = threadPool
        self.logger = logger
        self.interval = interval
        self.restartFrames = restartFrames
    }

    /// Starts checkpointing; `stop()` ends it. `restartLog` copies what is left and starts the log over while
    /// holding the writer.
    func start(restartingLogWith restartLog: @escaping @Sendable () async throws -> Bool) {
        let loop = Task { [self] in await run(restartLog) }
        task.withLockedValue { $0 = loop }
    }

    /// Notes a commit, so that the next round has something to copy.
    func noteCommit() { noteCommits(1) }

    private func noteCommits(_ count: Int) {
        commitsSinceCheckpoint.withLockedValue { $0 += count }
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

    private func run(_ restartLog: @Sendable () async throws -> Bool) async {
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
                // The log's length in frames, or -1 when another connection's checkpoint was under way.
                let logFrames = try await threadPool.runIfActive { () throws -> Int in
                    var frames = -1
                    _ = try handle.run("PRAGMA wal_checkpoint(PASSIVE)", binds: []) { row in
                        if case .integer(let count) = row["log"] { frames = Int(count) }
                    }
                    return frames
                }
                guard logFrames >= 0 else {
                    noteCommits(commits)  // nothing was copied: the next round tries again
                    continue
                }
                if logFrames >= restartFrames, try await !restartLog() {
                    logger.debug("WAL restart deferred: a reader or another process is still in the log")
                }
            } catch {
                // A shutting-down pool, or the file locked by another process: try again next round.
                noteCommits(commits)
                logger.debug("WAL checkpoint skipped: \(error)")
            }
        }
    }
}
