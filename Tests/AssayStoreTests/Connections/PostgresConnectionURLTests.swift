import AssayCore
import AssayTesting
import FluentPostgresDriver
import Foundation
import SQLKit
import Testing

@testable import AssayStore

/// `ASSAY_DATABASE_URL` forms: TCP, libpq's socket directory, PostgresKit's socket file, and the errors.
@Suite("PostgreSQL connection URLs")
struct PostgresConnectionURLTests {
    @Test("a TCP URL connects over TCP")
    func tcp() throws {
        #expect(try PostgresConnectionURL("postgres://assay:secret@db.example:6543/work").socketPath == nil)
        #expect(try PostgresConnectionURL("postgresql://assay@127.0.0.1/work?sslmode=disable").socketPath == nil)
    }

    @Test("libpq's host=/directory names the socket in it, on the given port or 5432")
    func libpqSocketDirectory() throws {
        #expect(try PostgresConnectionURL("postgres://assay@/work?host=/var/run/postgresql").socketPath
            == "/var/run/postgresql/.s.PGSQL.5432")
        #expect(try PostgresConnectionURL("postgresql://assay:pw@/work?host=/tmp/pg/&port=55432").socketPath
            == "/tmp/pg/.s.PGSQL.55432")
        #expect(try PostgresConnectionURL("postgres://assay@%2Fvar%2Frun%2Fpostgresql:5433/work").socketPath
            == "/var/run/postgresql/.s.PGSQL.5433")
    }

    @Test("a password percent-encoded reaches the server decoded; an upper-case scheme and an IPv6 host are read")
    func passwordsSchemesAndIPv6() throws {
        let socket = try PostgresConnectionURL("postgres://assay:p%40ss%2Fw%23rd@/work?host=/tmp/pg")
        #expect(socket.configuration.coreConfiguration.password == "p@ss/w#rd")
        #expect(try PostgresConnectionURL("POSTGRES://assay:secret@db.example/work").socketPath == nil)
        #expect(try PostgresConnectionURL("postgres://assay@[::1]:5432/work").socketPath == nil)
    }

    @Test("PostgresKit's postgres+uds:// names the socket file itself")
    func socketFile() throws {
        #expect(try PostgresConnectionURL("postgres+uds://assay@localhost/tmp/pg/.s.PGSQL.5432#work").socketPath
            == "/tmp/pg/.s.PGSQL.5432")
    }

    @Test(
        "a URL that names no server is refused with what is wrong, before anything connects",
        arguments: [
            ("mysql://assay@db/work", "must be a postgres://"),
            ("postgres://db.example/work", "names no user"),
            ("postgres://assay@/work", "names no host"),
            ("postgres://assay@/work?host=db.example", "must be a socket directory"),
            ("postgres://assay@/work?host=/tmp/pg&port=none", "port=none is not a port number"),
            ("postgres://assay@db.example:99999/work", "port 99999 is not a port number"),
            ("postgres+uds://assay@localhost:5432/tmp/pg/.s.PGSQL.5432", "socket file as its path"),
            ("postgres://assay@db.example/work?sslmode=sometimes", "check the port and the sslmode"),
            ("postgres://assay@/work?host=/tmp/pg&sslmode=sometimes", "sslmode=sometimes is not one of"),
            ("postgres://assay:a/b@db.example/work", "percent-encode"),
        ])
    func refused(url: String, reason: String) throws {
        let error = #expect(throws: AssayError.self) { try DatabaseLocation(path: "unused.sqlite", url: url) }
        guard case .invalidInput(let field, _, let message) = error else {
            Issue.record("expected invalid input, got \(String(describing: error))")
            return
        }
        #expect(field == "ASSAY_DATABASE_URL")
        #expect(message.contains(reason), "\(message)")
    }

    /// The test cluster's socket directory (`.ci/run` exports it); without it, locally, there is nothing to connect to.
    static var socketDirectory: String? {
        ProcessInfo.processInfo.environment["ASSAY_TEST_POSTGRES_SOCKET_DIR"].flatMap { $0.isEmpty ? nil : $0 }
    }

    @Test(
        "the store opens, migrates and works over the server's Unix socket",
        .enabled(if: socketDirectory != nil || ProcessInfo.processInfo.environment["CI"] == "true"))
    func storeOverTheSocket() async throws {
        let directory = try #require(Self.socketDirectory, "ASSAY_TEST_POSTGRES_SOCKET_DIR is not set (.ci/run sets it)")
        let (scratch, cleanup) = try await TestBackend.postgres.makeScratchLocation()
        guard case .postgres(let tcpURL) = scratch, let tcp = URLComponents(string: tcpURL), let user = tcp.user else {
            Issue.record("the scratch location is not a PostgreSQL URL")
            await cleanup()
            return
        }
        let socketURL = "postgres://\(user)@\(tcp.path)?host=\(directory)&port=\(tcp.port ?? 5432)"
        do {
            for (url, overSocket) in [(socketURL, true), (tcpURL, false)] {
                let database = try await AssayDatabase.open(try DatabaseLocation(path: "", url: url))
                do {
                    try await database.migrate()
                    // PostgreSQL reports no server address for a connection that came in over a Unix socket.
                    let row = try await database.store.sql().raw("SELECT inet_server_addr() IS NULL AS local").first()
                    #expect(try row?.decode(column: "local", as: Bool.self) == overSocket, "\(url)")
                    let queue = try await Fixtures.queue(database.store, name: "socket-\(overSocket)")
                    let items = try await Fixtures.items(database.store, into: queue, count: 3)
                    #expect(items.inserted == 3)
                    #expect(try await database.store.queues().contains { $0.id == queue.id })
                    try await database.close()
                } catch {
                    try? await database.close()
                    throw error
                }
            }
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }
}
