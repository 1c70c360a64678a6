import Foundation

/// The one label an item ends with, and how it was reached.
public struct FinalLabel: Codable, Sendable, Equatable {
    /// How the final label was decided.
    public enum Provenance: String, Codable, Sendable, CaseIterable, ClosedChoice {
        /// Every judgment agreed.
        case unanimous
        /// The most-voted answer.
        case majority
        /// The consensus rule could not decide; the item waits for arbitration.
        case unresolved
        /// The skill-weighted vote.
        case weighted
        /// The Dawid–Skene posterior.
        case dawidSkene = "dawid_skene"
        /// An arbitrator's decision: final, whatever the judgments say.
        case arbitration
        /// A QA reviewer found the annotator wrong and gave the right answer.
        case qaOverturn = "qa_overturn"
        /// A model's prediction, auto-accepted above the queue's confidence threshold (``AutoAccept``); no person
        /// judged the item.
        case model = "model_auto_accept"

        /// Whether people decided it (a model's auto-accepted label is not people's; nor is "unresolved").
        public var isDecidedByPeople: Bool { self != .model && self != .unresolved }
    }

    /// The item.
    public var itemID: Int64
    /// The item's external id.
    public var externalID: String
    /// The final labels; `nil` when unresolved.
    public var labels: [String]?
    /// How it was decided.
    public var provenance: Provenance
    /// Share of judgments agreeing with the outcome (0–1).
    public var confidence: Double
    /// Number of judgments behind it.
    public var judgmentCount: Int
    /// Why it is unresolved.
    public var unresolvedReason: ConsensusOutcome.Reason?
    /// When it was decided.
    public var decidedAt: Date

    /// Makes a final label value.
    public init(
        itemID: Int64, externalID: String, labels: [String]?, provenance: Provenance, confidence: Double,
        judgmentCount: Int, unresolvedReason: ConsensusOutcome.Reason?, decidedAt: Date
    ) {
        self.itemID = itemID
        self.externalID = externalID
        self.labels = labels
        self.provenance = provenance
        self.confidence = confidence
        self.judgmentCount = judgmentCount
        self.unresolvedReason = unresolvedReason
        self.decidedAt = decidedAt
    }

    /// The provenance a consensus outcome earns under a rule: unanimous when every judgment agreed.
    public static func provenance(of outcome: ConsensusOutcome) -> Provenance {
        guard outcome.isResolved else { return .unresolved }
        return outcome.agreement >= 1 - 1e-12 ? .unanimous : .majority
    }
}

/// A queue's progress, from counters the store maintains as work happens (never a count over the items).
///
/// Gold items test annotators and never get a final label, so progress is over the other items: a queue of 90
/// items, 20 of them gold, is complete once 70 are.
public struct QueueStats: Codable, Sendable, Equatable {
    /// Items imported, gold included.
    public var items: Int
    /// Items with all the judgments the overlap asks for (a final label, or a tie sent to arbitration).
    public var completedItems: Int
    /// Judgments received.
    public var judgments: Int
    /// Skips.
    public var skips: Int
    /// Items with a final label.
    public var resolvedItems: Int
    /// Items whose judgments did not reach consensus.
    public var unresolvedItems: Int
    /// Gold items that left production without a final label.
    public var goldItems: Int

    /// Makes a stats value.
    public init(
        items: Int, completedItems: Int, judgments: Int, skips: Int, resolvedItems: Int, unresolvedItems: Int,
        goldItems: Int = 0
    ) {
        self.items = items
        self.completedItems = completedItems
        self.judgments = judgments
        self.skips = skips
        self.resolvedItems = resolvedItems
        self.unresolvedItems = unresolvedItems
        self.goldItems = goldItems
    }

    /// The items to be labelled: all but the gold ones without a final label.
    public var workItems: Int { max(0, items - goldItems) }
    /// Items still waiting for judgments.
    public var backlog: Int { max(0, workItems - completedItems) }
    /// Share of the items to be labelled that are complete (0 for a queue with none).
    public var completion: Double { workItems == 0 ? 0 : min(1, Double(completedItems) / Double(workItems)) }
}

extension FinalLabel {
    enum CodingKeys: String, CodingKey {
        case labels, provenance, confidence
        case itemID = "item_id", externalID = "external_id", judgmentCount = "judgment_count"
        case unresolvedReason = "unresolved_reason", decidedAt = "decided_at"
    }
}

extension QueueStats {
    enum CodingKeys: String, CodingKey {
        case items, judgments, skips
        case completedItems = "completed_items", resolvedItems = "resolved_items", unresolvedItems = "unresolved_items"
        case goldItems = "gold_items"
    }
}

extension FinalLabel {
    /// The final label as the audit log records it before and after a change: its labels, how they were decided and
    /// how sure. One shape for every event that changes one (arbitrated, appealed, overturned by QA).
    public var auditValue: JSONValue {
        [
            "labels": labels.map { .array($0.map(JSONValue.string)) } ?? .null,
            "provenance": .string(provenance.rawValue), "confidence": .number(confidence),
        ]
    }
}
