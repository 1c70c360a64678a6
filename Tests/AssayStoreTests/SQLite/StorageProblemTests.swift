import AssayCore
@testable import AssayStore
import AssayTesting
import AsyncKit
import FluentPostgresDriver
import Foundation
import Logging
import NIOPosix
import Testing
import VaporCSQLite

@Suite("Storage problems")
struct StorageProblemTests {
    @Test("a full disk, a lock held elsewhere and an unwritable file are 503s that say so; other SQLite errors are not")
    func mapped() {
        func problem(_ code: Int32) -> AssayError? {
            StorageProblem.assayError(for: SQLiteHandle.Failure(code: code, message: "…", sql: "INSERT INTO items …"))
        }
        guard case .unavailable(let full)? = problem(SQLITE_FULL) else { Issue.record("SQLITE_FULL"); return }
        #expect(full.contains("disk is full") && !full.contains("INSERT"), "the SQL stays in the log: \(full)")
        guard case .unavailable(let busy)? = problem(SQLITE_BUSY) else { Issue.record("SQLITE_BUSY"); return }
        #expect(busy.contains("write lock"))
        #expect(problem(SQLITE_IOERR | (3 << 8)) != nil, "extended codes count by their primary code")
        #expect(problem(SQLITE_CONSTRAINT) == nil && problem(SQLITE_ERROR) == nil, "a bug stays a 500")
        #expect(StorageProblem.assayError(for: AssayError.conflict("x")) == nil)
        // A full disk lasts until someone frees space; a lock held a while passes with the load.
        func failure(_ code: Int32) -> SQLiteHandle.Failure { SQLiteHandle.Failure(code: code, message: "…", sql: "…") }
        #expect(StorageProblem.isLasting(failure(SQLITE_FULL)) && !StorageProblem.isLasting(failure(SQLITE_BUSY)))
        // A write rolled back with its commit group answers for the failure that rolled it back.
        let grouped = GroupRolledBack(underlying: failure(SQLITE_FULL))
        guard case .unavailable? = StorageProblem.assayError(for: grouped) else { Issue.record("a rolled-back group is a 500"); return }
        #expect(StorageProblem.isLasting(grouped))
    }
}

@Suite("Database file mode")
struct DatabaseFileModeTests {
    @Test("a SQLite database Assay creates is its owner's only; one made before keeps the mode it had")
    func ownerOnly() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-mode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func mode(_ path: String) throws -> Int? { try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int }

        let fresh = folder.appendingPathComponent("fresh.sqlite").path
        let database = try await AssayDatabase.open(.sqlite(path: fresh))
        try await database.migrate()
        try await database.close()
        #expect(try mode(fresh) == 0o600)

        let shared = folder.appendingPathComponent("shared.sqlite").path
        _ = FileManager.default.createFile(atPath: shared, contents: nil, attributes: [.posixPermissions: 0o640])
        let earlier = try await AssayDatabase.open(.sqlite(path: shared))
        try await earlier.close()
        #expect(try mode(shared) == 0o640, "the owner's choice stands")
    }
}

@Suite("Storage problems on PostgreSQL")
struct PostgresStorageProblemTests {
    @Test("PostgreSQL out of reach and a pool with no free connection are 503s that say so")
    func unreachable() async throws {
        // A real refused connection: port 1 on loopback has no server.
        let configuration = PostgresConnection.Configuration(
            host: "127.0.0.1", port: 1, username: "assay", password: nil, database: "assay", tls: .disable)
        let refused: any Error
        do {
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1,
                logger: Logger(label: "test"))
            try await connection.close()
            Issue.record("a connection to port 1 was accepted")
            return
        } catch { refused = error }
        guard case .unavailable(let message)? = StorageProblem.assayError(for: refused) else {
            Issue.record("not a storage problem: \(refused)")
            return
        }
        #expect(message.contains("PostgreSQL cannot be reached") && message.contains("connection refused"), "\(message)")

        guard case .unavailable(let busy)? = StorageProblem.assayError(for: ConnectionPoolTimeoutError.connectionRequestTimeout)
        else { Issue.record("a pool timeout is not a storage problem"); return }
        #expect(busy.contains("no database connection came free"))
    }

    /// Sent at once after the server ended the connection, a statement is never answered by PostgresNIO 1.33: the
    /// watch fails it (``WatchedConnection``).
    @Test("statements sent on a connection PostgreSQL has just ended fail within seconds as 503s that say so",
          .enabled(if: TestBackend.allCases.contains(.postgres)))
    func terminated() async throws {
        let url = try #require(URLComponents(string: try TestBackend.postgresServerURL()))
        let configuration = PostgresConnection.Configuration(
            host: url.host ?? "127.0.0.1", port: url.port ?? 5432, username: url.user ?? "postgres", password: url.password,
            database: String(url.path.dropFirst()).nilIfBlank ?? "postgres", tls: .disable)
        let logger = Logger(label: "test")
        let victim = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: logger)
        let killer = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 2, logger: logger)
        var pid: Int32 = 0
        for try await value in try await victim.query("SELECT pg_backend_pid()", logger: logger).decode(Int32.self) { pid = value }
        for try await _ in try await killer.query("SELECT pg_terminate_backend(\(pid))", logger: logger).decode(Bool.self) {}
        try await killer.close()
        var problems: [String] = []
        for _ in 0..<2 {
            do {
                try await WatchedConnection(victim).raw("SELECT 1").run()
                Issue.record("a statement on a terminated connection succeeded")
            } catch {
                guard case .unavailable(let message)? = StorageProblem.assayError(for: error) else {
                    Issue.record("not a storage problem: \(String(reflecting: error))")
                    continue
                }
                problems.append(message)
            }
        }
        try? await victim.close()
        #expect(problems.count == 2 && problems.allSatisfy { $0.contains("PostgreSQL") && $0.contains("try again shortly") }, "\(problems)")
    }
}

private extension String {
    var nilIfBlank: String? { isEmpty ? nil : self }
}
