import Foundation

/// An item waiting for (or given) an arbitrator's decision: the consensus rule could not decide it, or someone
/// appealed its final label. The decision is final: it becomes the final label whatever the judgments say, and
/// can make the item gold.
public struct ArbitrationCase: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable, ClosedChoice {
        /// Waiting for an arbitrator.
        case open
        /// Decided; `labels` is the decision.
        case decided
        /// Closed without a decision: a re-estimated consensus resolved the item.
        case withdrawn
    }

    public var id: Int64
    public var queueID: UUID
    public var itemID: Int64
    /// Why it opened: the unresolved reason (`tie`, `disagreement`, `below_minimum_agreement`, …) or `appeal`.
    public var reason: String
    /// What the appellant said.
    public var note: String?
    public var state: State
    public var openedAt: Date
    public var openedBy: UUID?
    public var decidedAt: Date?
    public var decidedBy: UUID?
    public var labels: [String]?
    public var rationale: String?
    /// For an appeal, the final label it reopened (nil when that label had none, or for an unresolved item).
    public var appealedLabels: [String]?

    public init(
        id: Int64, queueID: UUID, itemID: Int64, reason: String, note: String?, state: State, openedAt: Date,
        openedBy: UUID?, decidedAt: Date?, decidedBy: UUID?, labels: [String]?, rationale: String?,
        appealedLabels: [String]? = nil
    ) {
        self.id = id
        self.queueID = queueID
        self.itemID = itemID
        self.reason = reason
        self.note = note
        self.state = state
        self.openedAt = openedAt
        self.openedBy = openedBy
        self.decidedAt = decidedAt
        self.decidedBy = decidedBy
        self.labels = labels
        self.rationale = rationale
        self.appealedLabels = appealedLabels
    }

    enum CodingKeys: String, CodingKey {
        case id, reason, note, state, labels, rationale
        case appealedLabels = "appealed_labels"
        case queueID = "queue_id", itemID = "item_id", openedAt = "opened_at", openedBy = "opened_by"
        case decidedAt = "decided_at", decidedBy = "decided_by"
    }
}

/// A case as an arbitrator works it: the item, every judgment, and the label the rule reached (if any).
public struct ArbitrationFile: Codable, Sendable, Equatable {
    /// One judgment; `annotatorID` and `annotatorName` are nil when the queue hides who judged.
    public struct Vote: Codable, Sendable, Equatable {
        public var labels: [String]
        public var rationale: String?
        public var annotatorID: UUID?
        public var annotatorName: String?

        public init(labels: [String], rationale: String?, annotatorID: UUID?, annotatorName: String?) {
            self.labels = labels
            self.rationale = rationale
            self.annotatorID = annotatorID
            self.annotatorName = annotatorName
        }

        enum CodingKeys: String, CodingKey {
            case labels, rationale
            case annotatorID = "annotator_id", annotatorName = "annotator_name"
        }
    }

    public var arbitrationCase: ArbitrationCase
    public var item: Item
    public var judgments: [Vote]
    public var finalLabel: FinalLabel?
    /// The queue's guidelines in force, which the decision applies (nil when the queue has none).
    public var guideline: Guideline?
    /// The item's reference answer when it is active gold (an annotator escalated a gold item, or review routing
    /// sent one): a decision must agree with it, or replace it (`promote_to_gold`).
    public var gold: GoldAnswer?

    public init(
        arbitrationCase: ArbitrationCase, item: Item, judgments: [Vote], finalLabel: FinalLabel?, guideline: Guideline? = nil,
        gold: GoldAnswer? = nil
    ) {
        self.arbitrationCase = arbitrationCase
        self.item = item
        self.judgments = judgments
        self.finalLabel = finalLabel
        self.guideline = guideline
        self.gold = gold
    }

    enum CodingKeys: String, CodingKey {
        case item, judgments, guideline, gold
        case arbitrationCase = "case", finalLabel = "final_label"
    }
}

/// What a consensus re-estimate did.
public struct ConsensusEstimate: Codable, Sendable, Equatable {
    public var queueID: UUID
    public var kind: ConsensusRule.Kind
    public var judgments: Int
    public var annotators: Int
    public var iterations: Int
    public var converged: Bool
    /// Final labels looked at again, and how many changed (label, provenance or resolution).
    public var itemsRedecided: Int
    public var itemsChanged: Int
    public var seconds: Double

    public init(
        queueID: UUID, kind: ConsensusRule.Kind, judgments: Int, annotators: Int, iterations: Int, converged: Bool,
        itemsRedecided: Int, itemsChanged: Int, seconds: Double
    ) {
        self.queueID = queueID
        self.kind = kind
        self.judgments = judgments
        self.annotators = annotators
        self.iterations = iterations
        self.converged = converged
        self.itemsRedecided = itemsRedecided
        self.itemsChanged = itemsChanged
        self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case kind, judgments, annotators, iterations, converged, seconds
        case queueID = "queue_id", itemsRedecided = "items_redecided", itemsChanged = "items_changed"
    }
}
