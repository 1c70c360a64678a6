import Foundation

/// A version of a queue's policy guidelines: the whole document in Markdown, a passage per label (what annotators
/// see beside each label), and the time from which it is in force.
///
/// Versions only accumulate: a change is a new version. Each judgment records the version in force when it was
/// made, so an error can be read against the policy the annotator had.
public struct Guideline: Codable, Sendable, Equatable {
    public var queueID: UUID
    public var version: Int
    public var markdown: String
    /// The passage for each label code.
    public var passages: [String: String]
    public var effectiveAt: Date
    public var createdBy: UUID?
    public var createdAt: Date

    public init(
        queueID: UUID, version: Int, markdown: String, passages: [String: String], effectiveAt: Date, createdBy: UUID?,
        createdAt: Date
    ) {
        self.queueID = queueID
        self.version = version
        self.markdown = markdown
        self.passages = passages
        self.effectiveAt = effectiveAt
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case version, markdown, passages
        case queueID = "queue_id", effectiveAt = "effective_at", createdBy = "created_by", createdAt = "created_at"
    }

    /// The rules that hold for every label of `labels`: the text before the document's first section, without its
    /// `#` title (``GuidelinePassages/preamble(of:labels:)``); nil when there is none.
    public func generalRules(for labels: [LabelOption]) -> String? {
        GuidelinePassages.preamble(of: markdown, labels: labels)
    }
}

/// A new guideline version as an analyst sends it.
public struct GuidelineDraft: Codable, Sendable, Equatable {
    public var markdown: String
    public var passages: [String: String]?
    /// When it takes effect (default: now). It may be set ahead to announce a change.
    public var effectiveAt: Date?
    /// Whether the queue's annotators must requalify: each is suspended from the queue until reinstated.
    public var recertify: Bool?

    public init(markdown: String, passages: [String: String]? = nil, effectiveAt: Date? = nil, recertify: Bool? = nil) {
        self.markdown = markdown
        self.passages = passages
        self.effectiveAt = effectiveAt
        self.recertify = recertify
    }

    /// The draft checked against the queue: some text, passages only for the queue's labels. Without passages,
    /// each label's passage is read from the document's headings (``GuidelinePassages``).
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)``.
    public func validated(for schema: LabelSchema) throws -> GuidelineDraft {
        guard !markdown.trimmingBlanksAndNewlines.isEmpty else {
            throw AssayError.invalidInput(field: "markdown", line: nil, reason: "the guideline has no text")
        }
        guard markdown.utf8.count <= 1_000_000 else {
            throw AssayError.invalidInput(field: "markdown", line: nil, reason: "the guideline is over 1 MB")
        }
        let codes = Set(schema.codes)
        if let unknown = (passages ?? [:]).keys.sorted().first(where: { !codes.contains($0) }) {
            throw AssayError.invalidInput(
                field: "passages", line: nil, reason: "'\(unknown)' is not a label of this queue")
        }
        var checked = self
        if passages == nil { checked.passages = GuidelinePassages.fromHeadings(of: markdown, labels: schema.labels) }
        return checked
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case markdown, passages, recertify
        case effectiveAt = "effective_at"
    }

    /// Decodes a draft; a key it does not know is refused when the decoder says so (`labels` for `passages`
    /// would otherwise leave every passage to the headings without a word).
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self, calling: "field")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            markdown: try container.decode(String.self, forKey: .markdown),
            passages: try container.decodeIfPresent([String: String].self, forKey: .passages),
            effectiveAt: try container.decodeIfPresent(Date.self, forKey: .effectiveAt),
            recertify: try container.decodeIfPresent(Bool.self, forKey: .recertify))
    }
}

/// What changed between two guideline versions, and what the change touches.
public struct GuidelineChange: Codable, Sendable, Equatable {
    public var from: Int
    public var to: Int
    /// The Markdown, line by line.
    public var diff: [LineDiff.Line]
    /// Labels whose passage was added, removed or reworded.
    public var changedLabels: [String]
    /// Active gold items whose reference answer has a changed label: their answers may need a second look.
    public var goldItemsTouched: [Int64]
    /// Final labels of the last 30 days with a changed label.
    public var recentFinalLabelsTouched: Int

    public init(
        from: Int, to: Int, diff: [LineDiff.Line], changedLabels: [String], goldItemsTouched: [Int64],
        recentFinalLabelsTouched: Int
    ) {
        self.from = from
        self.to = to
        self.diff = diff
        self.changedLabels = changedLabels
        self.goldItemsTouched = goldItemsTouched
        self.recentFinalLabelsTouched = recentFinalLabelsTouched
    }

    enum CodingKeys: String, CodingKey {
        case from, to, diff
        case changedLabels = "changed_labels", goldItemsTouched = "gold_items_touched"
        case recentFinalLabelsTouched = "recent_final_labels_touched"
    }
}
