import AssayCore
import Vapor

/// Errors on pages as pages: a signed-out visitor goes to the sign-in form, anything else gets a short page
/// that says what went wrong, with the status the API would answer.
struct WebErrorPages: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as AssayError {
            if case .unauthenticated = error { return request.redirect(to: "/sign-in", redirectType: .normal) }
            let response = try await request.view.render("error", ErrorPage(status: Int(error.status.code), message: error.description))
                .encodeResponse(for: request)
            response.status = error.status
            return response
        }
    }
}

struct ErrorPage: Encodable {
    let status: Int
    let message: String
}
