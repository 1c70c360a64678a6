import AssayCore
import AssayTesting
import Foundation
import Testing

@testable import AssayStore

/// A PostgreSQL that cannot be used stops `AssayDatabase.open` with the place and the reason, and closes what it
/// opened (a pool left open trips AsyncKit's assertion when it is freed, which crashed `assay serve` in debug builds).
@Suite("Unreachable databases")
struct DatabaseUnavailableTests {
    @Test("a port nobody listens on: refused, with the URL's password hidden")
    func refused() async throws {
        let port = try UnusedPort.make()
        let url = "postgres://assay:secret@127.0.0.1:\(port)/assay"
        let error = try await #require(throws: DatabaseUnavailable.self) {
            _ = try await AssayDatabase.open(try DatabaseLocation(path: "", url: url))
        }
        #expect(error.description == "cannot use PostgreSQL at postgres://assay:***@127.0.0.1:\(port)/assay: connection refused")
    }

    @Test("a socket directory with no server in it")
    func noSocket() async throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let error = try await #require(throws: DatabaseUnavailable.self) {
            _ = try await AssayDatabase.open(try DatabaseLocation(path: "", url: "postgres://assay@/assay?host=\(folder.folder.path)"))
        }
        #expect(error.reason == "no such file or directory", "\(error)")
    }

    @Test(
        "a server that answers but refuses: its own message",
        .enabled(if: TestBackend.allCases.contains(.postgres)))
    func serverRefuses() async throws {
        guard var server = URLComponents(string: try TestBackend.postgresServerURL()) else { throw TestSetupError("bad URL") }
        server.path = "/assay_no_such_database"
        let noDatabase = try await #require(throws: DatabaseUnavailable.self) {
            _ = try await AssayDatabase.open(try DatabaseLocation(path: "", url: server.string!))
        }
        #expect(noDatabase.reason == #"database "assay_no_such_database" does not exist"#, "\(noDatabase)")

        server.path = "/postgres"
        server.user = "assay_no_such_role"
        let noRole = try await #require(throws: DatabaseUnavailable.self) {
            _ = try await AssayDatabase.open(try DatabaseLocation(path: "", url: server.string!))
        }
        #expect(noRole.reason.contains("assay_no_such_role"), "\(noRole)")
    }
}
