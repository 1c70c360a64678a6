import AssayCore
import AssayStore
import Vapor

/// Logs the full description of errors the domain did not expect (database and driver errors), which Vapor
/// would otherwise report only by a generic message, then lets the error middleware answer as usual; a failure of
/// the database itself (a full disk, a lock another process holds) becomes the 503 that says so
/// (``StorageProblem``), noted for `/healthz` (``StorageHealth``).
///
/// A plain `Middleware`, like the others every API request passes through: Vapor runs each `AsyncMiddleware` in
/// a task of its own, and hands the request on through a future, for every request.
struct UnexpectedErrorLogger: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapErrorThrowing { error in
            throw Self.logged(error, for: request)
        }
    }

    /// The error to answer with, logged when the domain did not expect it.
    static func logged(_ error: any Error, for request: Request) -> any Error {
        guard !(error is any AbortError) else { return error }
        request.logger.error("\(request.method) \(request.url.path) failed: \(String(reflecting: error))")
        guard let problem = StorageProblem.assayError(for: error) else { return error }
        if StorageProblem.isLasting(error) { request.application.storageHealth.record("\(problem)", at: request.now) }
        return problem
    }
}
