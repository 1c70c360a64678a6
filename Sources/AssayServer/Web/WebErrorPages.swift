import AssayCore
import Vapor

/// Errors on pages as pages: a signed-out visitor goes to the sign-in form (and comes back after signing in),
/// anything else gets a short page that says what went wrong, with the status the API would answer.
///
/// On the page routes it answers every error. Installed for the whole app with `onlyForBrowsers`, it answers only
/// what a browser asked for as a page (outside `/api/`, accepting HTML): an address with no page, or a form that
/// lost its CSRF token. API clients keep their JSON errors.
///
/// On the page routes every answer, page or error, is marked `Cache-Control: no-store`: on a workstation a BPO
/// floor shares, Back after signing out showed the last person's workbench or dashboard from the browser's cache.
/// Nor may another site frame a page (a hidden workbench under a decoy would take a person's key presses), and
/// nothing is read as another type than the one sent.
struct WebErrorPages: AsyncMiddleware {
    var onlyForBrowsers = false

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await pageOrError(request, next)
        if !onlyForBrowsers {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
            // Scripts only from the server's own files (no inline script, no handler attribute): whatever a page shows
            // of people's text (guidelines, items, notes), nothing in it can run.
            response.headers.replaceOrAdd(
                name: "Content-Security-Policy",
                value: "frame-ancestors 'none'; script-src 'self'; object-src 'none'; base-uri 'none'")
            response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
            response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        }
        return response
    }

    private func pageOrError(_ request: Request, _ next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as AssayError {
            guard !onlyForBrowsers || Self.isPageRequest(request) else { throw error }
            if case .unauthenticated = error {
                return request.redirect(to: WebController.signInPath(returningTo: request.url), redirectType: .normal)
            }
            return try await Self.page(status: error.status, message: error.description, for: request)
        } catch let error as any AbortError {
            guard !onlyForBrowsers || Self.isPageRequest(request) else { throw error }
            let message = error.status == .notFound && error.reason == HTTPResponseStatus.notFound.reasonPhrase
                ? "There is no page at \(request.url.path)." : error.reason
            return try await Self.page(status: error.status, message: message, for: request)
        } catch {
            // What the domain did not expect (a database or driver error). Outside the page routes it goes on to
            // the logger and Vapor's error middleware; on them it is logged here and answered as a page, so that
            // it too carries `no-store`: a 503 saying what is wrong for a failure of the database itself.
            guard !onlyForBrowsers else { throw error }
            if let problem = UnexpectedErrorLogger.logged(error, for: request) as? AssayError {
                let response = try await Self.page(status: problem.status, message: problem.description, for: request)
                for (name, value) in problem.headers { response.headers.replaceOrAdd(name: name, value: value) }
                return response
            }
            return try await Self.page(
                status: .internalServerError, message: "Something went wrong on the server; it has been logged.", for: request)
        }
    }

    /// Whether a browser asked for a page: not the API, and HTML named among the types accepted.
    private static func isPageRequest(_ request: Request) -> Bool {
        !request.url.path.hasPrefix("/api/") && request.namesHTMLAmongAcceptedTypes
    }

    /// The error as a page: inside the site's top bar for someone signed in (so they can go on or sign out), on its
    /// own for anyone else.
    private static func page(status: HTTPResponseStatus, message: String, for request: Request) async throws -> Response {
        let heading = "\(status.code) · \(status.reasonPhrase)"
        let view: View
        if request.auth.has(Actor.self), let chrome = try? Chrome(request, title: heading) {
            view = try await request.view.render("error-signed-in", ErrorPage(heading: heading, message: message, chrome: chrome))
        } else {
            view = try await request.view.render("error", ErrorPage(heading: heading, message: message, chrome: nil))
        }
        let response = try await view.encodeResponse(for: request)
        response.status = status
        return response
    }
}

struct ErrorPage: Encodable {
    /// `404 · Not Found`.
    let heading: String
    let message: String
    let chrome: Chrome?
}

extension Request {
    /// Whether the `Accept` header names `text/html`: a browser's. Named, not matched: Vapor's media types compare
    /// equal to a wildcard, and curl and Prometheus send `*/*`, so a scraper of `/metrics` without a token was once
    /// sent to the sign-in form, and `curl /openapi.yaml` got plain text.
    var namesHTMLAmongAcceptedTypes: Bool {
        headers.accept.mediaTypes.contains { $0.type.lowercased() == "text" && $0.subType.lowercased() == "html" }
    }
}
