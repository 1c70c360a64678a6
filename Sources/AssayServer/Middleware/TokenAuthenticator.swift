import AssayCore
import AssayStore
import Foundation
import Synchronization
import Vapor

extension Actor: Authenticatable {}

/// Turns `Authorization: Bearer <token>` into an ``Actor`` by looking up the token's hash.
///
/// A missing or unknown token leaves the request unauthenticated; ``Request/actor()`` then answers 401.
/// Known tokens are remembered for a few seconds (``TokenCache``), so the annotator loop does not pay a
/// database round trip per request for authentication. A plain `Middleware` (see ``UnexpectedErrorLogger``):
/// only a token missing from the cache starts a task, to look it up.
struct TokenAuthenticator: Middleware {
    let cache: TokenCache

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard let token = request.headers.bearerAuthorization?.token else { return next.respond(to: request) }
        let now = request.now
        if let person = cache.person(for: token, now: now) {
            request.auth.login(Actor(person: person))
            return next.respond(to: request)
        }
        return request.eventLoop.makeFutureWithTask {
            guard let person = try await request.store.person(authenticatedBy: TokenSecret(token)) else { return }
            cache.remember(person, for: token, now: now)
            request.auth.login(Actor(person: person))
        }.flatMap { next.respond(to: request) }
    }
}

/// Recently verified tokens and their people, for `lifetime` seconds.
///
/// The lifetime bounds how long a revoked token, or a change to a person's status, can go unnoticed by another
/// server over the same database: 5 seconds by default. The server that made the change forgets the person's
/// entries at once (``forget(_:)``). Unknown tokens are never cached, so a new token works at once.
final class TokenCache: Sendable {
    private let lifetime: TimeInterval
    private let entries = Mutex<[String: (person: Person, expires: Date)]>([:])

    init(lifetime: TimeInterval = 5) {
        self.lifetime = lifetime
    }

    func person(for token: String, now: Date) -> Person? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard entry.expires > now else {
                entries[token] = nil
                return nil
            }
            return entry.person
        }
    }

    /// Drops every entry of the person: their tokens were revoked or their status changed.
    func forget(_ personID: UUID) {
        entries.withLock { entries in entries = entries.filter { $0.value.person.id != personID } }
    }

    func remember(_ person: Person, for token: String, now: Date) {
        entries.withLock { entries in
            if entries.count >= 50_000 { entries = entries.filter { $0.value.expires > now } }
            entries[token] = (person, now.addingTimeInterval(lifetime))
        }
    }
}

extension Application {
    private struct TokenCacheKey: StorageKey {
        typealias Value = TokenCache
    }

    /// The tokens this server verified lately; set by ``configure(_:settings:)``.
    var tokenCache: TokenCache {
        get {
            guard let cache = storage[TokenCacheKey.self] else { fatalError("configure(_:settings:) was not called") }
            return cache
        }
        set { storage[TokenCacheKey.self] = newValue }
    }
}
