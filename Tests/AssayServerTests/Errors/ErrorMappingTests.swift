import AssayCore
import AssayServer
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
