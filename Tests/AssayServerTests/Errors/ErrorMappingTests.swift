import AssayCore
import AssayServer
import AssayTesting
import Testing
import Vapor

/// The one place domain errors become HTTP: each kind's status, and when to come back.
@Suite("Domain errors as HTTP")
struct ErrorMappingTests {
    @Test("a database that fails asks for 30 s; a moment of contention, for one")
    func retryAfter() {
        let failing = AssayError.unavailable("PostgreSQL cannot be reached")
        #expect(failing.status == .serviceUnavailable && failing.headers.first(name: "Retry-After") == "30")
        let busy = AssayError.busy("every open item this person may take was being claimed by others")
        #expect(busy.status == .serviceUnavailable && busy.headers.first(name: "Retry-After") == "1")
        #expect(busy.reason == "every open item this person may take was being claimed by others")
        #expect(AssayError.conflict("taken").headers.isEmpty)
    }
}

/// A known address asked with a method it does not take.
@Suite("Methods not allowed")
struct MethodNotAllowedTests {
    @Test("405 with Allow for a known path and another method; 404 for an unknown path", arguments: [TestBackend.sqlite])
    func methodNotAllowed(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            _ = try await Fixtures.queue(server.store, name: "ads")
            let wrong = try await server.request(.DELETE, "/api/v1/queues/ads")
            #expect(wrong.status == .methodNotAllowed, "\(wrong.text)")
            #expect(wrong.headers.first(name: "Allow") == "GET, HEAD", "\(wrong.headers)")
            #expect(wrong.reason == "DELETE is not a method of /api/v1/queues/ads; it takes GET, HEAD")
            let next = try await server.request(.GET, "/api/v1/queues/ads/next")
            #expect(next.status == .methodNotAllowed && next.headers.first(name: "Allow") == "POST")
            #expect(try await server.request(.GET, "/api/v1/nothing-here").status == .notFound)
            #expect(try await server.request(.GET, "/api/v1/queues/ads").status == .ok, "the routes answered are untouched")
        }
    }
}
