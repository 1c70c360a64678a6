import AssayCore
import Foundation
import SQLKit

/// A browser session as the server hands it out: the cookie's secret (shown once, stored hashed) and the token
/// every form and script must send back (CSRF).
public struct WebSession: Sendable, Equatable {
    public var secret: TokenSecret
    public var csrfToken: String
    public var expiresAt: Date
}

extension Store {
    /// How long a browser session lasts: a working day and a half, so one sign-in covers a shift.
    public static let webSessionLifetime: TimeInterval = 12 * 3_600

    /// Starts a browser session for the person an API token belongs to.
    ///
    /// - Throws: ``AssayError.unauthenticated(_:)`` for an unknown or revoked token.
    public func startWebSession(token: TokenSecret, now: Date) async throws -> (Person, WebSession) {
        var rng = SystemRandomNumberGenerator()
        let session = WebSession(
            secret: TokenSecret.generate(using: &rng), csrfToken: TokenSecret.generate(using: &rng).value,
            expiresAt: now.addingTimeInterval(Self.webSessionLifetime))
        // The token's row stays locked until the session is in: a revocation racing this sign-in either comes first
        // (and the token is refused here) or waits, and then ends this session with the others.
        return try await transaction { sql in
            guard let person = try await Self.person(authenticatedBy: token, lock: self.forUpdate, sql) else {
                throw AssayError.unauthenticated("that token is unknown or was revoked")
            }
            try await sql.raw("""
                INSERT INTO web_sessions (secret_hash, person_id, csrf_token, created_at_ms, expires_at_ms)
                VALUES (\(bind: Self.hash(session.secret)), \(bind: person.id), \(bind: session.csrfToken),
                        \(bind: Column.millis(now)), \(bind: Column.millis(session.expiresAt)))
                """).run()
            return (person, session)
        }
    }

    /// The person and CSRF token of a live session, or nil for an unknown, ended or expired one.
    public func webSession(_ secret: TokenSecret, now: Date) async throws -> (person: Person, csrfToken: String)? {
        let columns = Self.personColumns.split(separator: ",").map { "p." + $0.trimmingCharacters(in: .whitespaces) }
        guard let row = try await sql().raw("""
            SELECT \(unsafeRaw: columns.joined(separator: ", ")), s.csrf_token
            FROM web_sessions s JOIN people p ON p.id = s.person_id
            WHERE s.secret_hash = \(bind: Self.hash(secret)) AND s.expires_at_ms > \(bind: Column.millis(now))
            """).first()
        else { return nil }
        return (try Self.person(from: row), try row.string("csrf_token"))
    }

    /// Ends a session (signing out), and sweeps expired ones while at it.
    public func endWebSession(_ secret: TokenSecret, now: Date) async throws {
        try await sql().raw("""
            DELETE FROM web_sessions WHERE secret_hash = \(bind: Self.hash(secret)) OR expires_at_ms <= \(bind: Column.millis(now))
            """).run()
    }

    /// How many judgments a person has submitted since a time (their tally for the day on the workbench).
    public func judgmentCount(by personID: UUID, since: Date) async throws -> Int {
        try await sql().raw("""
            SELECT COUNT(*) AS judged FROM judgments
            WHERE annotator_id = \(bind: personID) AND submitted_at_ms >= \(bind: Column.millis(since))
            """).first()!.int("judged")
    }
}
