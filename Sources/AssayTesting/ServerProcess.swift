import Foundation

/// The built `assay` executable run as a separate process: for tests of several servers over one database,
/// and of the CLI as a user runs it.
public final class ServerProcess: @unchecked Sendable {
    /// The base URL it serves.
    public let baseURL: String
    /// Where the server's log goes, for a test to show when it fails.
    public let logFile: URL
    private let process: Process

    private init(baseURL: String, logFile: URL, process: Process) {
        self.baseURL = baseURL
        self.logFile = logFile
        self.process = process
    }

    /// The server's log so far.
    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// The `assay` binary beside the test bundle (`swift build --build-tests` builds both).
    public static func executable() throws -> URL {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL { candidates.append(bundle.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug"))
        for folder in candidates {
            var current = folder
            for _ in 0..<4 {
                let binary = current.appendingPathComponent("assay")
                if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
                current = current.deletingLastPathComponent()
            }
        }
        throw TestSetupError("cannot find the built `assay` executable; run `swift build --build-tests` first")
    }

    /// Runs `assay` with arguments to completion and returns its exit code and output.
    public static func run(_ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil)
        throws -> (status: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// Starts `assay serve` on a free port of 127.0.0.1 over the given PostgreSQL URL, and waits until it says
    /// where it serves.
    public static func serve(postgresURL: String) throws -> ServerProcess {
        try serve(arguments: [], environment: ["ASSAY_DATABASE_URL": postgresURL])
    }

    /// Starts `assay serve` on a free port of 127.0.0.1 over the given SQLite file, and waits until it says where it
    /// serves. Unlike a ``LiveServer``, it runs as users run it, with NIO as Swift's executor.
    public static func serve(sqlitePath: String, arguments: [String] = []) throws -> ServerProcess {
        try serve(arguments: ["--db", sqlitePath] + arguments, environment: ["ASSAY_DATABASE_URL": nil])
    }

    /// - Parameter changes: Variables to set, or to remove (nil), in the test's environment.
    private static func serve(arguments: [String], environment changes: [String: String?]) throws -> ServerProcess {
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in changes { environment[name] = value }
        let process = Process()
        process.executableURL = try executable()
        process.arguments = ["serve", "--hostname", "127.0.0.1", "--port", "0"] + arguments
        process.environment = environment
        // Both streams go to a file: a pipe nobody reads would fill up and stall the server.
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("assay-serve-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)  // a failure shows in the open below
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning {
            text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) {
                return ServerProcess(baseURL: String(text[range]), logFile: logFile, process: process)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw TestSetupError("assay serve did not start: \(text)")
    }

    /// Stops the server (SIGTERM) and waits for it to exit.
    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
