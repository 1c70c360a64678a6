import AssayCore
import Vapor

/// Logs the full description of errors the domain did not expect (database and driver errors), which Vapor
/// would otherwise report only by a generic message, then lets the error middleware answer as usual.
///
/// A plain `Middleware`, like the others every API request passes through: Vapor runs each `AsyncMiddleware` in
/// a task of its own, and hands the request on through a future, for every request.
struct UnexpectedErrorLogger: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapErrorThrowing { error in
            if !(error is any AbortError) {
                request.logger.error("\(request.method) \(request.url.path) failed: \(String(reflecting: error))")
            }
            throw error
        }
    }
}
