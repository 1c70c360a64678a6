import NIOCore
import AssayCore
import AssayStore
import Leaf
import LeafKit
import Vapor

/// Builds the application: opens and migrates the database, installs middleware and routes.
///
/// `assay serve`, `assay demo` and every server test call this one function, so they run the same app.
///
/// For example:
/// ```swift
/// let app = try await Application.make(.development)
/// try await configure(app, settings: Settings(database: .sqlite(path: "assay.sqlite")))
/// try await app.execute()
/// ```
public func configure(_ app: Application, settings: Settings) async throws {
    ServerMetrics.install()
    app.http.server.configuration.hostname = settings.hostname
    app.http.server.configuration.port = settings.port
    app.clock = settings.clock
    app.importByteLimit = settings.maxImportBytes
    try ServerResources.requirePresent()
    // JSON bodies (queue drafts with hundreds of labels, judgments with long rationales) outgrow Vapor's 16 KiB.
    app.routes.defaultMaxBodySize = "2mb"

    let database = try await AssayDatabase.open(
        settings.database, eventLoopGroup: app.eventLoopGroup, threadPool: app.threadPool, logger: app.logger,
        chance: settings.chance)
    do {
        try await database.migrate()
    } catch {
        // Not yet the app's, so the app's shutdown would not close it.
        try? await database.close()
        throw error
    }
    app.assayDatabase = database
    // Now, before anything else that may fail: the app's shutdown then closes the database (a read-only file failed
    // the jobs' start-up writes below, and the pool, never closed, stopped a debug build on an assertion).
    app.lifecycle.use(DatabaseCloser())
    app.jobUploadByteLimit = settings.maxJobUploadBytes
    app.storageHealth = StorageHealth()
    app.jobs = try JobRunner(
        folder: settings.resolvedJobsDirectory, store: database.store, clock: settings.clock, logger: app.logger,
        health: app.storageHealth)
    try await app.jobs.failInterruptedJobs(startingUp: true)
    await app.jobs.removeLeftovers()
    // Registered after the closer, so it runs before it: handlers shut down in reverse order.
    app.lifecycle.use(JobStopper())
    app.lifecycle.use(PeriodicTask(name: "interrupted jobs", interval: .seconds(60)) { app in
        try await app.jobs.failInterruptedJobs()
        await app.jobs.removeExpiredExports()
    })
    app.lifecycle.use(PeriodicTask(name: "lease sweep", interval: .milliseconds(Int64(settings.leaseSweepSeconds * 1000))) {
        try await $0.store.reclaimExpiredLeases(now: $0.clock.now)
    })
    app.lifecycle.use(PeriodicTask(name: "consensus re-estimate", interval: .milliseconds(Int64(settings.consensusSeconds * 1000))) {
        try await $0.store.estimateStaleConsensus(now: $0.clock.now)
    })

    // Errors first, so that it renders what every later middleware and route throws.
    app.middleware = Middlewares()
    // At notice, the level `assay serve` logs at unless LOG_LEVEL says otherwise: asked for, they are shown.
    if settings.logsRequests { app.middleware.use(RequestLog()) }
    app.middleware.use(ErrorMiddleware.withoutQueries(environment: app.environment))
    // A browser asking for an address with no page, or posting a form without its CSRF token, gets a page.
    app.middleware.use(WebErrorPages(onlyForBrowsers: true))
    app.middleware.use(RequestBodyErrors())
    app.middleware.use(NULInAddress())
    app.middleware.use(UnexpectedErrorLogger())
    app.tokenCache = TokenCache()
    app.middleware.use(TokenAuthenticator(cache: app.tokenCache))
    app.middleware.use(WebSessionAuthenticator())
    useShippedViews(app)
    app.middleware.use(AssetMiddleware(folder: ServerResources.folder.appendingPathComponent("Public").path + "/"))
    app.middleware.use(MethodNotAllowed())
    try routes(app)
}

/// Renders pages with Leaf from the templates in the server's resource bundle, so `assay` runs from any folder. The
/// bundle sits in .build/, a hidden folder, which Leaf's default file source refuses to read from.
func useShippedViews(_ app: Application) {
    let views = ServerResources.folder.appendingPathComponent("Views").path + "/"
    app.leaf.sources = .singleSource(NIOLeafFiles(
        fileio: app.fileio, limits: [.toSandbox, .requireExtensions], sandboxDirectory: views, viewDirectory: views))
    app.views.use(.leaf)
}

extension Application {
    private struct ImportLimitKey: StorageKey {
        typealias Value = Int
    }

    /// The largest import body accepted, in bytes.
    var importByteLimit: Int {
        get { storage[ImportLimitKey.self] ?? Settings.defaultMaxImportBytes }
        set { storage[ImportLimitKey.self] = newValue }
    }

    private struct JobUploadLimitKey: StorageKey {
        typealias Value = Int
    }

    /// The largest upload an import job accepts, in bytes.
    var jobUploadByteLimit: Int {
        get { storage[JobUploadLimitKey.self] ?? Settings.defaultMaxJobUploadBytes }
        set { storage[JobUploadLimitKey.self] = newValue }
    }
}

/// Marks the jobs this server is running failed as it shuts down, so no job is left "running" for ever.
struct JobStopper: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await application.jobs.stopAll()
    }
}

/// Closes the database pools when the application shuts down.
struct DatabaseCloser: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        try? await application.assayDatabase.close()
    }
}

extension Application {
    /// Runs the lifecycle handlers and binds the HTTP server on the configured address; returns the bound port
    /// (useful with port 0). The CLI and the live-server tests both start the app this way.
    ///
    /// - Throws: ``ListenError`` when the address cannot be listened on (the port is taken, say).
    public func startServing() async throws -> Int {
        try await asyncBoot()
        let configuration = http.server.configuration
        do {
            try await server.start(address: .hostname(configuration.hostname, port: configuration.port))
        } catch let error as IOError {
            throw ListenError(hostname: configuration.hostname, port: configuration.port, errno: error.errnoCode)
        }
        return http.server.shared.localAddress?.port ?? configuration.port
    }

    /// Stops the HTTP server and shuts the application down.
    public func stopServing() async throws {
        await server.shutdown()
        try await asyncShutdown()
    }
}

/// The server cannot listen where it was asked to: the port is taken, is below 1024 without the right to it, or
/// the host name is not an address of this machine.
///
/// ```swift
/// "\(error)"  // "cannot listen on 127.0.0.1:8080: the port is in use (another server listens there; choose another with --port)"
/// ```
public struct ListenError: Error, CustomStringConvertible {
    public let hostname: String
    public let port: Int
    /// The operating system's error number.
    public let errno: Int32

    public var description: String {
        let reason = switch errno {
        case EADDRINUSE: "the port is in use (another server listens there; choose another with --port)"
        case EACCES: "no permission (ports below 1024 are for root; choose another with --port)"
        case EADDRNOTAVAIL: "the address is not one of this machine's (check --hostname)"
        default: String(cString: strerror(errno)).lowercased()
        }
        return "cannot listen on \(hostname):\(port): \(reason)"
    }
}
