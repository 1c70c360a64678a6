import AssayCore
import AssayQuality
import Foundation
import SQLKit

extension Store {
    /// Creates a calibration session over items with reference answers (gold, active or retired).
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for a bad draft or an item without a reference;
    ///   ``AssayError/conflict(_:)`` for a name the queue's sessions already have (kept by a unique index, so two
    ///   creates at once, or a retried one, make one session).
    public func createCalibration(_ draft: CalibrationDraft, in queue: Queue, now: Date) async throws -> CalibrationSession {
        let draft = try draft.validated(now: now)
        return try await transaction { sql in
            let ids = try await Self.itemIDs(forExternalIDs: Set(draft.items), in: queue.id, sql)
            let referenced = Set(try await sql.raw("""
                SELECT id FROM items WHERE queue_id = \(bind: queue.id) AND gold_state IS NOT NULL
                  AND id IN (\(binds: Array(ids.values)))
                """).all().map { try $0.int64("id") })
            let itemIDs = try draft.items.map { externalID -> Int64 in
                guard let id = ids[externalID], referenced.contains(id) else {
                    throw AssayError.invalidInput(
                        field: "items", line: nil,
                        reason: "'\(externalID)' has no reference answer in queue '\(queue.name)'; make it gold first")
                }
                return id
            }
            let session = CalibrationSession(
                id: UUID(), queueID: queue.id, name: draft.name.trimmingBlanksAndNewlines, itemIDs: itemIDs,
                participants: try await Self.resolve(draft.participants, sql), opensAt: draft.opensAt ?? now,
                closesAt: draft.closesAt, createdAt: now)
            guard try await sql.raw("""
                INSERT INTO calibration_sessions (id, queue_id, name, item_ids, participants, opens_at_ms, closes_at_ms, created_at_ms)
                VALUES (\(bind: session.id), \(bind: queue.id), \(bind: session.name), \(bind: try Column.json(itemIDs)),
                        \(bind: try Column.json(session.participants)), \(bind: Column.millis(session.opensAt)),
                        \(bind: Column.millis(session.closesAt)), \(bind: Column.millis(now)))
                ON CONFLICT (queue_id, name) DO NOTHING RETURNING id
                """).first() != nil
            else {
                throw AssayError.conflict("queue '\(queue.name)' has a calibration session named '\(session.name)' already; name this one otherwise")
            }
            return session
        }
    }

    /// The ids of the vendors, teams and people a draft names, each found by id or by its name (see
    /// ``CalibrationDraft/Participants``).
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the first reference that matches nobody, or
    ///   a team name that more than one vendor uses.
    private static func resolve(_ wanted: CalibrationDraft.Participants, _ sql: any SQLDatabase) async throws
        -> CalibrationSession.Participants
    {
        /// The rows `query` finds for `references`: given the references that read as ids (one id nobody has when
        /// none do, since `IN ()` is not SQL) and all of them as names (a name can look like anything).
        func rows(for references: [String], _ query: (_ ids: [UUID], _ names: [String]) -> SQLQueryString) async throws
            -> [any SQLRow]
        {
            guard !references.isEmpty else { return [] }
            let ids = references.compactMap(UUID.init(uuidString:))
            return try await sql.raw(query(ids.isEmpty ? [UUID()] : ids, references)).all()
        }
        func isID(_ row: any SQLRow, _ reference: String) throws -> Bool { try row.uuid("id") == UUID(uuidString: reference) }
        // People are named by their external id (display names repeat), vendors and teams by their names.
        func unknown(_ field: String, _ reference: String, listedBy path: String) -> AssayError {
            let names = field == "people" ? "external id" : "name"
            return .invalidInput(
                field: "participants.\(field)", line: nil, reason: "'\(reference)' matches no id or \(names); \(path) lists them")
        }

        let vendorRows = try await rows(for: wanted.vendors) {
            "SELECT id, name FROM vendors WHERE id IN (\(binds: $0)) OR name IN (\(binds: $1))"
        }
        let vendors = try wanted.vendors.map { reference in
            guard let row = try vendorRows.first(where: { try isID($0, reference) || $0.string("name") == reference }) else {
                throw unknown("vendors", reference, listedBy: "GET /api/v1/vendors")
            }
            return try row.uuid("id")
        }

        // A team is `vendor/team`, or its name alone: every part after a slash may be a team's name.
        let teamNames = wanted.teams.flatMap { reference in
            [reference] + reference.indices.filter { reference[$0] == "/" }.map { String(reference[reference.index(after: $0)...]) }
        }
        let teamRows = try await rows(for: wanted.teams) { ids, _ in
            """
            SELECT t.id, t.name, v.name AS vendor FROM teams t JOIN vendors v ON v.id = t.vendor_id
            WHERE t.id IN (\(binds: ids)) OR t.name IN (\(binds: teamNames))
            """
        }
        let teams = try wanted.teams.map { reference in
            let exact = try teamRows.first { try isID($0, reference) || $0.string("vendor") + "/" + $0.string("name") == reference }
            if let exact { return try exact.uuid("id") }
            let named = try teamRows.filter { try $0.string("name") == reference }
            guard named.count <= 1 else {
                let owners = try named.map { try $0.string("vendor") }.sorted().joined(separator: ", ")
                throw AssayError.invalidInput(
                    field: "participants.teams", line: nil,
                    reason: "several vendors have a team '\(reference)' (\(owners)); write it as vendor/team or give its id")
            }
            guard let row = named.first else { throw unknown("teams", reference, listedBy: "GET /api/v1/vendors/{id}/teams") }
            return try row.uuid("id")
        }

        let peopleRows = try await rows(for: wanted.people) {
            "SELECT id, external_id FROM people WHERE id IN (\(binds: $0)) OR external_id IN (\(binds: $1))"
        }
        let people = try wanted.people.map { reference in
            guard let row = try peopleRows.first(where: { try isID($0, reference) || $0.string("external_id") == reference }) else {
                throw unknown("people", reference, listedBy: "GET /api/v1/people")
            }
            return try row.uuid("id")
        }
        return CalibrationSession.Participants(vendors: vendors, teams: teams, people: people)
    }

