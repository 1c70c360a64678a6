import AssayQuality
import Foundation

/// A reference answer to set on an item, as a gold set file gives it.
public struct GoldDraft: Sendable, Equatable {
    /// The item, by its external id in the queue.
    public var itemExternalID: String
    /// The right labels.
    public var labels: [String]
    /// Why they are right: shown after an answer in training, and to arbitrators.
    public var rationale: String?
    /// The line of the file it came from, for errors; nil when set through the API.
    public var line: Int?

    public init(itemExternalID: String, labels: [String], rationale: String? = nil, line: Int? = nil) {
        self.itemExternalID = itemExternalID
        self.labels = labels
        self.rationale = rationale
        self.line = line
    }
}

/// An item's reference answer.
///
/// A gold item stays an ordinary item to annotators (same ids, same response shape): it leaves the queue's
/// production pool, is served to each annotator at most once at the queue's gold rate, and its judgments score
/// the annotator instead of making a final label. A retired gold item is no longer served, and its past answers
/// still count.
public struct GoldAnswer: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        case active
        case retired
    }

    public var itemID: Int64
    public var itemExternalID: String
    public var labels: [String]
    public var rationale: String?
    public var state: State

    public init(itemID: Int64, itemExternalID: String, labels: [String], rationale: String?, state: State) {
        self.itemID = itemID
        self.itemExternalID = itemExternalID
        self.labels = labels
        self.rationale = rationale
        self.state = state
    }

    enum CodingKeys: String, CodingKey {
        case labels, rationale, state
        case itemID = "item_id", itemExternalID = "item_external_id"
    }
}

/// One annotator's standing in one queue, as the scores report gives it.
public struct AnnotatorScore: Codable, Sendable, Equatable {
    public var annotatorID: UUID
    /// Their id in the vendor's systems.
    public var externalID: String
    public var name: String
    public var vendorID: UUID?
    public var teamID: UUID?
    public var status: MemberStatus
    /// The running score: the last `window` gold answers (and, if asked, only those since a time).
    public var gold: GoldScore
    /// The QA score over the same window: of their last reviewed judgments, how many the reviewers found correct.
    public var qa: GoldScore

    public init(
        annotatorID: UUID, externalID: String, name: String, vendorID: UUID?, teamID: UUID?, status: MemberStatus,
        gold: GoldScore, qa: GoldScore = GoldScore(answered: 0, correct: 0)
    ) {
        self.annotatorID = annotatorID
        self.externalID = externalID
        self.name = name
        self.vendorID = vendorID
        self.teamID = teamID
        self.status = status
        self.gold = gold
        self.qa = qa
    }

    enum CodingKeys: String, CodingKey {
        case name, status, gold, qa
        case annotatorID = "annotator_id", externalID = "external_id", vendorID = "vendor_id", teamID = "team_id"
    }
}

extension GoldScore: Codable {
    enum CodingKeys: String, CodingKey {
        case answered, correct, accuracy, lower, upper
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            answered: try container.decode(Int.self, forKey: .answered),
            correct: try container.decode(Int.self, forKey: .correct))
    }

    /// Writes the counts with the accuracy and its 95% Wilson interval (`lower`, `upper`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(answered, forKey: .answered)
        try container.encode(correct, forKey: .correct)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(interval.lower, forKey: .lower)
        try container.encode(interval.upper, forKey: .upper)
    }
}
