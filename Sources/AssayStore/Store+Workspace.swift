import AssayCore
import Crypto
import Foundation
import SQLKit

// MARK: - Vendors and teams

extension Store {
    /// Adds a vendor. Logged as `vendor.created` (by `actor`; nil for the command line).
    ///
    /// - Throws: ``AssayError/conflict(_:)`` when the name is taken; ``AssayError/invalidInput(field:line:reason:)``
    ///   for an empty name.
    public func createVendor(named name: String, by actor: Person? = nil, now: Date) async throws -> Vendor {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else {
            throw AssayError.invalidInput(field: "name", line: nil, reason: "a vendor name must be 1 to 200 characters")
        }
        let vendor = Vendor(id: UUID(), name: trimmed)
        return try await transaction { sql in
            let inserted = try await sql.raw("""
                INSERT INTO vendors (id, name, created_at_ms) VALUES (\(bind: vendor.id), \(bind: trimmed), \(bind: Column.millis(now)))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """).first()
            guard inserted != nil else { throw AssayError.conflict("a vendor named '\(trimmed)' already exists") }
            try await AuditLog.append([
                AuditEvent(
                    at: now, actorID: actor?.id, action: .vendorCreated, entity: "vendor", entityID: vendor.id.uuidString,
                    queueID: nil, vendorID: vendor.id, before: nil, after: ["name": .string(trimmed)])
            ], sql)
            return vendor
        }
    }

    /// Every vendor, by name.
    public func vendors() async throws -> [Vendor] {
        let sql = try sql()
        return try await sql.raw("SELECT id, name FROM vendors ORDER BY name\(unsafeRaw: sql.bytewise)").all().map {
            Vendor(id: try $0.uuid("id"), name: try $0.string("name"))
        }
    }

    /// The vendor a person named, by its name or its id (as the CLI's `--vendor` and the review's `vendor=` take it).
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` when no vendor has that name or id.
    public func vendor(_ reference: String) async throws -> Vendor {
        guard let vendor = try await vendors().first(where: {
            $0.name == reference || $0.id.uuidString.lowercased() == reference.lowercased()
        }) else { throw AssayError.notFound(entity: "vendor", id: reference) }
        return vendor
    }

    /// A team of a vendor, by its name or its id.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` when the vendor has no team of that name or id.
    public func team(_ reference: String, of vendorID: UUID) async throws -> Team {
        guard let team = try await teams(of: vendorID).first(where: {
            $0.name == reference || $0.id.uuidString.lowercased() == reference.lowercased()
        }) else { throw AssayError.notFound(entity: "team", id: reference) }
        return team
    }

    /// Adds a team to a vendor. Logged as `team.created` (by `actor`; nil for the command line).
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` for an unknown vendor, ``AssayError/conflict(_:)`` when the
    ///   vendor already has a team of that name.
    public func createTeam(named name: String, in vendorID: UUID, by actor: Person? = nil, now: Date) async throws -> Team {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else {
            throw AssayError.invalidInput(field: "name", line: nil, reason: "a team name must be 1 to 200 characters")
        }
        let team = Team(id: UUID(), vendorID: vendorID, name: trimmed)
        return try await transaction { sql in
            guard try await sql.raw("SELECT id FROM vendors WHERE id = \(bind: vendorID)").first() != nil else {
                throw AssayError.notFound(entity: "vendor", id: vendorID.uuidString)
            }
            let inserted = try await sql.raw("""
                INSERT INTO teams (id, vendor_id, name, created_at_ms)
                VALUES (\(bind: team.id), \(bind: vendorID), \(bind: trimmed), \(bind: Column.millis(now)))
                ON CONFLICT (vendor_id, name) DO NOTHING RETURNING id
                """).first()
            guard inserted != nil else { throw AssayError.conflict("the vendor already has a team named '\(trimmed)'") }
            try await AuditLog.append([
                AuditEvent(
                    at: now, actorID: actor?.id, action: .teamCreated, entity: "team", entityID: team.id.uuidString,
                    queueID: nil, vendorID: vendorID, before: nil, after: ["name": .string(trimmed)])
            ], sql)
            return team
        }
    }

    /// The teams of a vendor, by name.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` for an unknown vendor (not an empty list, which would read as a
    ///   vendor without teams).
    public func teams(of vendorID: UUID) async throws -> [Team] {
        let sql = try sql()
        let teams = try await sql.raw("SELECT id, vendor_id, name FROM teams WHERE vendor_id = \(bind: vendorID) ORDER BY name\(unsafeRaw: sql.bytewise)")
            .all().map { Team(id: try $0.uuid("id"), vendorID: try $0.uuid("vendor_id"), name: try $0.string("name")) }
        if teams.isEmpty, try await sql.raw("SELECT id FROM vendors WHERE id = \(bind: vendorID)").first() == nil {
            throw AssayError.notFound(entity: "vendor", id: vendorID.uuidString)
        }
        return teams
    }
}

// MARK: - People

extension Store {
    /// Adds a person to the workspace.
    ///
    /// - Throws: ``AssayError/conflict(_:)`` when the external id is taken; ``AssayError/notFound(entity:id:)``
    ///   for an unknown vendor or a team outside the vendor; ``AssayError/invalidInput(field:line:reason:)``.
    /// Logged as `person.created` (by `actor`; nil for the command line or the system).
    public func createPerson(_ draft: PersonDraft, by actor: Person? = nil, now: Date) async throws -> Person {
        try await insertPerson(draft, token: nil, by: actor, now: now)
    }

