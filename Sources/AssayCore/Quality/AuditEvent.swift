import Foundation

/// One entry of the append-only audit log: a decision that changed a label, a score, a status or a setting.
///
/// `before` and `after` hold the changed values as JSON, so a reader sees what the decision did without
/// replaying anything. The database refuses to update or delete an entry.
public struct AuditEvent: Codable, Sendable, Equatable {
    public var id: Int64
    public var at: Date
    /// Who decided: a person, or nil for the system (say, an automatic suspension).
    public var actorID: UUID?
    /// What happened, as `entity.verb`: `gold.set`, `gold.retired`, `member.status_changed`, `queue.quality_changed`.
    public var action: AuditAction
    /// The kind of thing changed (`item`, `person`, `queue`) and its id.
    public var entity: String
    public var entityID: String
    /// The queue it happened in, if any.
    public var queueID: UUID?
    /// The vendor of the person concerned, if any: a vendor lead sees their vendor's entries only.
    public var vendorID: UUID?
    public var before: JSONValue?
    public var after: JSONValue?
    /// Why, in words, when there is more to say than the values.
    public var reason: String?

    public init(
        id: Int64 = 0, at: Date, actorID: UUID?, action: AuditAction, entity: String, entityID: String, queueID: UUID?,
        vendorID: UUID? = nil, before: JSONValue?, after: JSONValue?, reason: String? = nil
    ) {
        self.id = id
        self.at = at
        self.actorID = actorID
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.queueID = queueID
        self.vendorID = vendorID
        self.before = before
        self.after = after
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case id, at, action, entity, before, after, reason
        case actorID = "actor_id", entityID = "entity_id", queueID = "queue_id", vendorID = "vendor_id"
    }
}
