import Vapor

extension ErrorMiddleware {
    /// Vapor's default error middleware, but for what it logs: the path, never the query. A token or a search put
    /// in a query string went into the server's log with every error answered (`url: /api/v1/me?token=…`).
    ///
    /// Errors answer as Vapor's do, `{"error": true, "reason": "…"}` with the error's status and headers; what
    /// the domain did not expect answers 500 with its description outside release builds, "Something went wrong."
    /// in them.
    static func withoutQueries(environment: Environment) -> ErrorMiddleware {
        ErrorMiddleware { request, error in
            let status: HTTPResponseStatus
            let reason: String
            var headers: HTTPHeaders
            switch error {
            case let abort as any AbortError:
                (status, reason, headers) = (abort.status, abort.reason, abort.headers)
            case let debuggable as any DebuggableError:
                (status, reason, headers) = (.internalServerError, debuggable.reason, [:])
            default:
                (status, reason, headers) = (
                    .internalServerError, environment.isRelease ? "Something went wrong." : String(describing: error), [:])
            }
            let metadata: Logger.Metadata = [
                "method": "\(request.method.rawValue)", "path": "\(request.url.path)",
                "userAgent": .array(request.headers["User-Agent"].map { "\($0)" }),
            ]
            if status == .unauthorized || status == .forbidden {
                // Refused access is worth seeing by default: repeated bad tokens are how guessing shows.
                request.logger.notice("\(reason)", metadata: metadata)
            } else if status.code < 500 {
                // The client's mistake, answered with its reason: at info, below what `assay serve` shows by
                // default, or a fuzzer's (or one bad script's) 4xx would bury the warnings that need someone.
                request.logger.info("\(reason)", metadata: metadata)
            } else {
                request.logger.report(error: error, metadata: metadata)
            }
            var body = request.byteBufferAllocator.buffer(capacity: 0)
            do {
                try JSONEncoder().encode(ErrorBody(error: true, reason: reason), to: &body, headers: &headers)
            } catch {
                body = request.byteBufferAllocator.buffer(string: "{\"error\": true}")
                headers.contentType = .json
            }
            return Response(status: status, headers: headers, body: .init(buffer: body, byteBufferAllocator: request.byteBufferAllocator))
        }
    }

    /// The JSON of every error answer.
    private struct ErrorBody: Encodable {
        let error: Bool
        let reason: String
    }
}
