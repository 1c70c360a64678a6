import Foundation

/// An item's text with its label: what the built-in classifier trains on, and what label-error detection checks.
public struct LabeledText: Sendable, Equatable {
    /// The item.
    public var itemID: Int64
    /// Its external id.
    public var externalID: String
    /// The text of the fields the classifier reads.
    public var text: String
    /// Its final (or reference) labels.
    public var labels: [String]
    /// How its final label was decided (nil for a gold reference).
    public var provenance: FinalLabel.Provenance?
    /// The final label's confidence, judgments and decision time (nil for a gold reference).
    public var confidence: Double?
    public var judgmentCount: Int?
    public var decidedAt: Date?

    /// Makes a value.
    public init(
        itemID: Int64, externalID: String, text: String, labels: [String], provenance: FinalLabel.Provenance?,
        confidence: Double? = nil, judgmentCount: Int? = nil, decidedAt: Date? = nil
    ) {
        self.itemID = itemID
        self.externalID = externalID
        self.text = text
        self.labels = labels
        self.provenance = provenance
        self.confidence = confidence
        self.judgmentCount = judgmentCount
        self.decidedAt = decidedAt
    }

    /// The text a classifier reads from an item's content: the named fields in order, one per line; a field that
    /// is not text is written as compact JSON; missing fields are left out.
    ///
    /// For example:
    /// ```swift
    /// LabeledText.text(of: ["query": "cheap flights", "result": "Lisbon from $89"], fields: ["query", "result"])
    /// // "cheap flights\nLisbon from $89"
    /// ```
    public static func text(of content: [String: JSONValue], fields: [String]) -> String {
        fields.compactMap { field -> String? in
            switch content[field] {
            case nil, .null?: return nil
            case .string(let text)?: return text
            case let value?: return value.canonicalJSON
            }
        }.joined(separator: "\n")
    }
}

/// A final label that label-error detection disputes.
public struct LabelErrorFlag: Sendable, Equatable {
    /// The item.
    public var itemID: Int64
    /// Its external id.
    public var externalID: String
    /// The label it has.
    public var givenLabels: [String]
    /// The label the classifier is confident of instead.
    public var suggestedLabels: [String]
    /// The classifier's out-of-fold probability of the given label.
    public var selfConfidence: Double
    /// Its probability of the suggested label.
    public var suggestedConfidence: Double

    /// Makes a flag.
    public init(
        itemID: Int64, externalID: String, givenLabels: [String], suggestedLabels: [String], selfConfidence: Double,
        suggestedConfidence: Double
    ) {
        self.itemID = itemID
        self.externalID = externalID
        self.givenLabels = givenLabels
        self.suggestedLabels = suggestedLabels
        self.selfConfidence = selfConfidence
        self.suggestedConfidence = suggestedConfidence
    }

    /// The note an arbitrator reads on the re-review case.
    public var reviewNote: String {
        String(
            format: "Label-error check: the classifier gives '%@' %.2f and the current label '%@' %.2f (out of fold).",
            suggestedLabels.joined(separator: "|"), suggestedConfidence, givenLabels.joined(separator: "|"), selfConfidence)
    }
}

/// What became of a queue's label-error flags: how many went to re-review, and how many of those the arbitrators
/// overturned (the flag was right) or upheld.
public struct LabelErrorReport: Codable, Sendable, Equatable {
    /// Flags raised.
    public var flagged: Int
    /// Flags sent to re-review (an arbitration case each).
    public var sentToReview: Int
    /// Re-reviews still waiting for an arbitrator.
    public var open: Int
    /// Of the decided re-reviews, those that changed the label, with its 95% interval: the precision of the flags.
    public var overturned: GoldScore
    /// Of the decided re-reviews, those that chose exactly the classifier's suggestion.
    public var matchedSuggestion: GoldScore

    /// Makes a report.
    public init(flagged: Int, sentToReview: Int, open: Int, overturned: GoldScore, matchedSuggestion: GoldScore) {
        self.flagged = flagged
        self.sentToReview = sentToReview
        self.open = open
        self.overturned = overturned
        self.matchedSuggestion = matchedSuggestion
    }

    enum CodingKeys: String, CodingKey {
        case flagged, open, overturned
        case sentToReview = "sent_to_review", matchedSuggestion = "matched_suggestion"
    }
}
