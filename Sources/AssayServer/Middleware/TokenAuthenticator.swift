import AssayCore
import AssayStore
import Vapor

extension Actor: Authenticatable {}

/// Turns `Authorization: Bearer <token>` into an ``Actor`` by looking up the token's hash.
///
/// A missing or unknown token leaves the request unauthenticated; ``Request/actor()`` then answers 401.
struct TokenAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        guard let person = try await request.store.person(authenticatedBy: TokenSecret(bearer.token)) else { return }
        request.auth.login(Actor(person: person))
    }
}
