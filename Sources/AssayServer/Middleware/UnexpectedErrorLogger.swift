import AssayCore
import Vapor

/// Logs the full description of errors the domain did not expect (database and driver errors), which Vapor
/// would otherwise report only by a generic message, then lets the error middleware answer as usual.
struct UnexpectedErrorLogger: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as any AbortError {
            throw error
        } catch {
            request.logger.error("\(request.method) \(request.url.path) failed: \(String(reflecting: error))")
            throw error
        }
    }
}
