import Foundation

/// One predictor's answer for one item, as a predictions file gives it.
public struct PredictionDraft: Sendable, Equatable {
    /// The item, by its external id in the queue.
    public var itemExternalID: String
    /// The predicted labels.
    public var labels: [String]
    /// The predictor's confidence in them, 0 to 1 (for a calibrated model, the probability they are right).
    public var confidence: Double
    /// How unsure the predictor is, 0 to 1, for ordering a queue by uncertainty (nil: 1 − confidence).
    public var uncertainty: Double?
    /// The line of the file it came from, for errors; nil when it did not come from a file.
    public var line: Int?

    /// Makes a draft.
    public init(itemExternalID: String, labels: [String], confidence: Double, uncertainty: Double? = nil, line: Int? = nil) {
        self.itemExternalID = itemExternalID
        self.labels = labels
        self.confidence = confidence
        self.uncertainty = uncertainty
        self.line = line
    }
}

/// What became of a prediction when it arrived on a queue that routes with its predictor (``AssistSettings``).
public enum ModelRoute: String, Codable, Sendable, CaseIterable, ClosedChoice {
    /// Confident enough: the prediction became the item's final label and no person saw the item.
    case autoAccepted = "auto_accepted"
    /// Confident enough, but drawn for the random audit: people label the item as usual, and their final label
    /// measures the precision of auto-accept.
    case audit
    /// Not confident enough (or the item was already in people's hands): people label it as the queue's overlap
    /// says.
    case human
    /// Review routing (``ReviewRouting``) asked for one person.
    case oneReview = "one_review"
    /// Review routing asked for two people who must agree.
    case twoReviews = "two_reviews"
    /// Review routing sent it to a policy expert (an arbitration case).
    case expert
}

/// A prediction shown to an annotator beside the item, when the queue shows its predictor's suggestions.
///
/// It carries no id: prediction ids follow import order, and gold items' predictions, imported with the gold set,
/// had ids apart from every other item's. The assignment records which prediction it showed.
public struct Suggestion: Codable, Sendable, Equatable {
    /// The suggested labels.
    public var labels: [String]
    /// The predictor's confidence.
    public var confidence: Double
    /// Which predictor made it.
    public var predictor: Predictor.Reference

    /// Makes a suggestion value.
    public init(labels: [String], confidence: Double, predictor: Predictor.Reference) {
        self.labels = labels
        self.confidence = confidence
        self.predictor = predictor
    }
}

/// What a predictions import did.
public struct PredictionImportReport: Codable, Sendable, Equatable {
    /// The predictor the predictions were stored under.
    public var predictor: Predictor.Reference
    /// Rows in the file.
    public var received: Int
    /// Items predicted for the first time by this predictor.
    public var inserted: Int
    /// Items whose earlier prediction by this predictor was replaced.
    public var replaced: Int
    /// How many predictions were routed, by route (empty when the queue does not route with this predictor).
    public var routed: [ModelRoute: Int]

    /// Makes a report.
    public init(predictor: Predictor.Reference, received: Int, inserted: Int, replaced: Int, routed: [ModelRoute: Int]) {
        self.predictor = predictor
        self.received = received
        self.inserted = inserted
        self.replaced = replaced
        self.routed = routed
    }

    enum CodingKeys: String, CodingKey {
        case predictor, received, inserted, replaced, routed
    }

    /// Encodes `routed` as an object keyed by route name (`{"auto_accepted": 12, "audit": 2, "human": 40}`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(predictor, forKey: .predictor)
        try container.encode(received, forKey: .received)
        try container.encode(inserted, forKey: .inserted)
        try container.encode(replaced, forKey: .replaced)
        try container.encode(
            Dictionary(uniqueKeysWithValues: ModelRoute.allCases.map { ($0.rawValue, routed[$0] ?? 0) }), forKey: .routed)
    }

    /// Decodes what ``encode(to:)`` writes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let routed = try container.decode([String: Int].self, forKey: .routed)
        self.init(
            predictor: try container.decode(Predictor.Reference.self, forKey: .predictor),
            received: try container.decode(Int.self, forKey: .received),
            inserted: try container.decode(Int.self, forKey: .inserted),
            replaced: try container.decode(Int.self, forKey: .replaced),
            routed: Dictionary(uniqueKeysWithValues: routed.compactMap { key, count in
                ModelRoute(rawValue: key).map { ($0, count) }
            }))
    }
}

/// Reads a predictions file: which item (by external id) a model labelled how, and how sure it was.
///
/// Fields: `external_id` (or `item_external_id`, `item`), `labels` (a JSON list, or text with `|` between labels)
/// or `label`, `confidence` (0 to 1, required: routing and alignment need it), and optionally `uncertainty` (0 to 1,
/// what an uncertainty-ordered queue sorts by; 1 − confidence when absent).
///
/// For example:
/// ```swift
/// let row = ImportRow(line: 2, fields: ["item": "c-1", "label": "spam", "confidence": "0.97"])
/// let draft = try PredictionRows.prediction(from: row)   // c-1: ["spam"] at 0.97
/// ```
public enum PredictionRows {
    /// The columns a predictions file must have, each given as the names it may go by.
    public static let requiredColumns: [[String]] = [
        ["external_id", "item_external_id", "item"], ["labels", "label"], ["confidence"],
    ]

    /// The predictions a row gives: one, or for a Label Studio task (``LabelStudioTasks/isTask(_:)``), those of
    /// the predictor whose version is `modelVersion`, none when the task has none
    /// (``LabelStudioTasks/predictions(from:modelVersion:)``).
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the line and field at fault.
    public static func predictions(from row: ImportRow, modelVersion: String) throws -> [PredictionDraft] {
        LabelStudioTasks.isTask(row)
            ? try LabelStudioTasks.predictions(from: row, modelVersion: modelVersion) : [try prediction(from: row)]
    }

    /// The prediction a row gives.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the line and field at fault.
    public static func prediction(from row: ImportRow) throws -> PredictionDraft {
        try row.refuseMisspellings(of: ["external_id", "item_external_id", "item", "labels", "label", "confidence", "uncertainty"])
        let item = try row.requiredText("external_id", "item_external_id", "item")
        let labels = try row.labelList()
        guard let confidence = try row.optionalNumber("confidence") else {
            throw AssayError.invalidInput(field: "confidence", line: row.line, reason: "is required")
        }
        guard (0...1).contains(confidence) else {
            throw AssayError.invalidInput(field: "confidence", line: row.line, reason: "must be 0 to 1, got \(confidence)")
        }
        let uncertainty = try row.optionalNumber("uncertainty")
        if let uncertainty, !(0...1).contains(uncertainty) {
            throw AssayError.invalidInput(field: "uncertainty", line: row.line, reason: "must be 0 to 1, got \(uncertainty)")
        }
        return PredictionDraft(
            itemExternalID: item, labels: labels, confidence: confidence, uncertainty: uncertainty, line: row.line)
    }
}