    /// Adds a person and issues their first API token, in one transaction: nobody is left without a token.
    /// Logged as `person.created` and `token.issued`.
    ///
    /// - Returns: the person and the token (shown once; only its hash is stored).
    public func createPersonWithToken(_ draft: PersonDraft, by actor: Person? = nil, now: Date) async throws
        -> (Person, TokenSecret)
    {
        var rng = SystemRandomNumberGenerator()
        let secret = TokenSecret.generate(using: &rng)
        return (try await insertPerson(draft, token: secret, by: actor, now: now), secret)
    }

    private func insertPerson(_ draft: PersonDraft, token: TokenSecret?, by actor: Person?, now: Date) async throws
        -> Person
    {
        let draft = try draft.validated()
        let person = Person(
            id: UUID(), externalID: draft.externalID!, name: draft.name, role: draft.role, vendorID: draft.vendorID,
            teamID: draft.teamID, languages: draft.languages, markets: draft.markets, status: .active, createdAt: now)
        return try await transaction { sql in
            try await Self.requireTeam(person.teamID, inVendor: person.vendorID, sql)
            guard try await Self.insert(person, sql) else {
                throw AssayError.conflict("a person with external id '\(person.externalID)' already exists")
            }
            var events = [Self.event(.personCreated, about: person, by: actor, now: now, after: [
                "external_id": .string(person.externalID), "name": .string(person.name), "role": .string(person.role.rawValue),
                "vendor_id": person.vendorID.map { .string($0.uuidString) } ?? .null,
                "team_id": person.teamID.map { .string($0.uuidString) } ?? .null,
            ])]
            if let token {
                try await Self.insertToken(token, for: person.id, now: now, sql)
                events.append(Self.event(.tokenIssued, about: person, by: actor, now: now))
            }
            try await AuditLog.append(events, sql)
            return person
        }
    }

    /// An audit entry about a person, visible to their vendor's lead.
    private static func event(
        _ action: AuditAction, about person: Person, by actor: Person?, now: Date, before: JSONValue? = nil,
        after: JSONValue? = nil
    ) -> AuditEvent {
        AuditEvent(
            at: now, actorID: actor?.id, action: action, entity: "person", entityID: person.id.uuidString, queueID: nil,
            vendorID: person.vendorID, before: before, after: after)
    }

    /// The person with this id.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)``.
    public func person(_ id: UUID) async throws -> Person {
        try await Self.person(id, sql())
    }

    /// The person with this external id.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)``.
    public func person(externalID: String) async throws -> Person {
        guard let row = try await sql().raw("""
            SELECT \(unsafeRaw: Self.personColumns) FROM people WHERE external_id = \(bind: externalID.composed)
            """).first()
        else { throw AssayError.notFound(entity: "person", id: externalID) }
        return try Self.person(from: row)
    }

