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
            // Taken before the lookup: a revocation committed while it runs must not see its person cached after.
            let asked = cache.generation
            guard let person = try await request.store.person(authenticatedBy: TokenSecret(token)) else { return }
            cache.remember(person, for: token, now: now, lookedUpAt: asked)
            request.auth.login(Actor(person: person))
        }.flatMap { next.respond(to: request) }
    }
}

/// Recently verified tokens and their people, for `lifetime` seconds.
///
/// The lifetime bounds how long a revoked token, or a change to a person's status, can go unnoticed by another
/// server over the same database: 5 seconds by default. The server that made the change forgets the person's
/// entries at once (``forget(_:)``). Unknown tokens are never cached, so a new token works at once.
///
/// A lookup that began before a `forget` may end after it, with the person as they were: each `forget` starts a new
/// generation, and ``remember(_:for:now:lookedUpAt:)`` keeps nothing looked up in an earlier one.
final class TokenCache: Sendable {
    private struct State {
        var entries: [String: (person: Person, expires: Date)] = [:]
        var generation = 0
    }

    private let lifetime: TimeInterval
    private let state = Mutex(State())

    init(lifetime: TimeInterval = 5) {
        self.lifetime = lifetime
    }

    func person(for token: String, now: Date) -> Person? {
        state.withLock { state in
            guard let entry = state.entries[token] else { return nil }
            guard entry.expires > now else {
                state.entries[token] = nil
                return nil
            }
            return entry.person
        }
    }

    /// The current generation, to pass to ``remember(_:for:now:lookedUpAt:)`` after a lookup.
    var generation: Int { state.withLock { $0.generation } }

    /// Drops every entry of the person: their tokens were revoked or their status changed.
    func forget(_ personID: UUID) {
        state.withLock { state in
            state.entries = state.entries.filter { $0.value.person.id != personID }
            state.generation += 1
        }
    }

    /// Remembers a person looked up in `generation`, unless someone was forgotten since.
    func remember(_ person: Person, for token: String, now: Date, lookedUpAt generation: Int) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= 50_000 { state.entries = state.entries.filter { $0.value.expires > now } }
            state.entries[token] = (person, now.addingTimeInterval(lifetime))
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
