import Vapor

/// Serves the pages' style sheet and scripts under `/assets/`, from the server's own resources: no page loads
/// anything from outside the server.
///
/// A plain `Middleware` (see ``UnexpectedErrorLogger``): every other request passes straight on.
struct AssetMiddleware: Middleware {
    private let files: FileMiddleware

    init(folder: String) {
        files = FileMiddleware(publicDirectory: folder, defaultFile: nil, directoryAction: .none)
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.url.path.hasPrefix("/assets/"), request.method == .GET || request.method == .HEAD else {
            return next.respond(to: request)
        }
        return request.eventLoop.makeFutureWithTask { try await serveAsset(request) }
    }

    private func serveAsset(_ request: Request) async throws -> Response {
        // FileMiddleware looks the path up under its folder: strip the /assets prefix.
        let original = request.url
        request.url.path = String(request.url.path.dropFirst("/assets".count))
        defer { request.url = original }
        let response = try await files.respond(to: request, chainingTo: NotFoundResponder())
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        return response
    }
}

/// Answers 404 for an asset that is not there, instead of falling through to the routes.
private struct NotFoundResponder: AsyncResponder {
    func respond(to request: Request) async throws -> Response {
        throw Abort(.notFound, reason: "no such asset")
    }
}
