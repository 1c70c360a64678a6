import AssayStore
import Foundation

/// The built `assay` binary run as a user runs it, on a scratch database of one backend (`--db FILE` for SQLite,
/// `ASSAY_DATABASE_URL` for PostgreSQL), in a scratch folder for the files a test writes.
///
/// ```swift
/// try await CLISandbox.with(.sqlite) { cli in
///     let queue = try cli.write("queue.json", #"{"name": "q", "schema": …}"#)
///     #expect(try cli.assay(["queues", "create", queue]).status == 0)
/// }
/// ```
public struct CLISandbox: Sendable {
    /// Where the test's files go.
    public let folder: URL
    private let location: DatabaseLocation
    private let environment: [String: String]
    private let databaseArguments: [String]

    /// Runs `body` with a sandbox, and removes its database and folder whatever happens.
    public static func with<T>(_ backend: TestBackend, _ body: (CLISandbox) async throws -> T) async throws -> T {
        let (location, cleanup) = try await backend.makeScratchLocation()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var environment = ["ASSAY_DATABASE_URL": ""]
        var arguments: [String] = []
        switch location {
        case .sqlite(let path): arguments = ["--db", path]
        case .postgres(let url): environment["ASSAY_DATABASE_URL"] = url
        }
        let sandbox = CLISandbox(folder: folder, location: location, environment: environment, databaseArguments: arguments)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let result = try await body(sandbox)
            await cleanup()
            return result
        } catch {
            await cleanup()
            throw error
        }
    }

    /// Runs `assay` with `arguments` and the sandbox's database; returns its exit status and output.
    public func assay(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try ServerProcess.run(arguments + databaseArguments, environment: environment, currentDirectory: folder)
    }

    /// Starts `assay` with `arguments` and the sandbox's database without waiting for it: for tests that stop a
    /// command midway (say, kill it as a crash would). Its output goes to `output` in the sandbox's folder.
    public func launch(_ arguments: [String], output: String) throws -> Process {
        let process = Process()
        process.executableURL = try ServerProcess.executable()
        process.arguments = arguments + databaseArguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = folder
        let log = folder.appendingPathComponent(output)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)  // a failure shows in the open below
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Runs `body` on the sandbox's database opened (and migrated) in this process, to set up or check what a
    /// command cannot show.
    public func store<T>(_ body: (Store) async throws -> T) async throws -> T {
        let database = try await AssayDatabase.open(location)
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

    /// Writes a file in the sandbox's folder and returns its path.
    public func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