    /// People by external id (unique, so pages never skip anyone), a page at a time; a vendor lead's listing
    /// is limited to their own vendor.
    ///
    /// - Parameters:
    ///   - vendorID: only this vendor's people, when set.
    ///   - afterExternalID: the last external id of the previous page (keyset paging).
    ///   - limit: page size.
    public func people(ofVendor vendorID: UUID?, after afterExternalID: String?, limit: Int) async throws -> [Person] {
        let vendorFilter: SQLQueryString = vendorID.map { "AND vendor_id = \(bind: $0)" } ?? ""
        let sql = try sql()
        let pageFilter: SQLQueryString = afterExternalID.map { "AND external_id\(unsafeRaw: sql.bytewise) > \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT \(unsafeRaw: Self.personColumns) FROM people WHERE 1 = 1 \(vendorFilter) \(pageFilter)
            ORDER BY external_id\(unsafeRaw: sql.bytewise) LIMIT \(bind: limit)
            """).all().map(Self.person(from:))
    }

    /// Changes whether a person who labels may take work. Logged as `person.status_changed` when it changes.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)``; ``AssayError/invalidInput(field:line:reason:)`` for an admin,
    ///   analyst or vendor lead, whom a status would not stop.
    public func setStatus(_ status: PersonStatus, of personID: UUID, by actor: Person?, now: Date) async throws {
        try await transaction { sql in
            let person = try await Self.person(personID, lock: self.forUpdate, sql)
            // The status says whether someone may take work: it would change nothing for an admin, analyst or vendor
            // lead, and a client must not believe it stopped one.
            guard person.role.labels else {
                throw AssayError.invalidInput(
                    field: "status", line: nil,
                    reason: "\(person.name) (role \(person.role.rawValue)) takes no work, so a status would change nothing; to stop their access, revoke their tokens (DELETE /api/v1/people/{id}/tokens)")
            }
            guard person.status != status else { return }
            try await sql.raw("UPDATE people SET status = \(bind: status.rawValue) WHERE id = \(bind: personID)").run()
            try await AuditLog.append([
                Self.event(.personStatusChanged, about: person, by: actor, now: now,
                           before: ["status": .string(person.status.rawValue)], after: ["status": .string(status.rawValue)])
            ], sql)
        }
    }

    private static func person(_ id: UUID, lock: String = "", _ sql: any SQLDatabase) async throws -> Person {
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: personColumns) FROM people WHERE id = \(bind: id)\(unsafeRaw: lock)
            """).first()
        else { throw AssayError.notFound(entity: "person", id: id.uuidString) }
        return try person(from: row)
    }

    static let personColumns = "id, external_id, name, role, vendor_id, team_id, languages, markets, status, created_at_ms"

    static func person(from row: any SQLRow) throws -> Person {
        Person(
            id: try row.uuid("id"), externalID: try row.string("external_id"), name: try row.string("name"),
            role: Role(rawValue: try row.string("role")) ?? .annotator, vendorID: try row.optionalUUID("vendor_id"),
            teamID: try row.optionalUUID("team_id"),
            languages: try Column.strings(from: try row.string("languages")),
            markets: try Column.strings(from: try row.string("markets")),
            status: PersonStatus(rawValue: try row.string("status")) ?? .suspended, createdAt: try row.date("created_at_ms"))
    }

