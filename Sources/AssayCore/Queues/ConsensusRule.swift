import Foundation

/// How a queue turns the judgments of one item into its final label.
///
/// **unanimous** needs every judgment to agree; **majority** takes the label with the most votes if no other
/// label has as many (a tie is unresolved) and, when `minimumAgreement` is set, if its share of the votes reaches
/// it. Multi-choice queues apply these two to each label separately: a label is in the final set when the rule
/// accepts "chosen" over "not chosen" for it.
///
/// **weighted** and **dawid_skene** weigh each person by their skill, estimated over the whole queue (see
/// ``ConsensusModel``): weighted majority votes with iteratively estimated weights (shaped by gold), Dawid–Skene
/// gives each item a posterior from every person's full confusion matrix. For them `minimumAgreement` is the
/// minimum confidence: the weighted vote share, or the posterior probability, of the winning label. They take
/// single-choice and rating queues. Whatever the rule, an item left unresolved opens an arbitration case.
///
/// For example:
/// ```swift
/// let rule = ConsensusRule.majority
/// let outcome = rule.resolve([["spam"], ["spam"], ["none"]], kind: .singleChoice)
/// // outcome.labels == ["spam"], outcome.agreement ≈ 0.667
/// ```
public struct ConsensusRule: Codable, Sendable, Equatable {
    /// The family of rule.
    public enum Kind: String, Codable, Sendable, CaseIterable, ClosedChoice {
        /// The most-voted label, without ties.
        case majority
        /// All judgments the same.
        case unanimous
        /// Votes weighted by each person's estimated skill.
        case weighted
        /// The Dawid–Skene posterior from each person's confusion matrix.
        case dawidSkene = "dawid_skene"

        /// Whether the rule needs a model estimated over the queue's judgments.
        public var isModelBased: Bool { self == .weighted || self == .dawidSkene }
    }

    /// The family of rule.
    public var kind: Kind
    /// The share of votes (0–1) the winning label needs (for weighted and Dawid–Skene: its confidence); `nil`
    /// accepts any strict plurality.
    public var minimumAgreement: Double?

    /// Makes a rule.
    public init(kind: Kind, minimumAgreement: Double? = nil) {
        self.kind = kind
        self.minimumAgreement = minimumAgreement
    }

    /// Strict plurality, ties unresolved.
    public static let majority = ConsensusRule(kind: .majority)
    /// Every judgment the same.
    public static let unanimous = ConsensusRule(kind: .unanimous)

    /// The rule if its settings make sense for a queue whose schema is of `schemaKind`.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` when `minimumAgreement` is outside (0, 1], or a
    ///   skill-weighted rule is asked of a multi-choice queue.
    public func validated(for schemaKind: LabelSchema.Kind = .singleChoice) throws -> ConsensusRule {
        if let share = minimumAgreement, !(share > 0 && share <= 1) {
            throw AssayError.invalidInput(
                field: "consensus.minimum_agreement", line: nil, reason: "must be above 0 and at most 1, got \(share)")
        }
        if kind.isModelBased, schemaKind == .multiChoice {
            throw AssayError.invalidInput(
                field: "consensus.kind", line: nil,
                reason: "\(kind.rawValue) works on single-choice and rating queues; use majority or unanimous here")
        }
        return self
    }

    /// The final label for one item from its judgments' labels (each already canonical, see
    /// ``LabelSchema/validate(labels:rationale:)``).
    public func resolve(_ judgments: [[String]], kind schemaKind: LabelSchema.Kind) -> ConsensusOutcome {
        guard !judgments.isEmpty else { return ConsensusOutcome(labels: nil, agreement: 0, reason: .noJudgments) }
        switch schemaKind {
        case .singleChoice, .rating, .preference:
            return resolveWhole(judgments)
        case .multiChoice:
            return resolvePerLabel(judgments)
        }
    }

    private func resolveWhole(_ judgments: [[String]]) -> ConsensusOutcome {
        var votes: [[String]: Int] = [:]
        for labels in judgments { votes[labels, default: 0] += 1 }
        let ranked = votes.sorted { $0.value > $1.value }
        let top = ranked[0]
        let agreement = Double(top.value) / Double(judgments.count)
        if ranked.count > 1, ranked[1].value == top.value {
            return ConsensusOutcome(labels: nil, agreement: agreement, reason: .tie)
        }
        if kind == .unanimous, ranked.count > 1 {
            return ConsensusOutcome(labels: nil, agreement: agreement, reason: .disagreement)
        }
        if let minimum = minimumAgreement, agreement + 1e-12 < minimum {
            return ConsensusOutcome(labels: nil, agreement: agreement, reason: .belowMinimumAgreement)
        }
        return ConsensusOutcome(labels: top.key, agreement: agreement, reason: nil)
    }

    /// Multi-choice: each label is a yes/no question; the final set holds the labels the rule says yes to.
    /// The agreement reported is the lowest agreement over the labels anyone chose.
    private func resolvePerLabel(_ judgments: [[String]]) -> ConsensusOutcome {
        var order: [String] = []
        var chosen: [String: Int] = [:]
        for labels in judgments {
            for label in labels {
                if chosen[label] == nil { order.append(label) }
                chosen[label, default: 0] += 1
            }
        }
        let total = judgments.count
        var final: [String] = []
        var lowest = 1.0
        for label in order {
            let yes = chosen[label]!
            let no = total - yes
            lowest = min(lowest, Double(max(yes, no)) / Double(total))
            if yes == no { return ConsensusOutcome(labels: nil, agreement: lowest, reason: .tie) }
            if kind == .unanimous, yes != total {
                return ConsensusOutcome(labels: nil, agreement: lowest, reason: .disagreement)
            }
            if yes > no { final.append(label) }
        }
        if let minimum = minimumAgreement, lowest + 1e-12 < minimum {
            return ConsensusOutcome(labels: nil, agreement: lowest, reason: .belowMinimumAgreement)
        }
        if final.isEmpty { return ConsensusOutcome(labels: nil, agreement: lowest, reason: .noLabelChosenByMajority) }
        return ConsensusOutcome(labels: final, agreement: lowest, reason: nil)
    }
}

/// What a consensus rule made of one item's judgments.
public struct ConsensusOutcome: Sendable, Equatable {
    /// Why an item stayed unresolved.
    public enum Reason: String, Codable, Sendable {
        /// Two or more answers got the most votes.
        case tie
        /// The rule needs all judgments to agree and they do not.
        case disagreement
        /// The winner's share of votes is below the queue's minimum.
        case belowMinimumAgreement = "below_minimum_agreement"
        /// Multi-choice: every label was rejected by most judges, so nothing is left.
        case noLabelChosenByMajority = "no_label_chosen_by_majority"
        /// Nothing to resolve.
        case noJudgments = "no_judgments"
        /// Someone appealed the final label; an arbitrator decides it again.
        case appealed
    }

    /// The final labels, or `nil` when unresolved.
    public let labels: [String]?
    /// The share of judgments that agree with the outcome (for multi-choice, the lowest over labels).
    public let agreement: Double
    /// Why the item is unresolved; `nil` when resolved.
    public let reason: Reason?

    /// Whether the rule produced a final label.
    public var isResolved: Bool { labels != nil }
}

extension ConsensusRule {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind
        case minimumAgreement = "minimum_agreement"
    }

    /// Decodes a rule; from a person, a key it does not know is refused (`"minimum_agrement"` left the rule without
    /// its threshold).
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: try container.decode(Kind.self, forKey: .kind),
            minimumAgreement: try container.decodeIfPresent(Double.self, forKey: .minimumAgreement))
    }
}
