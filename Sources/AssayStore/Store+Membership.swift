import AssayCore
import Foundation
import SQLKit

/// A person's standing in a queue: active (no row), flagged or suspended (a row in `queue_members`), changed by
/// conditional writes from gold scores, analysts, exams and guideline releases, each change logged.
extension Store {
    /// Refuses a person the queue has suspended, with the reason, in words addressed to them: only they ask for its
    /// work.
    static func requireNotSuspended(_ person: Person, from queue: Queue, _ sql: any SQLDatabase) async throws {
        let member = try await memberStatus(of: person.id, in: queue.id, sql)
        guard member.status == .suspended else { return }
        throw AssayError.forbidden(
            "you are suspended from queue '\(queue.name)' (\(member.reason)); an analyst can reinstate you")
    }

    /// The people a queue has flagged or suspended, with that status (everyone else is active in it).
    public func memberStatuses(in queue: Queue) async throws -> [UUID: MemberStatus] {
        var statuses: [UUID: MemberStatus] = [:]
        for row in try await sql().raw("""
            SELECT annotator_id, status FROM queue_members WHERE queue_id = \(bind: queue.id) AND status <> 'active'
            """).all() {
            statuses[try row.uuid("annotator_id")] = MemberStatus(rawValue: try row.string("status"))
        }
        return statuses
    }

    /// The queues that have suspended the person: their home page offers them those queues' exams, not their work.
    public func queuesSuspending(_ person: Person) async throws -> Set<UUID> {
        Set(try await sql().raw("""
            SELECT queue_id FROM queue_members WHERE annotator_id = \(bind: person.id) AND status = 'suspended'
            """).all().map { try $0.uuid("queue_id") })
    }

    /// ``requireNotSuspended(_:from:_:)`` on its own: for pages that would offer the queue's work.
    ///
    /// - Throws: ``AssayError/forbidden(_:)`` saying why.
    public func requireNotSuspended(_ person: Person, from queue: Queue) async throws {
        try await Self.requireNotSuspended(person, from: queue, sql())
    }

    static func memberStatus(of personID: UUID, in queueID: UUID, _ sql: any SQLDatabase) async throws
        -> (status: MemberStatus, reason: String)
    {
        guard let row = try await sql.raw("""
            SELECT status, reason FROM queue_members WHERE queue_id = \(bind: queueID) AND annotator_id = \(bind: personID)
            """).first()
        else { return (.active, "") }
        return (MemberStatus(rawValue: try row.string("status")) ?? .active, try row.string("reason"))
    }

    /// Moves a person from one status to another in a queue, if they are still in `from` (a conditional write, so
    /// two concurrent changes cannot both apply), and logs it as `member.status_changed`.
    ///
    /// - Returns: whether the change was made.
    @discardableResult
    static func changeStatus(
        of personID: UUID, in queueID: UUID, from: MemberStatus, to: MemberStatus, reason: String, by actorID: UUID?,
        now: Date, _ sql: any SQLDatabase
    ) async throws -> Bool {
        let changed: (any SQLRow)?
        if to == .active {
            changed = try await sql.raw("""
                DELETE FROM queue_members
                WHERE queue_id = \(bind: queueID) AND annotator_id = \(bind: personID) AND status = \(bind: from.rawValue)
                RETURNING status
                """).first()
        } else if from == .active {
            changed = try await sql.raw("""
                INSERT INTO queue_members (queue_id, annotator_id, status, reason, changed_at_ms)
                VALUES (\(bind: queueID), \(bind: personID), \(bind: to.rawValue), \(bind: reason), \(bind: Column.millis(now)))
                ON CONFLICT (queue_id, annotator_id) DO NOTHING RETURNING status
                """).first()
        } else {
            changed = try await sql.raw("""
                UPDATE queue_members SET status = \(bind: to.rawValue), reason = \(bind: reason),
                                         changed_at_ms = \(bind: Column.millis(now))
                WHERE queue_id = \(bind: queueID) AND annotator_id = \(bind: personID) AND status = \(bind: from.rawValue)
                RETURNING status
                """).first()
        }
        guard changed != nil else { return false }
        let vendor = try await sql.raw("SELECT vendor_id FROM people WHERE id = \(bind: personID)").first()
        try await AuditLog.append([
            AuditEvent(
                at: now, actorID: actorID, action: .memberStatusChanged, entity: "person", entityID: personID.uuidString,
                queueID: queueID, vendorID: try vendor?.optionalUUID("vendor_id"), before: ["status": .string(from.rawValue)],
                after: ["status": .string(to.rawValue)], reason: reason)
        ], sql)
        return true
    }

    /// Moves a person to `status` in a queue from whatever status they hold, and logs it; nil when they hold it
    /// already, otherwise the status they had.
    ///
    /// The write is conditional on the status read (``changeStatus(of:in:from:to:reason:by:now:_:)``); when a
    /// concurrent change got there first, such as a gold answer suspending a flagged person on PostgreSQL between
    /// the read and the write, the status is read again, so a reinstatement is not answered as done while the
    /// person stays suspended.
    static func setStatus(
        of personID: UUID, in queueID: UUID, to status: MemberStatus, reason: String, by actorID: UUID?, now: Date,
        _ sql: any SQLDatabase
    ) async throws -> MemberStatus? {
        for _ in 0..<5 {
            let current = try await memberStatus(of: personID, in: queueID, sql).status
            guard current != status else { return nil }
            if try await changeStatus(of: personID, in: queueID, from: current, to: status, reason: reason, by: actorID, now: now, sql) {
                return current
            }
        }
        throw AssayError.conflict("the person's status in the queue kept changing under this request; try again")
    }

    /// Puts a flagged or suspended annotator back to work in the queue. Logged with who did it and why.
    ///
    /// - Throws: ``AssayError/conflict(_:)`` when the person is already active there;
    ///   ``AssayError/invalidInput(field:line:reason:)`` for someone whose role takes no work from queues.
    public func reinstate(_ personID: UUID, in queue: Queue, by actor: Person, reason: String?, now: Date) async throws {
        try await transaction { sql in
            guard let person = try await sql.raw("SELECT name, role FROM people WHERE id = \(bind: personID)").first() else {
                throw AssayError.notFound(entity: "person", id: personID.uuidString)
            }
            if let role = Role(rawValue: try person.string("role")), !role.labels {
                throw AssayError.invalidInput(
                    field: nil, line: nil,
                    reason: "\(try person.string("name")) is \(role.withArticle), who takes no work from queues: there is nothing to reinstate")
            }
            let why = reason?.trimmingBlanksAndNewlines.nilIfEmpty ?? "reinstated by \(actor.name)"
            guard try await Self.setStatus(of: personID, in: queue.id, to: .active, reason: why, by: actor.id, now: now, sql) != nil
            else { throw AssayError.conflict("the person is already active in queue '\(queue.name)'") }
        }
    }
}
