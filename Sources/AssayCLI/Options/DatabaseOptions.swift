import ArgumentParser
import AssayServer
import AssayStore
import Foundation
import Logging

/// `--db PATH`, shared by every command that opens the workspace.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "The SQLite file (ignored when ASSAY_DATABASE_URL is set).")
    var path: String = "assay.sqlite"

    /// The SQLite file, or PostgreSQL when `ASSAY_DATABASE_URL` is set.
    func location() throws -> DatabaseLocation {
        try Settings.databaseLocation(path: path)
    }

    /// Opens and migrates the database, runs `body`, and closes it whatever happens.
    func withStore<T>(_ body: (Store) async throws -> T) async throws -> T {
        var logger = Logger(label: "assay.cli")
        logger.logLevel = .warning
        let database = try await AssayDatabase.open(try location(), logger: logger)
        do {
            try await database.migrate()
            let result = try await body(database.store)
            try await database.close()
            return result
        } catch {
            try? await database.close()
            throw error
        }
    }
}
