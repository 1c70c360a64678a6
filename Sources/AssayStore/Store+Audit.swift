import AssayCore
import Foundation
import SQLKit

/// Which audit entries to read: all filters optional, newest first, a page at a time.
public struct AuditFilter: Sendable, Equatable {
    public var queueID: UUID?
    public var entity: String?
    public var entityID: String?
    public var action: AuditAction?
    /// Only entries about this vendor's people (a vendor lead's view).
    public var vendorID: UUID?
    /// Entries older than this id (the previous page's `next`).
    public var before: Int64?
    public var limit: Int

    public init(
        queueID: UUID? = nil, entity: String? = nil, entityID: String? = nil, action: AuditAction? = nil,
        vendorID: UUID? = nil, before: Int64? = nil, limit: Int = 100
    ) {
        self.queueID = queueID
        self.entity = entity
        self.entityID = entityID
        self.action = action
        self.vendorID = vendorID
        self.before = before
        self.limit = limit
    }
}

extension Store {
    /// Audit entries matching `filter`, newest first.
    public func auditEvents(_ filter: AuditFilter) async throws -> [AuditEvent] {
        var conditions: [SQLQueryString] = []
        if let queueID = filter.queueID { conditions.append("queue_id = \(bind: queueID)") }
        if let entity = filter.entity { conditions.append("entity = \(bind: entity)") }
        if let entityID = filter.entityID { conditions.append("entity_id = \(bind: entityID)") }
        if let action = filter.action { conditions.append("action = \(bind: action.rawValue)") }
        if let vendorID = filter.vendorID { conditions.append("vendor_id = \(bind: vendorID)") }
        if let before = filter.before { conditions.append("id < \(bind: before)") }
        let whereClause: SQLQueryString = conditions.isEmpty ? "" : "WHERE \(SQLList(conditions, separator: SQLRaw(" AND ")))"
        return try await sql().raw("""
            SELECT id, at_ms, actor_id, action, entity, entity_id, queue_id, vendor_id, before, after, reason
            FROM audit_events \(whereClause) ORDER BY id DESC LIMIT \(literal: filter.limit)
            """).all().map(AuditLog.event(from:))
    }
}

/// Writes and reads the audit log table. Entries are only ever inserted; the database refuses changes.
enum AuditLog {
    /// Appends `events`, in the caller's transaction, so an entry exists exactly when its change does.
    static func append(_ events: [AuditEvent], _ sql: any SQLDatabase) async throws {
        for chunk in events.chunks() {
            let rows = chunk.map { event -> SQLQueryString in
                """
                (\(bind: Column.millis(event.at)), \(bind: event.actorID), \(bind: event.action.rawValue), \(bind: event.entity),
                 \(bind: event.entityID), \(bind: event.queueID), \(bind: event.vendorID),
                 \(bind: event.before.map(\.canonicalJSON)), \(bind: event.after.map(\.canonicalJSON)), \(bind: event.reason))
                """
            }
            try await sql.raw("""
                INSERT INTO audit_events (at_ms, actor_id, action, entity, entity_id, queue_id, vendor_id, before, after,
                                          reason)
                VALUES \(SQLList(rows))
                """).run()
        }
    }

    static func event(from row: any SQLRow) throws -> AuditEvent {
        let text = try row.string("action")
        guard let action = AuditAction(rawValue: text) else {
            throw AssayError.conflict("the audit log holds an action this version of Assay does not know: '\(text)' (a newer version wrote it)")
        }
        return AuditEvent(
            id: try row.int64("id"), at: try row.date("at_ms"), actorID: try row.optionalUUID("actor_id"),
            action: action, entity: try row.string("entity"), entityID: try row.string("entity_id"),
            queueID: try row.optionalUUID("queue_id"), vendorID: try row.optionalUUID("vendor_id"),
            before: try row.optionalString("before").map { try JSONValue(parsing: Array($0.utf8)) },
            after: try row.optionalString("after").map { try JSONValue(parsing: Array($0.utf8)) },
            reason: try row.optionalString("reason"))
    }
}
