import AssayStore
import FluentKit
import FluentPostgresDriver
import Foundation
import Logging
import NIOPosix
import SQLKit

/// The databases every store and server test runs on: a SQLite file in a temporary folder, and PostgreSQL
/// from `ASSAY_TEST_POSTGRES_URL` (a server URL whose user may create databases).
///
/// Without that variable PostgreSQL is left out locally; under `CI=true` it stays in the list and its tests
/// fail, so a CI run can never pass on SQLite alone.
///
/// For example:
/// ```swift
/// @Test(arguments: TestBackend.allCases)
/// func importsItems(on backend: TestBackend) async throws {
///     try await backend.withDatabase { database in … }
/// }
/// ```
public enum TestBackend: String, Sendable, CaseIterable {
    /// A fresh SQLite file.
    case sqlite
    /// A fresh database on the PostgreSQL server.
    case postgres

    /// The backends to run on here.
    public static var allCases: [TestBackend] {
        let environment = ProcessInfo.processInfo.environment
        if environment["ASSAY_TEST_POSTGRES_URL"] != nil || environment["CI"] == "true" { return [.sqlite, .postgres] }
        return [.sqlite]
    }


    /// The server URL for PostgreSQL tests.
    public static func postgresServerURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["ASSAY_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw TestSetupError(
                "ASSAY_TEST_POSTGRES_URL is not set: PostgreSQL tests need a server (run .ci/run, which starts one)")
        }
        return url
    }

    /// A new, empty database location of this kind, and a cleanup that removes it.
    ///
    /// - Parameter postgresOptions: what follows `CREATE DATABASE name` on PostgreSQL (another collation, say).
    public func makeScratchLocation(postgresOptions: String = "") async throws
        -> (location: DatabaseLocation, cleanup: @Sendable () async -> Void)
    {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("assay.sqlite").path
            return (.sqlite(path: path), { try? FileManager.default.removeItem(at: folder) })
        case .postgres:
            let serverURL = try Self.postgresServerURL()
            let name = "assay_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            try await PostgresAdmin.run("CREATE DATABASE \(name) \(postgresOptions)", serverURL: serverURL)
            var parts = URLComponents(string: serverURL)!
            parts.path = "/" + name
            let url = parts.string!
            return (.postgres(url: url), {
                try? await PostgresAdmin.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", serverURL: serverURL)
            })
        }
    }

    /// Opens a fresh, migrated database, runs `body`, then closes and removes it.
    ///
    /// The store's random choices come from a fixed seed unless `chance` says otherwise (see ``LiveServer``).
    public func withDatabase<T>(
        chance: Chance = .seeded(1), postgresOptions: String = "", _ body: (AssayDatabase) async throws -> T
    ) async throws -> T {
        let (location, cleanup) = try await makeScratchLocation(postgresOptions: postgresOptions)
        let database = try await AssayDatabase.open(location, logger: Logger(label: "assay.test"), chance: chance)
        do {
            try await database.migrate()
            let result = try await body(database)
            try await database.close()
            await cleanup()
            return result
        } catch {
            try? await database.close()
            await cleanup()
            throw error
        }
    }
}

/// A setup problem in the test environment, with what to do about it.
public struct TestSetupError: Error, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    /// Makes the error.
    public init(_ description: String) {
        self.description = description
    }
}

/// Runs administrative statements (CREATE/DROP DATABASE) on the PostgreSQL server.
enum PostgresAdmin {
    static func run(_ statement: String, serverURL: String) async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let databases = Databases(threadPool: pool, on: MultiThreadedEventLoopGroup.singleton)
        let server = try DatabaseLocation(path: "", url: serverURL)
        databases.use(try server.configuration(connectionsPerEventLoop: 1), as: .init(string: "admin"))
        do {
            let database = databases.database(logger: Logger(label: "assay.test.admin"), on: MultiThreadedEventLoopGroup.singleton.any())!
            try await (database as! any SQLDatabase).raw(SQLQueryString(statement)).run()
        } catch {
            await databases.shutdownAsync()
            try? await pool.shutdownGracefully()
            throw error
        }
        await databases.shutdownAsync()
        try await pool.shutdownGracefully()
    }
}
