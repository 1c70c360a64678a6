import AssayQuality
import Foundation

/// A judgment sampled for QA, and the reviewer's verdict once given.
public struct QAReview: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        case pending
        case leased
        case done
    }

    public enum Severity: String, Codable, Sendable, CaseIterable, ClosedChoice {
        /// A harmful miss or a wrongful takedown: counts toward the critical error rate.
        case critical
        case minor
    }

    public var id: Int64
    public var queueID: UUID
    public var judgmentID: Int64
    public var itemID: Int64
    public var annotatorID: UUID
    /// The stratum the judgment was sampled in (vendor|market|label|tier).
    public var stratum: String
    public var reason: QASampling.Reason
    public var state: State
    public var sampledAt: Date
    public var reviewerID: UUID?
    public var reviewedAt: Date?
    /// The reviewer's verdict: whether the annotator's labels were right.
    public var correct: Bool?
    /// The right labels (the annotator's when correct).
    public var rightLabels: [String]?
    public var errorCategory: String?
    public var severity: Severity?
    /// Per-label errors: missed violations and over-enforcement.
    public var errors: [QAError]

    public init(
        id: Int64, queueID: UUID, judgmentID: Int64, itemID: Int64, annotatorID: UUID, stratum: String,
        reason: QASampling.Reason, state: State, sampledAt: Date, reviewerID: UUID?, reviewedAt: Date?, correct: Bool?,
        rightLabels: [String]?, errorCategory: String?, severity: Severity?, errors: [QAError]
    ) {
        self.id = id
        self.queueID = queueID
        self.judgmentID = judgmentID
        self.itemID = itemID
        self.annotatorID = annotatorID
        self.stratum = stratum
        self.reason = reason
        self.state = state
        self.sampledAt = sampledAt
        self.reviewerID = reviewerID
        self.reviewedAt = reviewedAt
        self.correct = correct
        self.rightLabels = rightLabels
        self.errorCategory = errorCategory
        self.severity = severity
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case id, stratum, reason, state, correct, severity, errors
        case queueID = "queue_id", judgmentID = "judgment_id", itemID = "item_id", annotatorID = "annotator_id"
        case sampledAt = "sampled_at", reviewerID = "reviewer_id", reviewedAt = "reviewed_at"
        case rightLabels = "right_labels", errorCategory = "error_category"
    }
}

/// What a reviewer says about a judgment. In blind review only `labels` (the reviewer's own answer) is needed and
/// the verdict follows from comparing it with the annotator's; otherwise `correct`, and `labels` when incorrect.
public struct QAVerdict: Codable, Sendable, Equatable {
    public var correct: Bool?
    public var labels: [String]?
    public var errorCategory: String?
    public var severity: QAReview.Severity?

    public init(correct: Bool? = nil, labels: [String]? = nil, errorCategory: String? = nil, severity: QAReview.Severity? = nil) {
        self.correct = correct
        self.labels = labels
        self.errorCategory = errorCategory
        self.severity = severity
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case correct, labels, severity
        case errorCategory = "error_category"
    }

    /// Decodes a verdict; a key it does not know is refused when the decoder says so.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self, calling: "field")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            correct: try container.decodeIfPresent(Bool.self, forKey: .correct),
            labels: try container.decodeIfPresent([String].self, forKey: .labels),
            // A blank category (a form's empty field) is no category, not a category named "".
            errorCategory: try container.decodeIfPresent(String.self, forKey: .errorCategory)
                .map(\.trimmingBlanksAndNewlines).flatMap { $0.isEmpty ? nil : $0 },
            severity: try container.decodeIfPresent(QAReview.Severity.self, forKey: .severity))
    }
}

/// QA error rates of one group of reviews (a stratum, an annotator, the whole queue), with 95% Wilson intervals.
public struct QAErrorRate: Codable, Sendable, Equatable {
    public var key: String
    public var reviewed: Int
    public var errors: Int
    public var criticalErrors: Int
    /// Per label: missed violations and over-enforcement.
    public var falseNegatives: [String: Int]
    public var falsePositives: [String: Int]

    public init(
        key: String, reviewed: Int, errors: Int, criticalErrors: Int, falseNegatives: [String: Int],
        falsePositives: [String: Int]
    ) {
        self.key = key
        self.reviewed = reviewed
        self.errors = errors
        self.criticalErrors = criticalErrors
        self.falseNegatives = falseNegatives
        self.falsePositives = falsePositives
    }

    public var errorRate: WilsonInterval { WilsonInterval(successes: errors, trials: reviewed) }
    public var criticalErrorRate: WilsonInterval { WilsonInterval(successes: criticalErrors, trials: reviewed) }

    enum CodingKeys: String, CodingKey {
        case key, reviewed, errors
        case criticalErrors = "critical_errors", falseNegatives = "false_negatives", falsePositives = "false_positives"
        case errorRate = "error_rate", errorLower = "error_lower", errorUpper = "error_upper"
        case criticalRate = "critical_rate", criticalLower = "critical_lower", criticalUpper = "critical_upper"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            key: try container.decode(String.self, forKey: .key), reviewed: try container.decode(Int.self, forKey: .reviewed),
            errors: try container.decode(Int.self, forKey: .errors),
            criticalErrors: try container.decode(Int.self, forKey: .criticalErrors),
            falseNegatives: try container.decode([String: Int].self, forKey: .falseNegatives),
            falsePositives: try container.decode([String: Int].self, forKey: .falsePositives))
    }

    /// Writes the counts with each rate and its interval.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(reviewed, forKey: .reviewed)
        try container.encode(errors, forKey: .errors)
        try container.encode(criticalErrors, forKey: .criticalErrors)
        try container.encode(falseNegatives, forKey: .falseNegatives)
        try container.encode(falsePositives, forKey: .falsePositives)
        try container.encode(errorRate.proportion, forKey: .errorRate)
        try container.encode(errorRate.lower, forKey: .errorLower)
        try container.encode(errorRate.upper, forKey: .errorUpper)
        try container.encode(criticalErrorRate.proportion, forKey: .criticalRate)
        try container.encode(criticalErrorRate.lower, forKey: .criticalLower)
        try container.encode(criticalErrorRate.upper, forKey: .criticalUpper)
    }
}

/// `GET /queues/{queue}/qa/report`: error rates overall, per stratum and per annotator.
public struct QAReport: Codable, Sendable, Equatable {
    public var overall: QAErrorRate
    public var strata: [QAErrorRate]
    public var annotators: [QAErrorRate]
    public var pending: Int

    public init(overall: QAErrorRate, strata: [QAErrorRate], annotators: [QAErrorRate], pending: Int) {
        self.overall = overall
        self.strata = strata
        self.annotators = annotators
        self.pending = pending
    }
}

/// A review as the reviewer works it: the item, and the annotator's answer unless the queue reviews blind.
public struct QATask: Codable, Sendable, Equatable {
    public var review: QAReview
    public var item: Item
    /// The annotator's labels; nil in blind review.
    public var judgedLabels: [String]?
    public var rationale: String?

    public init(review: QAReview, item: Item, judgedLabels: [String]?, rationale: String?) {
        self.review = review
        self.item = item
        self.judgedLabels = judgedLabels
        self.rationale = rationale
    }

    enum CodingKeys: String, CodingKey {
        case review, item, rationale
        case judgedLabels = "judged_labels"
    }
}
