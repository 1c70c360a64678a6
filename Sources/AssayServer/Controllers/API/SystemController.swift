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

    /// 200 once the database answers; 503 otherwise.
    @Sendable func health(req: Request) async throws -> Response {
        do {
            _ = try await req.store.queues()
            return try await HealthResponse(status: "ok", database: req.application.assayDatabase.location.isPostgres ? "postgres" : "sqlite")
                .encodeResponse(for: req)
        } catch {
            let response = try await HealthResponse(status: "unavailable", database: "\(error)").encodeResponse(for: req)
            response.status = .serviceUnavailable
            return response
        }
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
    let status: String
    let database: String
}

/// The OpenAPI document shipped with the server, read once from the bundle.
enum OpenAPIDocument {
    static let yaml: Data = {
        guard let data = try? Data(contentsOf: ServerResources.folder.appendingPathComponent("openapi.yaml"))
        else { return Data("openapi: 3.1.0\ninfo: {title: Assay, version: missing}\npaths: {}\n".utf8) }
        return data
    }()
}
