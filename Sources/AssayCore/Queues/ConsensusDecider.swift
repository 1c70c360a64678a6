import Foundation

/// Decides items under a queue's consensus rule: the rule alone, or the queue's estimated skill model. Until a
/// weighted or Dawid–Skene queue has its first estimate, its items are decided by majority.
///
/// Submits, imports and re-estimates all decide through it, so that one item's votes get one final label whoever
/// asks.
///
/// ```swift
/// let decider = ConsensusDecider(queue: queue, model: nil)
/// let label = decider.finalLabel(of: 42, votes: [("ann-1", ["spam"]), ("ann-2", ["spam"])], decidedAt: now)
/// label.provenance   // .unanimous
/// ```
public struct ConsensusDecider: Sendable {
    /// The queue whose rule, schema and threshold apply.
    public let queue: Queue
    /// The queue's current skill model, for a weighted or Dawid–Skene rule.
    public let model: ConsensusModel?

    /// Makes a decider; `model` is read only for a model-based rule.
    public init(queue: Queue, model: ConsensusModel?) {
        self.queue = queue
        self.model = queue.consensus.kind.isModelBased ? model : nil
    }

    /// The outcome of `votes` and the provenance it earns.
    public func decide(_ votes: [(annotator: String, labels: [String])]) -> (ConsensusOutcome, FinalLabel.Provenance) {
        if let model {
            let outcome = model.resolve(
                votes.compactMap { vote in vote.labels.first.map { (vote.annotator, $0) } },
                minimumConfidence: queue.consensus.minimumAgreement)
            guard outcome.isResolved else { return (outcome, .unresolved) }
            return (outcome, model.kind == .dawidSkene ? .dawidSkene : .weighted)
        }
        let rule = queue.consensus.kind.isModelBased
            ? ConsensusRule(kind: .majority, minimumAgreement: queue.consensus.minimumAgreement) : queue.consensus
        let outcome = rule.resolve(votes.map(\.labels), kind: queue.schema.kind)
        return (outcome, FinalLabel.provenance(of: outcome))
    }

    /// The final label `votes` give item `itemID`.
    public func finalLabel(
        of itemID: Int64, externalID: String = "", votes: [(annotator: String, labels: [String])], decidedAt: Date
    ) -> FinalLabel {
        let (outcome, provenance) = decide(votes)
        return FinalLabel(
            itemID: itemID, externalID: externalID, labels: outcome.labels, provenance: provenance,
            confidence: outcome.agreement, judgmentCount: votes.count, unresolvedReason: outcome.reason,
            decidedAt: decidedAt)
    }
}

extension FinalLabel {
    /// Whether people settled the label beyond the consensus rule's reach: an arbitrator's decision, or an appeal
    /// waiting for one. Neither a submit nor a re-estimate changes it.
    public static func isSettledByPeople(_ provenance: Provenance, reason: ConsensusOutcome.Reason?) -> Bool {
        provenance == .arbitration || reason == .appealed
    }
}
