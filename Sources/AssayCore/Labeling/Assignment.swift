import Foundation

/// An item leased to one annotator until `expiresAt`: the unit of work handed out by "next item".
public struct Assignment: Codable, Sendable, Equatable, Identifiable {
    /// Where an assignment stands.
    public enum State: String, Codable, Sendable, CaseIterable, ClosedChoice {
        /// Held by the annotator until it expires.
        case leased
        /// The annotator submitted a judgment.
        case submitted
        /// The annotator passed on the item; it goes back to the pool for others.
        case skipped
        /// The lease ran out before a judgment came; the item went back to the pool.
        case expired
    }

    /// The assignment's identifier, used to submit or skip.
    public var id: Int64
    /// The item leased.
    public var itemID: Int64
    /// The queue.
    public var queueID: UUID
    /// The annotator holding it.
    public var annotatorID: UUID
    /// Where it stands.
    public var state: State
    /// When it was handed out.
    public var leasedAt: Date
    /// When the lease runs out.
    public var expiresAt: Date

    /// Makes an assignment value.
    public init(
        id: Int64, itemID: Int64, queueID: UUID, annotatorID: UUID, state: State, leasedAt: Date, expiresAt: Date
    ) {
        self.id = id
        self.itemID = itemID
        self.queueID = queueID
        self.annotatorID = annotatorID
        self.state = state
        self.leasedAt = leasedAt
        self.expiresAt = expiresAt
    }

    /// Whether the lease has run out at `now`.
    public func isExpired(at now: Date) -> Bool { state == .leased && now >= expiresAt }
}

extension Assignment {
    enum CodingKeys: String, CodingKey {
        case id, state
        case itemID = "item_id", queueID = "queue_id", annotatorID = "annotator_id", leasedAt = "leased_at"
        case expiresAt = "expires_at"
    }
}
