import AssayCore
import AssayStore
import Foundation
import Vapor

/// Health and self-description: `GET /healthz`, `GET /openapi.yaml` and `GET /metrics` (Prometheus).
struct SystemController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz", use: health)
        routes.get("openapi.yaml", use: openAPI)
        routes.get("metrics", use: metrics)
    }

    /// 200 once the database answers; 503 `unavailable` when it does not, and 503 `degraded` for a minute after a
    /// request or job met a failure of the database itself (a full disk fails writes while reads still answer).
    @Sendable func health(req: Request) async throws -> Response {
        let kind = req.application.assayDatabase.location.isPostgres ? "postgres" : "sqlite"
        let health: HealthResponse
        do {
            _ = try await req.store.queues()
            if let problem = req.application.storageHealth.problem(now: req.now) {
                health = HealthResponse(status: "degraded", database: kind, problem: problem.message, problemAt: problem.at.ISO8601Format())
            } else {
                health = HealthResponse(status: "ok", database: kind)
            }
        } catch {
            // What is wrong in words a monitor can show ("PostgreSQL cannot be reached (connection refused)"), not the
            // driver's own text, which says nothing ("PSQLError – Generic description…").
            // Anyone may ask: an error that is not a known storage problem is told in the log, not here.
            let problem = StorageProblem.assayError(for: error)?.description
                ?? "the database did not answer (the server's log says why)"
            if StorageProblem.assayError(for: error) == nil {
                req.logger.warning("health check: the database did not answer: \(String(reflecting: error))")
            }
            health = HealthResponse(status: "unavailable", database: kind, problem: problem, problemAt: req.now.ISO8601Format())
        }
        let response = try await health.encodeResponse(for: req)
        if health.status != "ok" {
            response.status = .serviceUnavailable
            response.headers.replaceOrAdd(name: "Retry-After", value: "30")
        }
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The document as `application/yaml`; to a browser (which would download that), as plain text it shows.
    @Sendable func openAPI(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(data: OpenAPIDocument.yaml))
        if req.namesHTMLAmongAcceptedTypes {
            response.headers.replaceOrAdd(name: .contentType, value: "text/plain; charset=utf-8")
        } else {
            response.headers.contentType = HTTPMediaType(type: "application", subType: "yaml")
        }
        return response
    }

    /// The Prometheus text exposition (see ``ServerMetrics``), for an admin's or analyst's token.
    @Sendable func metrics(req: Request) async throws -> Response {
        try Policy.requireCanSeeMetrics(try req.actor())
        let response = Response(status: .ok, body: .init(string: try await ServerMetrics.exposition(of: req.store, now: req.now)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return response
    }
}

struct HealthResponse: Content {
    /// `ok`, `degraded` (the database answers, but a write failed within the last minute) or `unavailable`.
    let status: String
    /// `sqlite` or `postgres`; when unavailable, the error.
    let database: String
    /// When degraded: the failure, and when it was last met.
    var problem: String? = nil
    var problemAt: String? = nil

    enum CodingKeys: String, CodingKey {
        case status, database, problem
        case problemAt = "problem_at"
    }
}

/// The OpenAPI document shipped with the server, read once from the bundle (whose presence
/// ``configure(_:settings:)`` checks before the server starts).
enum OpenAPIDocument {
    static let yaml: Data = {
        do {
            return try Data(contentsOf: ServerResources.folder.appendingPathComponent("openapi.yaml"))
        } catch {
            // Removed after the start: say so where the document would be, rather than serve an empty API.
            return Data("# The OpenAPI document could not be read from the server's resources: \(error)\n".utf8)
        }
    }()
}
