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

    private static func waitForInterrupt(on app: Application) async throws {
        let promise = app.eventLoopGroup.next().makePromise(of: Void.self)
        let queue = DispatchQueue(label: "assay.signals")
        let sources = [SIGINT, SIGTERM].map { code in
            signal(code, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: code, queue: queue)
            source.setEventHandler { promise.succeed(()) }
            source.resume()
            return source
        }
        try await promise.futureResult.get()
        sources.forEach { $0.cancel() }
    }
}

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
