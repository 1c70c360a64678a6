import AssayCore
import AssayTesting
import Foundation
import Logging
import NIOPosix
import SQLKit
import SQLiteNIO
import Testing

@testable import AssayStore

/// The store's own SQLite connections: one writer behind an async lock, pooled readers, and the wait for
/// another process's write lock taken off the caller's thread.
@Suite("SQLite connections")
struct SQLiteConnectionsTests {
    /// A fresh file with the schema, opened twice as two processes would: two writers on one file.
    private func withTwoOpenings(_ body: (AssayDatabase, AssayDatabase) async throws -> Void) async throws {
        let (location, cleanup) = try await TestBackend.sqlite.makeScratchLocation()
        let first = try await AssayDatabase.open(location)
        try await first.migrate()
        let second = try await AssayDatabase.open(location)
        do {
            try await body(first, second)
        } catch {
            try await second.close()
            try await first.close()
            await cleanup()
            throw error
        }
        try await second.close()
        try await first.close()
        await cleanup()
    }

    @Test("200 concurrent transactions on one database: each runs alone, none is lost")
    func concurrentTransactionsAreSerialised() async throws {
        try await TestBackend.sqlite.withDatabase { database in
            let store = database.store
            try await store.transaction { sql in
                try await sql.raw("CREATE TABLE tally (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)").run()
                try await sql.raw("INSERT INTO tally (id, n) VALUES (1, 0)").run()
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<200 {
                    group.addTask {
                        // Read, then write what was read plus one: only correct if no other transaction interleaves.
                        try await store.transaction { sql in
                            let n = try await sql.raw("SELECT n FROM tally WHERE id = 1").first()!.int("n")
                            await Task.yield()
                            try await sql.raw("UPDATE tally SET n = \(bind: n + 1) WHERE id = 1").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let total = try await store.sql().raw("SELECT n FROM tally WHERE id = 1").first()!.int("n")
            #expect(total == 200)
        }
    }

    /// Runs `transactions` with all of them queued behind one held transaction before any runs, so that they
    /// form commit groups whatever else the machine is doing.
    private func runQueued<T: Sendable>(
        _ count: Int, on store: Store, _ transaction: @escaping @Sendable (Int) async throws -> T
    ) async throws -> [T] {
        let connections = store.sqliteConnections!
        let inside = AsyncFlag()
        let release = AsyncFlag()
        let holder = Task {
            try await store.transaction { _ in
                await inside.raise()
                await release.wait()
            }
        }
        await inside.wait()
        return try await withThrowingTaskGroup(of: T.self) { group in
            for n in 0..<count { group.addTask { try await transaction(n) } }
            while connections.queuedTransactionCount < count { try await Task.sleep(for: .milliseconds(2)) }
            await release.raise()
            try await holder.value
            return try await group.reduce(into: [T]()) { $0.append($1) }
        }
    }

    @Test("queued transactions share commits, and each returns only once its work is visible to readers")
    func queuedTransactionsShareCommits() async throws {
        try await TestBackend.sqlite.withDatabase { database in
            let store = database.store
            try await store.transaction { sql in try await sql.raw("CREATE TABLE rows (n INTEGER PRIMARY KEY)").run() }
            let commitsBefore = store.sqliteConnections!.commitCount
            _ = try await runQueued(200, on: store) { n in
                try await store.transaction { sql in try await sql.raw("INSERT INTO rows (n) VALUES (\(bind: n))").run() }
                // A reader sees only committed data: the row must be there the moment the call returns.
                let seen = try await store.sql().raw("SELECT n FROM rows WHERE n = \(bind: n)").first()
                #expect(seen != nil, "row \(n) not yet committed when its transaction returned")
            }
            let commits = store.sqliteConnections!.commitCount - commitsBefore
            // The held transaction and 200 behind it, at most 16 to a commit.
            #expect(commits <= 1 + 200 / 16 + 1, "200 queued transactions made \(commits) commits")
            #expect(try await store.sql().raw("SELECT count(*) AS c FROM rows").first()!.int("c") == 200)
        }
    }

    @Test("a transaction that throws inside a commit group rolls back alone")
    func failureInsideAGroupRollsBackAlone() async throws {
        try await TestBackend.sqlite.withDatabase { database in
            let store = database.store
            try await store.transaction { sql in try await sql.raw("CREATE TABLE rows (n INTEGER PRIMARY KEY)").run() }
            let commitsBefore = store.sqliteConnections!.commitCount
            let outcomes = try await runQueued(150, on: store) { n -> Int? in
                do {
                    try await store.transaction { sql in
                        try await sql.raw("INSERT INTO rows (n) VALUES (\(bind: n))").run()
                        if n % 3 == 0 { throw AssayError.conflict("transaction \(n) gives up") }
                        if n % 3 == 1 { try await sql.raw("INSERT INTO rows (n) VALUES (\(bind: n))").run() }
                    }
                    return nil
                } catch {
                    let expected = n % 3 == 0 ? "transaction \(n) gives up" : "UNIQUE constraint failed"
                    #expect("\(error)".contains(expected), "transaction \(n): \(error)")
                    return n
                }
            }
            let failed = Set(outcomes.compactMap { $0 })
            #expect(failed == Set((0..<150).filter { $0 % 3 != 2 }))
            let kept = try await store.sql().raw("SELECT n FROM rows ORDER BY n").all(decodingColumn: "n", as: Int.self)
            #expect(kept == (0..<150).filter { $0 % 3 == 2 })
            #expect(store.sqliteConnections!.commitCount - commitsBefore < 50, "50 successful transactions, each committed alone")
        }
    }

    @Test("committed pages are copied back into the database file in the background")
    func checkpointsRunInTheBackground() async throws {
        try await TestBackend.sqlite.withDatabase { database in
            let store = database.store
            let path = store.sqliteConnections!.path
            try await store.transaction { sql in try await sql.raw("CREATE TABLE blobs (b TEXT NOT NULL)").run() }
            let sizeBefore = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
            let chunk = String(repeating: "x", count: 100_000)
            for _ in 0..<30 {
                try await store.transaction { sql in try await sql.raw("INSERT INTO blobs (b) VALUES (\(bind: chunk))").run() }
            }
            // The writer never checkpoints; only the background checkpointer grows the main file by the 3 MB.
            var size = sizeBefore
            for _ in 0..<100 where size < sizeBefore + 3_000_000 {
                try await Task.sleep(for: .milliseconds(50))
                size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
            }
            #expect(size >= sizeBefore + 3_000_000, "the database file stayed at \(size) bytes")
        }
    }

    @Test("a log started over is written again from its beginning, so the file stops growing")
    func restartedLogIsWrittenOverInPlace() async throws {
        try await TestBackend.sqlite.withDatabase { database in
            let store = database.store
            let logPath = store.sqliteConnections!.path + "-wal"
            try await store.transaction { sql in try await sql.raw("CREATE TABLE blobs (b TEXT NOT NULL)").run() }
            let chunk = String(repeating: "x", count: 100_000)
            func writeEightMegabytes() async throws {
                for _ in 0..<80 {
                    try await store.transaction { sql in try await sql.raw("INSERT INTO blobs (b) VALUES (\(bind: chunk))").run() }
                }
            }
            // Without the background checkpoints nothing copies the log back, so SQLite cannot start it over by
            // itself (it does when a write finds the log fully copied, which under steady load never happens).
            await store.sqliteConnections!.stopBackgroundCheckpoints()
            try await writeEightMegabytes()
            let before = try FileManager.default.attributesOfItem(atPath: logPath)[.size] as! Int
            #expect(try await store.sqliteConnections!.restartLog())
            try await writeEightMegabytes()
            let after = try FileManager.default.attributesOfItem(atPath: logPath)[.size] as! Int
            #expect(before > 8_000_000)
            #expect(after < before + 1_000_000, "the log grew from \(before) to \(after) bytes after it was started over")
        }
    }

    @Test("a checkpoint round that finds the log past its limit asks for it to be started over")
    func longLogIsStartedOver() async throws {
        try await TestBackend.sqlite.withDatabase { database in
            let store = database.store
            // About 250 pages in the log: past a limit of 100, far below the store's own.
            try await store.transaction { sql in try await sql.raw("CREATE TABLE blobs (b TEXT NOT NULL)").run() }
            let chunk = String(repeating: "x", count: 100_000)
            for _ in 0..<10 {
                try await store.transaction { sql in try await sql.raw("INSERT INTO blobs (b) VALUES (\(bind: chunk))").run() }
            }
            let threadPool = NIOThreadPool(numberOfThreads: 1)
            threadPool.start()
            let checkpointer = WALCheckpointer(
                path: store.sqliteConnections!.path, threadPool: threadPool, logger: Logger(label: "test"),
                interval: .milliseconds(10), restartFrames: 100)
            let asked = AsyncFlag()
            checkpointer.noteCommit()
            checkpointer.start(restartingLogWith: {
                await asked.raise()
                return true
            })
            let waited = Task {
                try await Task.sleep(for: .seconds(10))
                await asked.raise()
            }
            await asked.wait()
            waited.cancel()
            let timedOut = await (try? waited.value) != nil
            await checkpointer.stop()
            try await threadPool.shutdownGracefully()
            #expect(!timedOut, "no round asked for the log to be started over within 10 seconds")
        }
    }

    @Test("a failed transaction rolls back and the writer stays usable")
    func failureRollsBack() async throws {
        try await TestBackend.sqlite.withDatabase { database in
            let store = database.store
            try await store.transaction { sql in try await sql.raw("CREATE TABLE notes (text TEXT NOT NULL)").run() }
            await #expect(throws: AssayError.self) {
                try await store.transaction { sql in
                    try await sql.raw("INSERT INTO notes (text) VALUES ('kept?')").run()
                    throw AssayError.conflict("stop")
                }
            }
            await #expect(throws: (any Error).self) {
                try await store.transaction { sql in try await sql.raw("INSERT INTO notes (text) VALUES (NULL)").run() }
            }
            try await store.transaction { sql in try await sql.raw("INSERT INTO notes (text) VALUES ('kept')").run() }
            let texts = try await store.sql().raw("SELECT text FROM notes").all(decodingColumn: "text", as: String.self)
            #expect(texts == ["kept"])
        }
    }

    @Test("a writer in another process holding the lock makes a transaction wait, not fail")
    func waitsForAnotherWriter() async throws {
        try await withTwoOpenings { first, second in
            try await first.store.transaction { sql in try await sql.raw("CREATE TABLE log (who TEXT NOT NULL)").run() }
            let holding = AsyncFlag()
            let holder = Task {
                try await first.store.transaction { sql in
                    try await sql.raw("INSERT INTO log (who) VALUES ('first')").run()
                    await holding.raise()
                    try await Task.sleep(for: .milliseconds(400))
                }
            }
            await holding.wait()
            // SQLITE_BUSY at BEGIN IMMEDIATE: the store retries on the thread pool with a busy timeout. Having waited
            // for the first writer's commit, the second transaction sees its row. (Wall-clock checks were flaky
            // under a loaded test run.)
            let sawFirst = try await second.store.transaction { sql in
                let seen = try await sql.raw("SELECT count(*) AS n FROM log WHERE who = 'first'").first()!.int("n")
                try await sql.raw("INSERT INTO log (who) VALUES ('second')").run()
                return seen
            }
            try await holder.value
            #expect(sawFirst == 1, "it waited for the first writer's commit")
            let order = try await second.store.sql().raw("SELECT who FROM log ORDER BY rowid").all(decodingColumn: "who", as: String.self)
            #expect(order == ["first", "second"])
        }
    }

    @Test("readers see committed writes and run beside a transaction")
    func readersRunBesideTheWriter() async throws {
        try await TestBackend.sqlite.withDatabase { database in
            let store = database.store
            try await store.transaction { sql in
                try await sql.raw("CREATE TABLE numbers (n INTEGER NOT NULL)").run()
                try await sql.raw("INSERT INTO numbers (n) VALUES (1)").run()
            }
            let inside = AsyncFlag()
            let release = AsyncFlag()
            let writer = Task {
                try await store.transaction { sql in
                    try await sql.raw("INSERT INTO numbers (n) VALUES (2)").run()
                    await inside.raise()
                    await release.wait()
                }
            }
            await inside.wait()
            // WAL: readers are not blocked by the open write transaction, and do not see it before it commits.
            let during = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await store.sql().raw("SELECT count(*) AS c FROM numbers").first()!.int("c") }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(during == Array(repeating: 1, count: 20))
            await release.raise()
            try await writer.value
            #expect(try await store.sql().raw("SELECT count(*) AS c FROM numbers").first()!.int("c") == 2)
        }
    }

    @Test("a write outside a transaction waits its turn on the writer; a read does not")
    func writesOutsideTransactionsQueueOnTheWriter() async throws {
        try await TestBackend.sqlite.withDatabase { database in
            let store = database.store
            try await store.transaction { sql in
                try await sql.raw("CREATE TABLE events (text TEXT NOT NULL)").run()
            }
            let inside = AsyncFlag()
            let release = AsyncFlag()
            let writer = Task {
                try await store.transaction { sql in
                    try await sql.raw("INSERT INTO events (text) VALUES ('in the transaction')").run()
                    await inside.raise()
                    await release.wait()
                }
            }
            await inside.wait()
            let outside = Task { try await store.sql().raw("INSERT INTO events (text) VALUES ('outside')").run() }
            // A read goes ahead at once, beside the open transaction, and sees neither write yet.
            #expect(try await store.sql().raw("SELECT count(*) AS c FROM events").first()!.int("c") == 0)
            await release.raise()
            try await writer.value
            try await outside.value
            let texts = try await store.sql().raw("SELECT text FROM events ORDER BY rowid").all(decodingColumn: "text", as: String.self)
            #expect(texts == ["in the transaction", "outside"])
        }
    }

    @Test("a statement is compiled once and runs again with new binds without being compiled again")
    func cachedStatementsStayCompiled() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("assay-handle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let handle = try SQLiteHandle(path: directory.appendingPathComponent("db.sqlite").path)
        defer { handle.close() }
        try handle.run("CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER NOT NULL, state TEXT NOT NULL)", binds: [])
        let insert = "INSERT INTO t (id, k, state) VALUES (?1, ?2, 'open')"
        for id in 0..<50 { try handle.run(insert, binds: [.integer(id), .integer(id % 5)]) }
        // The shapes of the next-item query (ORDER BY … LIMIT 1) and of the current guideline version (MAX): SQLite
        // 3.54 lets their plans depend on the value bound to `k = ?`, so clearing the binds after each run would
        // expire them, and every run would compile them again.
        let first = "SELECT id FROM t WHERE k = ?1 AND state = 'open' ORDER BY id LIMIT 1"
        let last = "SELECT MAX(id) AS id FROM t WHERE k = ?1"
        var found: [Int] = []
        // Values outside 0…1: SQLite does compile again, by design, when a value moves into or out of 0…1.
        for k in [2, 3, 4, 2, 3, 7] {
            try handle.run(first, binds: [.integer(k)]) { row in found.append(row["id"]?.integer ?? -1) }
            try handle.run(last, binds: [.integer(k)]) { row in found.append(row["id"]?.integer ?? -1) }
        }
        #expect(found == [2, 47, 3, 48, 4, 49, 2, 47, 3, 48, -1])
        #expect(handle.recompilations(of: first) == 0)
        #expect(handle.recompilations(of: last) == 0)
        #expect(handle.recompilations(of: insert) == 0)
        // Binds are never carried over: a call with too few is refused, not run with the last call's values.
        #expect(throws: SQLiteHandle.Failure.self) { try handle.run(first, binds: []) }
    }

    @Test("an in-memory SQLite path is refused with a clear error", arguments: [":memory:", ""])
    func inMemoryIsRefused(path: String) async throws {
        let error = await #expect(throws: AssayError.self) { _ = try await AssayDatabase.open(.sqlite(path: path)) }
        #expect(error?.description.contains("in-memory SQLite database is not supported") == true)
    }

    @Test("after close, calls fail with a clear error")
    func closedDatabaseFailsClearly() async throws {
        let (location, cleanup) = try await TestBackend.sqlite.makeScratchLocation()
        let database = try await AssayDatabase.open(location)
        try await database.migrate()
        try await database.close()
        let error = await #expect(throws: (any Error).self) { _ = try await database.store.queues() }
        #expect("\(error!)".contains("closed"))
        await cleanup()
    }
}

/// A one-way signal between tasks.
private actor AsyncFlag {
    private var raised = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func raise() {
        raised = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }

    func wait() async {
        if raised { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
