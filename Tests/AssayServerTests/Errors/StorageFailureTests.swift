import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import SQLKit
import Testing

/// A database that stops taking writes while it still answers reads: the request says so with a 503, and so does
/// `/healthz`, which otherwise read the queue list and answered `ok`.
@Suite("Storage failures")
struct StorageFailureTests {
    @Test("a full disk is a 503 with Retry-After that changes nothing, and /healthz is degraded for a minute after")
    func fullDisk() async throws {
        try await LiveServer.with(.sqlite) { server in
            let queue = try await Fixtures.queue(server.store)
            #expect(try await server.request(.GET, "/healthz").status == .ok)

            // SQLite's own ceiling on the database's pages, set on the writer, stands in for a full disk: a write that
            // needs a new page fails with SQLITE_FULL, as it would with no space left.
            let pages = try #require(try await server.store.sql().raw("PRAGMA page_count").first()).int("page_count")
            try await server.store.transaction { sql in try await sql.raw("PRAGMA max_page_count = \(unsafeRaw: String(pages))").run() }
            let rows = (1...300).map { #"{"external_id": "full-\#($0)", "text": "\#(String(repeating: "x", count: 2_000))"}"# }
            let refused = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/items", body: Data(rows.joined(separator: "\n").utf8),
                contentType: "application/x-ndjson")
            #expect(refused.status == .serviceUnavailable && refused.reason.contains("disk is full"), "\(refused.text)")
            #expect(refused.headers.first(name: "Retry-After") == "30")
            #expect(!refused.text.contains("INSERT"), "the SQL stays in the log")
            #expect(try await server.store.stats(of: queue.id).items == 0, "all or nothing")

            let degraded = try await server.request(.GET, "/healthz")
            #expect(degraded.status == .serviceUnavailable, "\(degraded.text)")
            let health = try degraded.object()
            #expect(health["status"] == .string("degraded") && health["database"] == .string("sqlite"))
            #expect(health["problem"]?.stringValue?.contains("disk is full") == true && health["problem_at"] != nil, "\(degraded.text)")

            // Space again: the next write works at once, and a minute without failures makes the server healthy.
            try await server.store.transaction { sql in try await sql.raw("PRAGMA max_page_count = 1073741823").run() }
            let imported = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/items", body: Data(rows.joined(separator: "\n").utf8),
                contentType: "application/x-ndjson")
            #expect(imported.status == .created, "\(imported.text)")
            #expect(try await server.request(.GET, "/healthz").status == .serviceUnavailable, "a minute, not one success")
            server.clock.advance(by: 61)
            let healthy = try await server.request(.GET, "/healthz")
            let problem = try healthy.object()["problem"]
            #expect(healthy.status == .ok && problem == nil, "\(healthy.text)")
        }
    }
}
