import AssayCore
import AsyncHTTPClient
import AssayStore
import AssayTesting
import Foundation
import NIOCore
import Testing

/// `assay serve` on SQLite run as users run it. The process installs NIO as Swift's executor, so each transaction
/// really moves to the writer's event loop and back (see `SQLiteConnections.transaction`); tests that serve from
/// inside the test runner run under its default executor, where the tasks stay put.
@Suite("assay serve on SQLite")
struct ServedSQLiteTests {
    @Test("24 concurrent annotators leave every item with exactly its overlap of judgments, from different people")
    func keepsOverlap() async throws {
        let (location, cleanup) = try await TestBackend.sqlite.makeScratchLocation()
        defer { Task { await cleanup() } }
        guard case .sqlite(let path) = location else { throw TestSetupError("a SQLite scratch location has a path") }
        let setup = try await AssayDatabase.open(location)
        try await setup.migrate()
        let queue = try await Fixtures.queue(setup.store, overlap: 2)
        try await Fixtures.items(setup.store, into: queue, count: 100)
        let people = try await Fixtures.annotators(setup.store, count: 24)
        try await setup.close()

        let server = try ServerProcess.serve(sqlitePath: path)
        let total: Int
        do {
            total = try await HTTPAnnotators.labelUntilEmpty(queue: queue.name, tokens: people.map(\.token), servers: [server])
        } catch {
            server.stop()
            throw error
        }
        server.stop()
        #expect(total == 200)

        let database = try await AssayDatabase.open(location)
        try await HTTPAnnotators.expectOverlapKept(in: database.store, queue: queue, items: 100)
        try await database.close()
    }

    @Test("--log-requests logs a line per request with its status and time, and never the query")
    func requestLog() async throws {
        let (location, cleanup) = try await TestBackend.sqlite.makeScratchLocation()
        defer { Task { await cleanup() } }
        guard case .sqlite(let path) = location else { throw TestSetupError("a SQLite scratch location has a path") }
        let server = try ServerProcess.serve(sqlitePath: path, arguments: ["--log-requests"])
        defer { server.stop() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        for address in ["/healthz", "/api/v1/me?token=assay_secret_in_the_query"] {
            _ = try await client.execute(HTTPClientRequest(url: server.baseURL + address), timeout: .seconds(10))
        }
        try await client.shutdown()
        var log = ""
        for _ in 0..<40 where !log.contains("GET /api/v1/me 401") {
            try await Task.sleep(for: .milliseconds(50))
            log = server.log
        }
        #expect(log.contains("GET /healthz 200") && log.contains("GET /api/v1/me 401"), "\(log)")
        #expect(log.contains(" ms") && !log.contains("assay_secret_in_the_query"), "\(log)")
    }
}
