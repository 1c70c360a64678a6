import Foundation

/// How a queue puts a model to work beside its people: which predictor it listens to, whether annotators see
/// that predictor's suggestion, and whether confident predictions become final labels without a person.
///
/// For example, a queue that shows the LLM's suggestion and auto-accepts `none` above 0.97, with a 5% audit, while
/// `hate` always goes to people:
/// ```json
/// {"predictor": "llm-triage@v3", "show_predictions": true,
///  "auto_accept": {"threshold": 0.97, "audit_rate": 0.05, "human_only_labels": ["hate"]}}
/// ```
public struct AssistSettings: Codable, Sendable, Equatable {
    /// The predictor whose predictions the queue uses; nil uses none.
    public var predictor: Predictor.Reference?
    /// Whether annotators see the predictor's suggestion beside the item. Off by default: a visible suggestion
    /// anchors people, so turn it on knowingly and watch the rubber-stamp rate (``ModelAlignment``).
    public var showPredictions: Bool
    /// Auto-accept: nil sends every item to people.
    public var autoAccept: AutoAccept?
    /// How many people check the items the model does not decide, by risk and people's reliability; nil uses the
    /// queue's overlap for every item.
    public var reviewRouting: ReviewRouting?

    /// Settings that use no model: the default for a queue.
    public init(
        predictor: Predictor.Reference? = nil, showPredictions: Bool = false, autoAccept: AutoAccept? = nil,
        reviewRouting: ReviewRouting? = nil
    ) {
        self.predictor = predictor
        self.showPredictions = showPredictions
        self.autoAccept = autoAccept
        self.reviewRouting = reviewRouting
    }

    /// Whether predictions of the queue's predictor are routed when they arrive.
    public var routesPredictions: Bool { predictor != nil && (autoAccept != nil || reviewRouting != nil) }

    /// Whether the queue does anything with a model.
    public var isActive: Bool { predictor != nil && (showPredictions || autoAccept != nil || reviewRouting != nil) }

    /// The settings, checked against the queue's labels.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the field at fault.
    public func validated(for schema: LabelSchema) throws -> AssistSettings {
        if predictor == nil, showPredictions || autoAccept != nil || reviewRouting != nil {
            throw AssayError.invalidInput(
                field: "predictor", line: nil,
                reason: "name the predictor (NAME@VERSION) whose predictions to show or auto-accept")
        }
        return AssistSettings(
            predictor: predictor, showPredictions: showPredictions, autoAccept: try autoAccept?.validated(for: schema),
            reviewRouting: try reviewRouting?.validated())
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case predictor
        case showPredictions = "show_predictions", autoAccept = "auto_accept", reviewRouting = "review_routing"
    }

    /// Decodes settings; missing fields take their defaults.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            predictor: try container.decodeIfPresent(Predictor.Reference.self, forKey: .predictor),
            showPredictions: try container.decodeIfPresent(Bool.self, forKey: .showPredictions) ?? false,
            autoAccept: try container.decodeIfPresent(AutoAccept.self, forKey: .autoAccept),
            reviewRouting: try container.decodeIfPresent(ReviewRouting.self, forKey: .reviewRouting))
    }
}

/// When a prediction becomes the final label without a person, and how much of that is audited.
///
/// A prediction is auto-accepted when its confidence reaches the threshold of its labels (the strictest one,
/// for several labels) and none of them is human-only. Of those, a random `auditRate` share still goes to people;
/// comparing their final labels with the predictions measures the precision of auto-accept, with its interval.
///
/// For example:
/// ```swift
/// let rule = AutoAccept(threshold: 0.95, labelThresholds: ["spam": 0.9], auditRate: 0.1)
/// rule.route(labels: ["spam"], confidence: 0.92, auditDraw: 0.5)   // .autoAccepted
/// rule.route(labels: ["spam"], confidence: 0.92, auditDraw: 0.05)  // .audit
/// rule.route(labels: ["none"], confidence: 0.92, auditDraw: 0.5)   // .human
/// ```
public struct AutoAccept: Codable, Sendable, Equatable {
    /// The confidence a prediction needs, for labels without a threshold of their own: 0.5 to 1.
    public var threshold: Double
    /// Thresholds of particular labels, overriding `threshold`.
    public var labelThresholds: [String: Double]
    /// The share of auto-acceptable predictions sent to people anyway, to measure precision: 0 to 1.
    public var auditRate: Double
    /// Labels a model never decides alone (say the severe ones): their items always go to people.
    public var humanOnlyLabels: [String]

    /// Makes a rule.
    public init(
        threshold: Double = 0.95, labelThresholds: [String: Double] = [:], auditRate: Double = 0.05,
        humanOnlyLabels: [String] = []
    ) {
        self.threshold = threshold
        self.labelThresholds = labelThresholds
        self.auditRate = auditRate
        self.humanOnlyLabels = humanOnlyLabels
    }

    /// The confidence predicted `labels` need: the strictest threshold among them.
    public func threshold(for labels: [String]) -> Double {
        labels.map { labelThresholds[$0] ?? threshold }.max() ?? threshold
    }

    /// Where a prediction goes, given a uniform draw in [0, 1) for the audit.
    public func route(labels: [String], confidence: Double, auditDraw: Double) -> ModelRoute {
        guard !labels.isEmpty, !labels.contains(where: humanOnlyLabels.contains), confidence >= threshold(for: labels)
        else { return .human }
        return auditDraw < auditRate ? .audit : .autoAccepted
    }

    /// Where a prediction goes, drawing the audit from `rng`.
    public func route(labels: [String], confidence: Double, using rng: inout some RandomNumberGenerator) -> ModelRoute {
        route(labels: labels, confidence: confidence, auditDraw: Double.random(in: 0..<1, using: &rng))
    }

    /// The rule, checked against the queue's labels.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the field at fault.
    public func validated(for schema: LabelSchema) throws -> AutoAccept {
        let codes = Set(schema.codes)
        for (field, value) in [("auto_accept.threshold", threshold)] + labelThresholds.sorted(by: { $0.key < $1.key })
            .map({ ("auto_accept.label_thresholds.\($0.key)", $0.value) })
        {
            guard value.isFinite, (0.5...1).contains(value) else {
                throw AssayError.invalidInput(
                    field: field, line: nil,
                    reason: "must be 0.5 to 1 (below 0.5 the model is more often wrong than right), got \(value)")
            }
        }
        for label in labelThresholds.keys.sorted() + humanOnlyLabels where !codes.contains(label) {
            throw AssayError.invalidInput(field: "auto_accept", line: nil, reason: "'\(label)' is not a label of this queue")
        }
        guard auditRate.isFinite, (0...1).contains(auditRate) else {
            throw AssayError.invalidInput(field: "auto_accept.audit_rate", line: nil, reason: "must be 0 to 1, got \(auditRate)")
        }
        return self
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case threshold
        case labelThresholds = "label_thresholds", auditRate = "audit_rate", humanOnlyLabels = "human_only_labels"
    }

    /// Decodes a rule; missing fields take their defaults.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            threshold: try container.decodeIfPresent(Double.self, forKey: .threshold) ?? 0.95,
            labelThresholds: try container.decodeIfPresent([String: Double].self, forKey: .labelThresholds) ?? [:],
            auditRate: try container.decodeIfPresent(Double.self, forKey: .auditRate) ?? 0.05,
            humanOnlyLabels: try container.decodeIfPresent([String].self, forKey: .humanOnlyLabels) ?? [])
    }
}
