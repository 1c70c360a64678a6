import Foundation

/// How auto-accept is doing on a queue: how many predictions each route took, and the measured precision of the
/// auto-accepted ones.
///
/// Precision is measured on the audit: auto-acceptable predictions drawn at random and sent to people anyway.
/// The audited items are a uniform sample of the auto-acceptable ones, so the share of audits whose human final
/// label equals the prediction estimates the precision of every auto-accepted label, and its 95% Wilson interval
/// says how far to trust that estimate. Audits still waiting for their people count in `audited`, not in
/// `precision`.
///
/// For example:
/// ```swift
/// let report = AutoAcceptReport(
///     predictor: try Predictor.Reference(parsing: "triage@1"), routed: [.autoAccepted: 95, .audit: 5, .human: 40],
///     audits: [AutoAcceptReport.Audit(itemExternalID: "c-1", predicted: ["spam"], decided: ["spam"])])
/// report.precision.correct    // 1 of 1
/// report.autoAcceptShare      // 95 / 140
/// ```
public struct AutoAcceptReport: Codable, Sendable, Equatable {
    /// An audited prediction whose item has a final label from people.
    public struct Audit: Codable, Sendable, Equatable {
        /// The item.
        public var itemExternalID: String
        /// What the model said.
        public var predicted: [String]
        /// What the people decided.
        public var decided: [String]

        /// Makes an audit value.
        public init(itemExternalID: String, predicted: [String], decided: [String]) {
            self.itemExternalID = itemExternalID
            self.predicted = predicted
            self.decided = decided
        }

        /// Whether the people agreed with the model (the same set of labels).
        public var isAgreed: Bool { LabelMatch.isSame(predicted, as: decided) }

        enum CodingKeys: String, CodingKey {
            case predicted, decided
            case itemExternalID = "item_external_id"
        }
    }

    /// Precision of one predicted label.
    public struct LabelPrecision: Codable, Sendable, Equatable {
        /// The label the model predicted.
        public var label: String
        /// Audits of predictions with this label, and how many people agreed with.
        public var precision: GoldScore
    }

    /// The predictor.
    public var predictor: Predictor.Reference
    /// Predictions routed each way.
    public var autoAccepted: Int
    /// Predictions sent to the audit (decided by people or still waiting).
    public var audited: Int
    /// Predictions sent to people for want of confidence (or because people already had the item), review
    /// routing's plans included.
    public var sentToPeople: Int
    /// Of those, how many review routing sent to one review, two reviews and an expert.
    public var reviewPlans: [String: Int]
    /// Of the audits people have decided, how many agreed with the model, with its 95% interval.
    public var precision: GoldScore
    /// The same, per predicted label.
    public var byLabel: [LabelPrecision]
    /// Audits where people decided otherwise (at most 50), for the team to read.
    public var disagreements: [Audit]

    /// Builds the report from route counts and the decided audits.
    public init(predictor: Predictor.Reference, routed: [ModelRoute: Int], audits: [Audit]) {
        self.predictor = predictor
        autoAccepted = routed[.autoAccepted] ?? 0
        audited = routed[.audit] ?? 0
        let plans: [ModelRoute] = [.oneReview, .twoReviews, .expert]
        sentToPeople = (routed[.human] ?? 0) + plans.reduce(0) { $0 + (routed[$1] ?? 0) }
        reviewPlans = Dictionary(uniqueKeysWithValues: plans.map { ($0.rawValue, routed[$0] ?? 0) })
        precision = GoldScore(answered: audits.count, correct: audits.count(where: \.isAgreed))
        var perLabel: [String: GoldScore] = [:]
        for audit in audits {
            for label in audit.predicted {
                perLabel[label, default: GoldScore(answered: 0, correct: 0)].answered += 1
                if audit.isAgreed { perLabel[label]!.correct += 1 }
            }
        }
        byLabel = perLabel.sorted { $0.key < $1.key }.map { LabelPrecision(label: $0.key, precision: $0.value) }
        disagreements = Array(audits.filter { !$0.isAgreed }.prefix(50))
    }

    /// The share of routed predictions that became final labels without a person.
    public var autoAcceptShare: Double {
        let total = autoAccepted + audited + sentToPeople
        return total == 0 ? 0 : Double(autoAccepted) / Double(total)
    }

    enum CodingKeys: String, CodingKey {
        case predictor, audited, precision, disagreements
        case autoAccepted = "auto_accepted", sentToPeople = "sent_to_people", byLabel = "by_label", reviewPlans = "review_plans"
        case autoAcceptShare = "auto_accept_share"
    }

    /// Writes the report with its auto-accept share.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(predictor, forKey: .predictor)
        try container.encode(autoAccepted, forKey: .autoAccepted)
        try container.encode(audited, forKey: .audited)
        try container.encode(sentToPeople, forKey: .sentToPeople)
        try container.encode(reviewPlans, forKey: .reviewPlans)
        try container.encode(autoAcceptShare, forKey: .autoAcceptShare)
        try container.encode(precision, forKey: .precision)
        try container.encode(byLabel, forKey: .byLabel)
        try container.encode(disagreements, forKey: .disagreements)
    }

    /// Reads what ``encode(to:)`` writes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        predictor = try container.decode(Predictor.Reference.self, forKey: .predictor)
        autoAccepted = try container.decode(Int.self, forKey: .autoAccepted)
        audited = try container.decode(Int.self, forKey: .audited)
        sentToPeople = try container.decode(Int.self, forKey: .sentToPeople)
        reviewPlans = try container.decode([String: Int].self, forKey: .reviewPlans)
        precision = try container.decode(GoldScore.self, forKey: .precision)
        byLabel = try container.decode([LabelPrecision].self, forKey: .byLabel)
        disagreements = try container.decode([Audit].self, forKey: .disagreements)
    }
}
