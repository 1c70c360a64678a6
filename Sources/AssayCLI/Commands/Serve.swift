import ArgumentParser
import AssayCore
import AssayServer
import AssayStore
import Foundation
import Vapor
import Dispatch

/// `assay serve`: runs the HTTP API over the workspace.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the workspace over HTTP (API at /api/v1, health at /healthz, OpenAPI at /openapi.yaml).")

    @OptionGroup var database: DatabaseOptions

    @ArgumentParser.Option(help: "The address to listen on.")
    var hostname = "127.0.0.1"

    @ArgumentParser.Option(help: "The port to listen on (default: 8080; 0: any free port).", transform: ArgumentValues.port)
    var port = 8080

    @ArgumentParser.Flag(help: "Log every request: method, path (never the query), status and milliseconds.")
    var logRequests = false

    func run() async throws {
        let settings = Settings(
            database: try database.location(), hostname: hostname, port: port, logsRequests: logRequests)
        try await ServerRunner.run(settings: settings) { app in
            if let token = try await Bootstrap.adminTokenIfEmpty(app.store, now: app.clock.now) {
                Console.say("This workspace was empty: created user 'admin'. Its API token (shown once): \(token)")
            }
        }
    }
}

/// Starts the app on the settings, runs `prepare` once it is configured, prints the URL, and serves until
/// Ctrl-C or SIGTERM.
enum ServerRunner {
    /// Serves until interrupted. `lock`: the workspace's lock when the caller took it already (the demo, before it
    /// builds); otherwise it is taken here.
    static func run(settings: Settings, holding lock: ServeLock? = nil, prepare: (Application) async throws -> Void) async throws {
        var environment = Environment(name: "production", arguments: ["assay"])
        try LoggingSystem.bootstrap(from: &environment)
        let ownLock = lock == nil ? try ServeLock.acquire(for: settings.database) : nil
        defer { ownLock?.release() }
        let app = try await Application.make(environment)
        do {
            try await configure(app, settings: settings)
            try await prepare(app)
            let port = try await app.startServing()
            Console.say("Assay is serving \(settings.database) at http://\(settings.hostname):\(port)  (Ctrl-C to stop)")
            try await waitForInterrupt(on: app)
            try await app.stopServing()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Waits for SIGINT or SIGTERM, through a pipe its handler writes to (the self-pipe trick). Ignoring the signals
    /// and reading them with a dispatch source lost one now and then: a SIGTERM that landed on a thread that did
    /// not block it, or before the source was resumed, was ignored, and a test's server never stopped. A handler
    /// catches it on any thread; `write` is safe there. Once it came, a second one ends the process at once.
    private static func waitForInterrupt(on app: Application) async throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw AssayError.unavailable("cannot make a pipe to wait for Ctrl-C (errno \(errno))") }
        let readEnd = ends[0]
        stopSignalPipe = ends[1]
        for code in [SIGINT, SIGTERM] {
            signal(code) { _ in
                var byte: UInt8 = 1
                _ = write(stopSignalPipe, &byte, 1)
            }
        }
        await withCheckedContinuation { (stopped: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                var byte: UInt8 = 0
                // Again after EINTR, should the signal land on this thread; any other end of the read stops too.
                while read(readEnd, &byte, 1) < 0, errno == EINTR {}
                stopped.resume()
            }
        }
        for code in [SIGINT, SIGTERM] { signal(code, SIG_DFL) }
    }
}

/// The write end of the pipe ``ServerRunner`` waits on; set before the signal handlers that write to it.
nonisolated(unsafe) private var stopSignalPipe: Int32 = -1

/// What a brand-new workspace needs before anyone can sign in.
enum Bootstrap {
    /// Creates an `admin` user and returns its token when the workspace has nobody yet; otherwise `nil`.
    static func adminTokenIfEmpty(_ store: Store, now: Date) async throws -> String? {
        guard try await !store.hasPeople() else { return nil }
        let draft = PersonDraft(externalID: "admin", name: "Admin", role: .admin)
        return try await store.createPersonWithToken(draft, now: now).1.value
    }
}

/// Unbuffered lines on standard output: the URL and tokens must show at once, even through a pipe.
enum Console {
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
