import AssayCore
import AssayStore
import Vapor

/// Signs in browser requests by their session cookie, so that the pages and their scripts use the same API as
/// every other client. A request that changes something (any method but GET and HEAD) must also carry the
/// session's CSRF token, in the `X-CSRF-Token` header or a form's `csrf` field: the cookie alone, which a
/// browser attaches to requests another site triggers, is not enough.
///
/// A plain `Middleware` (see ``UnexpectedErrorLogger``): a request without the cookie, or already signed in by a
/// token, passes straight on.
struct WebSessionAuthenticator: Middleware {
    static let cookieName = "assay_session"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard !request.auth.has(Actor.self), let secret = request.cookies[Self.cookieName]?.string else {
            return next.respond(to: request)
        }
        return request.eventLoop.makeFutureWithTask { try await Self.signIn(request, bySession: secret) }
            .flatMap { next.respond(to: request) }
    }

    /// Signs the request in when `secret` names a live session, checking the CSRF token of a request that changes
    /// something.
    private static func signIn(_ request: Request, bySession secret: String) async throws {
        guard let session = try await request.store.webSession(TokenSecret(secret), now: request.now) else { return }
        if request.method != .GET, request.method != .HEAD {
            guard try await csrfToken(of: request) == session.csrfToken else {
                throw AssayError.forbidden("this form or request lacks the page's CSRF token; reload the page and try again")
            }
        }
        request.auth.login(Actor(person: session.person))
        request.webPage = WebPageContext(csrfToken: session.csrfToken, secret: secret)
    }

    /// The token a request sent: the header, or the `csrf` field of a form body.
    private static func csrfToken(of request: Request) async throws -> String? {
        if let header = request.headers.first(name: "X-CSRF-Token") { return header }
        guard request.headers.contentType == .urlEncodedForm else { return nil }
        _ = try await request.body.collect(max: 64 * 1024).get()
        return try? request.content.get(String.self, at: "csrf")
    }
}

/// What a page needs from the session that signed the request in.
struct WebPageContext: Sendable {
    let csrfToken: String
    let secret: String
}

extension Request {
    private struct WebPageKey: StorageKey {
        typealias Value = WebPageContext
    }

    /// Set when the request came from a signed-in browser.
    var webPage: WebPageContext? {
        get { storage[WebPageKey.self] }
        set { storage[WebPageKey.self] = newValue }
    }
}