    /// - Throws: ``AssayError/notFound(entity:id:)``.
    public func calibration(_ id: UUID) async throws -> CalibrationSession {
        guard let session = try await sessions(where: "id = \(bind: id)").first else {
            throw AssayError.notFound(entity: "calibration session", id: id.uuidString)
        }
        return session
    }

    /// The sessions of these queues whose window closed in [`from`, `to`), oldest first: what a period's review
    /// reports on.
    public func calibrations(in queueIDs: [UUID], closingFrom from: Date, to: Date) async throws -> [CalibrationSession] {
        guard !queueIDs.isEmpty else { return [] }
        return try await sessions(where: """
            queue_id IN (\(binds: queueIDs)) AND closes_at_ms >= \(bind: Column.millis(from))
            AND closes_at_ms < \(bind: Column.millis(to)) ORDER BY closes_at_ms, id
            """)
    }

    private func sessions(where condition: SQLQueryString) async throws -> [CalibrationSession] {
        try await sql().raw("""
            SELECT id, queue_id, name, item_ids, participants, opens_at_ms, closes_at_ms, created_at_ms
            FROM calibration_sessions WHERE \(condition)
            """).all().map { row in
            CalibrationSession(
                id: try row.uuid("id"), queueID: try row.uuid("queue_id"), name: try row.string("name"),
                itemIDs: try Column.decode([Int64].self, from: try row.string("item_ids")),
                participants: try Column.decode(CalibrationSession.Participants.self, from: try row.string("participants")),
                opensAt: try row.date("opens_at_ms"), closesAt: try row.date("closes_at_ms"),
                createdAt: try row.date("created_at_ms"))
        }
    }

    /// The next item the participant has not answered, or nil when they have answered them all.
    ///
    /// - Throws: ``AssayError/forbidden(_:)`` for someone not called to the session, or outside its window.
    public func nextCalibrationItem(of session: CalibrationSession, for person: Person, now: Date) async throws -> Item? {
        try Self.requireParticipant(person, in: session, now: now)
        let sql = try sql()
        let answered = Set(try await sql.raw("""
            SELECT item_id FROM calibration_answers WHERE session_id = \(bind: session.id) AND person_id = \(bind: person.id)
            """).all().map { try $0.int64("item_id") })
        guard let next = session.itemIDs.first(where: { !answered.contains($0) }) else { return nil }
        return try await Self.item(next, sql)
    }

    /// Records a participant's answer; once per item.
    ///
    /// - Throws: ``AssayError/forbidden(_:)``; ``AssayError/notFound(entity:id:)`` for an item not in the session;
    ///   ``AssayError/conflict(_:)`` for a second answer; ``AssayError/invalidInput(field:line:reason:)``.
    public func answerCalibration(
        _ session: CalibrationSession, item itemID: Int64, labels: [String], by person: Person, now: Date
    ) async throws {
        try Self.requireParticipant(person, in: session, now: now)
        guard session.itemIDs.contains(itemID) else { throw AssayError.notFound(entity: "session item", id: String(itemID)) }
        let queue = try await queue(id: session.queueID, sql())
        let chosen = try queue.schema.canonicalLabels(labels)
        try await transaction { sql in
            guard try await sql.raw("""
                INSERT INTO calibration_answers (session_id, person_id, item_id, labels, answered_at_ms)
                VALUES (\(bind: session.id), \(bind: person.id), \(bind: itemID), \(bind: try Column.json(chosen)),
                        \(bind: Column.millis(now)))
                ON CONFLICT DO NOTHING RETURNING item_id
                """).first() != nil
            else { throw AssayError.conflict("item \(itemID) was already answered in this session") }
        }
    }

