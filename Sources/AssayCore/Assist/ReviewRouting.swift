import Foundation

/// How much checking an item gets, from the model's confidence, the item's risk tier and the reliability of the
/// people available: decided by the model alone, one review, two reviews that must agree, or an expert.
///
/// Each risk tier tolerates a largest chance that the item's final label is wrong. The model may decide alone when
/// auto-accept allows it (its confidence reaches the label's threshold) and its own error, 1 − confidence, is within
/// the tier's tolerance. Otherwise people do, as few as meet the tolerance given their accuracy p (the queue's recent
/// gold accuracy, smoothed towards 0.8 with 20 pseudo-answers):
///
/// - one review errs with probability 1 − p;
/// - two reviews err only when both make the same mistake, (1 − p)² / (p² + (1 − p)²) among the items where they
///   agree (a disagreement goes to arbitration);
/// - beyond that, an expert (a policy arbitrator) decides.
///
/// The tier is the item's `risk_tier` content field (`low`, `medium` or `high`), raised to `high` when the model
/// predicts a severe label.
///
/// For example, with people at 90% and the default tolerances (low 10%, medium 5%, high 2%):
/// ```swift
/// let routing = ReviewRouting()
/// routing.plan(confidence: 0.7, autoAcceptable: false, tier: .low, peopleAccuracy: 0.9)     // .oneReview
/// routing.plan(confidence: 0.7, autoAcceptable: false, tier: .medium, peopleAccuracy: 0.9)  // .twoReviews
/// routing.plan(confidence: 0.7, autoAcceptable: false, tier: .high, peopleAccuracy: 0.7)    // .expert
/// ```
public struct ReviewRouting: Codable, Sendable, Equatable {
    /// How risky an item is.
    public enum Tier: String, Codable, Sendable, CaseIterable, Comparable, ClosedChoice {
        case low, medium, high

        public static func < (lhs: Tier, rhs: Tier) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// The checking an item gets.
    public enum Plan: String, Codable, Sendable, CaseIterable, ClosedChoice {
        /// The model's label stands (auto-accept, with its audit).
        case autoDecide = "auto_decide"
        /// One person.
        case oneReview = "one_review"
        /// Two people, who must agree.
        case twoReviews = "two_reviews"
        /// A policy expert, through arbitration.
        case expert

        /// Judgments the plan asks of people (an expert decides through arbitration instead).
        public var judgments: Int {
            switch self {
            case .autoDecide, .expert: 0
            case .oneReview: 1
            case .twoReviews: 2
            }
        }
    }

    /// The largest chance of a wrong final label each tier tolerates.
    public var tolerance: [Tier: Double]
    /// The item content field holding its tier; items without one are `low`.
    public var riskField: String

    /// Makes a routing; the defaults tolerate 10%, 5% and 2% errors.
    public init(tolerance: [Tier: Double] = [.low: 0.10, .medium: 0.05, .high: 0.02], riskField: String = "risk_tier") {
        self.tolerance = tolerance
        self.riskField = riskField
    }

    /// The plan for one item.
    ///
    /// - Parameters:
    ///   - confidence: the model's confidence in its prediction.
    ///   - autoAcceptable: whether auto-accept would take it (threshold met, no human-only label).
    ///   - tier: the item's risk tier.
    ///   - peopleAccuracy: the accuracy of the people who would review it.
    public func plan(confidence: Double, autoAcceptable: Bool, tier: Tier, peopleAccuracy: Double) -> Plan {
        let allowed = tolerance[tier] ?? 0.05
        if autoAcceptable, 1 - confidence <= allowed + 1e-12 { return .autoDecide }
        let p = min(max(peopleAccuracy, 0), 1)
        if 1 - p <= allowed + 1e-12 { return .oneReview }
        let wrongTogether = (1 - p) * (1 - p)
        if wrongTogether / (wrongTogether + p * p) <= allowed + 1e-12 { return .twoReviews }
        return .expert
    }

    /// An item's tier: its risk field, raised to high for a severe predicted label.
    public func tier(of content: [String: JSONValue], predicted labels: [String], schema: LabelSchema) -> Tier {
        var tier = Tier.low
        if case .string(let text)? = content[riskField], let named = Tier(rawValue: text.lowercased()) { tier = named }
        if labels.contains(where: schema.severeCodes.contains) { tier = .high }
        return tier
    }

    /// People's accuracy from their recent gold answers, smoothed towards 0.8 with 20 pseudo-answers so that a queue
    /// with little gold is neither trusted nor distrusted on a few answers.
    public static func peopleAccuracy(correct: Int, answered: Int) -> Double {
        (Double(correct) + 16) / (Double(answered) + 20)
    }

    /// The routing, checked; throws ``AssayError/invalidInput(field:line:reason:)`` naming the field at fault.
    public func validated() throws -> ReviewRouting {
        for tier in Tier.allCases {
            guard let value = tolerance[tier], value.isFinite, value > 0, value < 0.5 else {
                throw AssayError.invalidInput(
                    field: "review_routing.tolerance.\(tier.rawValue)", line: nil, reason: "must be above 0 and below 0.5")
            }
        }
        guard !riskField.isEmpty else {
            throw AssayError.invalidInput(field: "review_routing.risk_field", line: nil, reason: "name the content field")
        }
        return self
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case tolerance
        case riskField = "risk_field"
    }

    /// Decodes a routing; missing tolerances take their defaults.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var tolerance = ReviewRouting().tolerance
        for (key, value) in try container.decodeIfPresent([String: Double].self, forKey: .tolerance) ?? [:] {
            guard let tier = Tier(rawValue: key) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .tolerance, in: container, debugDescription: "'\(key)' is not a risk tier (low, medium, high)")
            }
            tolerance[tier] = value
        }
        self.init(tolerance: tolerance, riskField: try container.decodeIfPresent(String.self, forKey: .riskField) ?? "risk_tier")
    }

    /// Encodes tolerances keyed by tier name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Dictionary(uniqueKeysWithValues: tolerance.map { ($0.key.rawValue, $0.value) }), forKey: .tolerance)
        try container.encode(riskField, forKey: .riskField)
    }
}
