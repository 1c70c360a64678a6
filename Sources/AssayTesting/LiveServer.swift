import AssayCore
import AssayServer
import AssayStore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Vapor

/// The real app on a free port of 127.0.0.1, over a fresh database, with an HTTP client to drive it.
///
/// Tests talk to it over real HTTP, as clients do, and read the database through `store` to check what
/// happened.
///
/// For example:
/// ```swift
/// try await LiveServer.with(.sqlite) { server in
///     let response = try await server.request(.GET, "/healthz")
///     #expect(response.status == .ok)
/// }
/// ```
public final class LiveServer: Sendable {
    /// The base URL, e.g. `http://127.0.0.1:53121`.
    public let baseURL: String
    /// The application (for its store and clock).
    public let app: Application
    /// The clock the server reads; tests move it forward to expire leases.
    public let clock: AdjustableTime
    /// An admin's API token.
    public let adminToken: String
    /// The HTTP client.
    public let client: HTTPClient

    private init(baseURL: String, app: Application, clock: AdjustableTime, adminToken: String, client: HTTPClient) {
        self.baseURL = baseURL
        self.app = app
        self.clock = clock
        self.adminToken = adminToken
        self.client = client
    }

    /// The store behind the server.
    public var store: Store { app.store }

    /// Starts a server on `backend`, runs `body`, and stops it and removes its database whatever happens.
    ///
    /// The store's random choices (gold draws, QA samples) come from a fixed seed unless `chance` says otherwise,
    /// so that a test's outcome depends on what it does, not on luck.
    public static func with<T>(
        _ backend: TestBackend, maxImportBytes: Int = 8 * 1024 * 1024, chance: Chance = .seeded(1),
        _ body: (LiveServer) async throws -> T
    ) async throws -> T {
        let (location, cleanup) = try await backend.makeScratchLocation()
        let clock = AdjustableTime()
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        // Redirects are answers to check (the pages redirect to /sign-in), not to follow.
        // A connection per concurrent client and a long wait for one: the whole suite shares two cores, and a test of
        // 32 concurrent annotators must not fail for want of a pooled connection while other suites train models.
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                redirectConfiguration: .disallow, timeout: .init(connect: .seconds(60)),
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))
        let jobs = FileManager.default.temporaryDirectory.appendingPathComponent("assay-jobs-\(UUID().uuidString)")
        // The jobs folder goes with the database: a suite run left thousands of them in the temporary directory.
        defer { try? FileManager.default.removeItem(at: jobs) }
        do {
            let settings = Settings(
                database: location, hostname: "127.0.0.1", port: 0, maxImportBytes: maxImportBytes,
                jobsDirectory: jobs.path, leaseSweepSeconds: 0.2, clock: clock, chance: chance)
            try await configure(app, settings: settings)
            let admin = try await app.store.createPerson(
                PersonDraft(externalID: "admin", name: "Admin", role: .admin), now: clock.now)
            let token = try await app.store.issueToken(for: admin.id, now: clock.now)
            let port = try await app.startServing()
            let server = LiveServer(
                baseURL: "http://127.0.0.1:\(port)", app: app, clock: clock, adminToken: token.value, client: client)
            let result = try await body(server)
            try await server.shutdown()
            await cleanup()
            return result
        } catch {
            try? await client.shutdown()
            try? await app.stopServing()
            await cleanup()
            throw error
        }
    }

    private func shutdown() async throws {
        try await client.shutdown()
        try await app.stopServing()
    }

    // MARK: - Requests

    /// One HTTP response: status, headers and the whole body.
    public struct Reply: Sendable {
        /// The status.
        public let status: HTTPResponseStatus
        /// The headers.
        public let headers: HTTPHeaders
        /// The body bytes.
        public let body: Data

        /// The body as text.
        public var text: String { String(decoding: body, as: UTF8.self) }

        /// The body decoded as JSON.
        public func json<T: Decodable>(_ type: T.Type = T.self) throws -> T {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(type, from: body)
        }

        /// The body as a JSON object.
        public func object() throws -> [String: JSONValue] {
            guard case .object(let object) = try json(JSONValue.self) else {
                throw TestSetupError("expected a JSON object, got: \(text.prefix(200))")
            }
            return object
        }

        /// The `reason` of a JSON error body.
        public var reason: String { (try? object()["reason"]?.stringValue) ?? text }
    }

    /// Sends a request; `token` defaults to the admin's (pass `nil` for none).
    public func request(
        _ method: HTTPMethod, _ path: String, token: String?? = .none, body: Data? = nil,
        contentType: String? = "application/json", headers: HTTPHeaders = [:]
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(contentsOf: headers)
        let bearer = token ?? adminToken
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if let body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            request.body = .bytes(ByteBuffer(data: body))
        }
        do {
            // A hang detector, not a speed check (benchmarks measure speed): the suites share two cores, and a
            // request may wait behind other suites' CPU-heavy work for many seconds without anything being wrong.
            let response = try await client.execute(request, timeout: .seconds(120))
            let bytes = try await response.body.collect(upTo: 256 * 1024 * 1024)
            return Reply(status: response.status, headers: response.headers, body: Data(buffer: bytes))
        } catch {
            throw TestSetupError("\(method) \(path) failed: \(error)")
        }
    }

    /// Sends a JSON body built from a JSON value.
    public func request(_ method: HTTPMethod, _ path: String, token: String?? = .none, json: JSONValue) async throws
        -> Reply
    {
        try await request(method, path, token: token, body: try JSONEncoder().encode(json))
    }
}
