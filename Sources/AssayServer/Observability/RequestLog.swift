import Vapor

/// One line per request, for `assay serve --log-requests`: method, path, the status answered and the time taken,
/// with the request id as metadata. Never the query: a token or a search pasted into one belongs in no log file.
///
/// Installed first, outside the error middleware, so an error is logged with the status it was answered with.
///
/// ```
/// notice: POST /api/v1/queues/comments-en/next 200 3.1 ms [request-id: …]
/// ```
struct RequestLog: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next.respond(to: request)
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        request.logger.notice(
            "\(request.method) \(request.url.path) \(response.status.code) \(String(format: "%.1f", milliseconds)) ms")
        return response
    }
}