    /// Whether the session calls on any of the vendor's people: the vendor itself, one of its teams, or one of its
    /// people by name.
    public func calibration(_ session: CalibrationSession, callsOn vendorID: UUID) async throws -> Bool {
        if session.participants.vendors.contains(vendorID) { return true }
        let sql = try sql()
        if !session.participants.teams.isEmpty, try await sql.raw("""
            SELECT id FROM teams WHERE vendor_id = \(bind: vendorID) AND id IN (\(binds: session.participants.teams)) LIMIT 1
            """).first() != nil {
            return true
        }
        guard !session.participants.people.isEmpty else { return false }
        return try await sql.raw("""
            SELECT id FROM people WHERE vendor_id = \(bind: vendorID) AND id IN (\(binds: session.participants.people)) LIMIT 1
            """).first() != nil
    }

    /// Adds a discussion note to a session.
    public func addCalibrationNote(to session: CalibrationSession, text: String, by author: Person, now: Date) async throws {
        let text = text.trimmingBlanksAndNewlines
        guard !text.isEmpty else { throw AssayError.invalidInput(field: "text", line: nil, reason: "the note is empty") }
        // The same bound as an escalation's note and a rationale's order of size: a discussion note, not a document.
        guard text.count <= 10_000 else {
            throw AssayError.invalidInput(field: "text", line: nil, reason: "the note is \(text.count) characters; at most 10000")
        }
        try await transaction { sql in
            try await sql.raw("""
                INSERT INTO calibration_notes (session_id, author_id, text, created_at_ms)
                VALUES (\(bind: session.id), \(bind: author.id), \(bind: text), \(bind: Column.millis(now)))
                """).run()
        }
    }

    /// The session's results: accuracy against the references per person, team, vendor and reference label (95%
    /// Wilson intervals), agreement among participants (Krippendorff's α, Fleiss' κ), the confusions from most to
    /// least frequent, and the notes. `vendorID` keeps to one vendor's people (a vendor lead's view), and to the notes
    /// of that vendor's people and of the workspace's own (those of no vendor).
    public func calibrationReport(of session: CalibrationSession, vendorID: UUID? = nil) async throws -> CalibrationReport {
        let sql = try sql()
        let vendorFilter: SQLQueryString = vendorID.map { "AND p.vendor_id = \(bind: $0)" } ?? ""
        let rows = try await sql.raw("""
            SELECT a.person_id, a.item_id, a.labels, i.gold_labels, p.external_id, p.name, p.team_id, p.vendor_id
            FROM calibration_answers a JOIN items i ON i.id = a.item_id JOIN people p ON p.id = a.person_id
            WHERE a.session_id = \(bind: session.id) \(vendorFilter)
            ORDER BY a.item_id, a.person_id
            """).all()
        let answers = try rows.map { row in
            CalibrationReport.Answer(
                itemID: try row.int64("item_id"), person: try row.string("external_id"), name: try row.string("name"),
                team: try row.optionalUUID("team_id")?.uuidString ?? "no team",
                vendor: try row.optionalUUID("vendor_id")?.uuidString ?? "no vendor",
                labels: try Column.strings(from: try row.string("labels")),
                reference: try Column.strings(from: try row.string("gold_labels")))
        }
        let noteFilter: SQLQueryString = vendorID.map { "AND (p.vendor_id IS NULL OR p.vendor_id = \(bind: $0))" } ?? ""
        let notes = try await sql.raw("""
            SELECT p.name, n.text, n.created_at_ms FROM calibration_notes n JOIN people p ON p.id = n.author_id
            WHERE n.session_id = \(bind: session.id) \(noteFilter) ORDER BY n.id
            """).all().map { row in
            CalibrationReport.Note(author: try row.string("name"), text: try row.string("text"), at: try row.date("created_at_ms"))
        }
        // Labels by the names people see ("No violation", not `none`, which reads as "no label").
        let labelNames = Dictionary(
            (try await queue(id: session.queueID, sql)).schema.labels.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        return CalibrationReport(sessionID: session.id, answers: answers, notes: notes, labelNames: labelNames)
    }

    private static func requireParticipant(_ person: Person, in session: CalibrationSession, now: Date) throws {
        guard session.participants.include(person) else {
            throw AssayError.forbidden("\(person.name) is not a participant of calibration session '\(session.name)'")
        }
        guard session.opensAt <= now, now < session.closesAt else {
            throw AssayError.forbidden("calibration session '\(session.name)' is not open now")
        }
    }
}
