import ArgumentParser
import AssayStore
import Foundation
import Logging

/// `--db PATH`, shared by every command that opens the workspace.
///
/// The default is `ASSAY_DB` when set, else `./assay.sqlite`: `export ASSAY_DB=assay-demo.sqlite` points every
/// command at the demo's workspace.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "The SQLite file; ASSAY_DB, when set, is the default, and ASSAY_DATABASE_URL (PostgreSQL) takes precedence over both.")
    var path: String = ProcessInfo.processInfo.environment["ASSAY_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "assay.sqlite"

    /// The SQLite file, or PostgreSQL when `ASSAY_DATABASE_URL` is set.
    func location() throws -> DatabaseLocation {
        try DatabaseLocation(path: path, environment: ProcessInfo.processInfo.environment)
    }

    /// Opens and migrates the database, runs `body`, and closes it whatever happens.
    ///
    /// - Parameter creating: whether the command may start a new workspace when the SQLite file does not exist (adding
    ///   a person or a queue). Any other command refuses, rather than create an empty file and then report that the
    ///   queue or person it names "was not found": the usual cause is a mistyped `--db`, or the demo's file.
    func withStore<T>(creating: Bool = false, _ body: (Store) async throws -> T) async throws -> T {
        var logger = Logger(label: "assay.cli")
        logger.logLevel = .warning
        let location = try location()
        if !creating, case .sqlite(let file) = location {
            let hint = "(the demo's is assay-demo.sqlite: pass --db assay-demo.sqlite, or export ASSAY_DB=assay-demo.sqlite; "
                + "`assay serve` or `assay queues create` starts a new one)"
            guard FileManager.default.fileExists(atPath: file) else {
                throw CommandFailure(description: "no workspace at \(file): the file does not exist \(hint)")
            }
            // An empty file (made by `touch`, or a copy that failed) is no workspace either: opening it would make one.
            let target = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
            if let size = (try? FileManager.default.attributesOfItem(atPath: target))?[.size] as? NSNumber, size.intValue == 0 {
                throw CommandFailure(description: "no workspace at \(file): the file is empty \(hint)")
            }
        }
        let database = try await AssayDatabase.open(location, logger: logger)
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
