import Vapor

/// A known address asked with a method it does not take answers 405 with `Allow`, not the router's 404: `DELETE
/// /api/v1/queues/ads` is not "no such thing", and a client should learn what it may do there.
///
/// Only a request the router found nothing for is looked at (a linear pass over the routes, which are few), so the
/// routes answered pay nothing.
struct MethodNotAllowed: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as any AbortError where error.status == .notFound && error.reason == HTTPResponseStatus.notFound.reasonPhrase {
            let segments = request.url.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            let allowed = Set(request.application.routes.all.filter { Self.matches($0.path, segments) }.map(\.method.rawValue))
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            let methods = (allowed.contains("GET") ? allowed.union(["HEAD"]) : allowed).sorted()
            throw Abort(
                .methodNotAllowed, headers: ["Allow": methods.joined(separator: ", ")],
                reason: "\(request.method.rawValue) is not a method of \(request.url.path); it takes \(methods.joined(separator: ", "))")
        }
    }

    /// Whether a route's path takes these segments, as the router would match them.
    static func matches(_ path: [PathComponent], _ segments: [String]) -> Bool {
        for (index, component) in path.enumerated() {
            switch component {
            case .catchall: return segments.count > index
            case .constant(let text): guard index < segments.count, segments[index] == text else { return false }
            case .parameter, .anything: guard index < segments.count else { return false }
            }
        }
        return path.count == segments.count
    }
}
