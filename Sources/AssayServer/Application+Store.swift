import AssayCore
import AssayStore
import Vapor

extension Application {
    private struct DatabaseKey: StorageKey {
        typealias Value = AssayDatabase
    }

    private struct ClockKey: StorageKey {
        typealias Value = any TimeSource
    }

    /// The open workspace database; set by ``configure(_:settings:)``.
    public var assayDatabase: AssayDatabase {
        get {
            guard let database = storage[DatabaseKey.self] else { fatalError("configure(_:settings:) was not called") }
            return database
        }
        set { storage[DatabaseKey.self] = newValue }
    }

    /// The store, as `req.store` is for requests.
    public var store: Store { assayDatabase.store }

    /// Where "now" comes from.
    public var clock: any TimeSource {
        get { storage[ClockKey.self] ?? SystemTime() }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    /// The workspace store, as Fluent's `req.db`.
    public var store: Store { application.store }

    /// The current time from the application's clock.
    public var now: Date { application.clock.now }

    /// The queue the path's `{queue}` names, by name or id.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` for a queue that does not exist.
    func pathQueue() async throws -> Queue {
        try await store.queue(try parameters.require("queue"))
    }

    /// The authenticated caller; throws 401 when the token was missing or wrong, saying which.
    public func actor() throws -> Actor {
        if let actor = auth.get(Actor.self) { return actor }
        if headers.bearerAuthorization != nil {
            throw AssayError.unauthenticated(
                "that API token is unknown or was revoked (an admin issues a new one with `assay users token <person's external id>`)")
        }
        if let header = headers.first(name: .authorization), let scheme = header.split(separator: " ").first {
            if scheme.lowercased() == "bearer" {
                // "Bearer" with nothing after it: a script whose token variable was empty; or something after the
                // token (a second word, a stray space).
                let rest = header.dropFirst(scheme.count).trimmingCharacters(in: .whitespaces)
                throw AssayError.unauthenticated(rest.isEmpty
                    ? "the Authorization header says Bearer but carries no token after it"
                    : "the Authorization header's token is not one word: send 'Bearer <token>' with nothing after the token")
            }
            // Label Studio's clients send "Token <key>".
            throw AssayError.unauthenticated(
                "send the API token as 'Authorization: Bearer <token>', not '\(scheme) …'")
        }
        throw AssayError.unauthenticated(
            "send an API token as 'Authorization: Bearer <token>' (create one with `assay users add`)")
    }
}