    /// Inserts a person unless the external id exists; returns whether it was inserted.
    static func insert(_ person: Person, _ sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            INSERT INTO people (\(unsafeRaw: personColumns)) VALUES (
                \(bind: person.id), \(bind: person.externalID), \(bind: person.name), \(bind: person.role.rawValue),
                \(bind: person.vendorID), \(bind: person.teamID), \(bind: try Column.json(person.languages)),
                \(bind: try Column.json(person.markets)), \(bind: person.status.rawValue), \(bind: Column.millis(person.createdAt)))
            ON CONFLICT (external_id) DO NOTHING RETURNING id
            """).first() != nil
    }

    private static func requireTeam(_ teamID: UUID?, inVendor vendorID: UUID?, _ sql: any SQLDatabase) async throws {
        if let vendorID, try await sql.raw("SELECT id FROM vendors WHERE id = \(bind: vendorID)").first() == nil {
            throw AssayError.notFound(entity: "vendor", id: vendorID.uuidString)
        }
        guard let teamID else { return }
        guard let row = try await sql.raw("SELECT vendor_id FROM teams WHERE id = \(bind: teamID)").first() else {
            throw AssayError.notFound(entity: "team", id: teamID.uuidString)
        }
        if try row.uuid("vendor_id") != vendorID {
            throw AssayError.invalidInput(field: "team_id", line: nil, reason: "the team belongs to another vendor")
        }
    }
}

// MARK: - API tokens

extension Store {
    /// Issues a new API token for a person. Only its hash is stored: the returned secret is shown once. Logged as
    /// `token.issued` (by `actor`; nil for the command line).
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` for an unknown person.
    public func issueToken(for personID: UUID, by actor: Person? = nil, now: Date) async throws -> TokenSecret {
        var rng = SystemRandomNumberGenerator()
        let secret = TokenSecret.generate(using: &rng)
        try await transaction { sql in
            let person = try await Self.person(personID, sql)
            try await Self.insertToken(secret, for: personID, now: now, sql)
            try await AuditLog.append([Self.event(.tokenIssued, about: person, by: actor, now: now)], sql)
        }
        return secret
    }

    private static func insertToken(_ secret: TokenSecret, for personID: UUID, now: Date, _ sql: any SQLDatabase)
        async throws
    {
        try await sql.raw("""
            INSERT INTO api_tokens (id, person_id, token_hash, created_at_ms)
            VALUES (\(bind: UUID()), \(bind: personID), \(bind: hash(secret)), \(bind: Column.millis(now)))
            """).run()
    }

    /// The person a token belongs to, or `nil` for an unknown or revoked token.
    public func person(authenticatedBy secret: TokenSecret) async throws -> Person? {
        try await Self.person(authenticatedBy: secret, sql())
    }

    /// ``person(authenticatedBy:)`` in the caller's transaction; `lock` (`FOR UPDATE` on PostgreSQL) holds the token's
    /// row, so a revocation of it waits for the caller to commit.
    static func person(authenticatedBy secret: TokenSecret, lock: String = "", _ sql: any SQLDatabase) async throws -> Person? {
        let columns = personColumns.split(separator: ",").map { "p." + $0.trimmingCharacters(in: .whitespaces) }
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: columns.joined(separator: ", ")) FROM api_tokens t JOIN people p ON p.id = t.person_id
            WHERE t.token_hash = \(bind: hash(secret)) AND t.revoked_at_ms IS NULL\(unsafeRaw: lock.isEmpty ? "" : lock + " OF t")
            """).first()
        else { return nil }
        return try person(from: row)
    }

    /// Revokes every token of a person and ends their web sessions: a session begun with a lost token must not
    /// outlive it. Logged as `token.revoked`, with how many of each.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` for an unknown person.
    public func revokeTokens(of personID: UUID, by actor: Person? = nil, now: Date) async throws {
        try await transaction { sql in
            let person = try await Self.person(personID, sql)
            let tokens = try await sql.raw("""
                UPDATE api_tokens SET revoked_at_ms = \(bind: Column.millis(now))
                WHERE person_id = \(bind: personID) AND revoked_at_ms IS NULL RETURNING id
                """).all().count
            let sessions = try await sql.raw("DELETE FROM web_sessions WHERE person_id = \(bind: personID) RETURNING person_id")
                .all().count
            try await AuditLog.append([
                Self.event(.tokensRevoked, about: person, by: actor, now: now,
                           after: ["tokens_revoked": .number(Double(tokens)), "sessions_ended": .number(Double(sessions))])
            ], sql)
        }
    }

    /// Whether anybody is in the workspace yet (a fresh workspace bootstraps an admin).
    public func hasPeople() async throws -> Bool {
        try await sql().raw("SELECT id FROM people LIMIT 1").first() != nil
    }

    /// SHA-256 of the token, hex: tokens are 238 bits of randomness, so a fast unsalted hash is enough.
    static func hash(_ secret: TokenSecret) -> String {
        SHA256.hash(data: Data(secret.value.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
