import Foundation

/// A piece of content to be labeled — a post, an ad, a query–result pair — with where it came from.
public struct Item: Codable, Sendable, Equatable, Identifiable {
    /// Assay's identifier for the item (increasing in import order).
    public var id: Int64
    /// The queue the item belongs to.
    public var queueID: UUID
    /// The identifier in the system the item came from; unique within a queue.
    public var externalID: String
    /// The content fields: `text`, `media_urls`, `query`, `result`, or anything else the queue shows.
    public var content: [String: JSONValue]
    /// The market the content comes from, e.g. `BR`.
    public var market: String?
    /// The content's language, e.g. `pt-BR`.
    public var language: String?
    /// The upstream source, e.g. `user_report` or `proactive`.
    public var source: String?
    /// Higher first when the queue orders by priority.
    public var priority: Int
    /// When the content was created upstream (or imported, when the upstream time is unknown).
    public var createdAt: Date

    /// Makes an item value.
    public init(
        id: Int64, queueID: UUID, externalID: String, content: [String: JSONValue], market: String?,
        language: String?, source: String?, priority: Int, createdAt: Date
    ) {
        self.id = id
        self.queueID = queueID
        self.externalID = externalID
        self.content = content
        self.market = market
        self.language = language
        self.source = source
        self.priority = priority
        self.createdAt = createdAt
    }
}

/// An item as read from an import file, before the store gives it an id.
public struct ItemDraft: Sendable, Equatable {
    /// Unique within the queue; a second import of it is skipped, not duplicated.
    public var externalID: String
    /// The content fields.
    public var content: [String: JSONValue]
    /// Market code.
    public var market: String?
    /// Language code.
    public var language: String?
    /// Upstream source.
    public var source: String?
    /// Priority (default 0).
    public var priority: Int
    /// Upstream creation time, if the file gave one.
    public var createdAt: Date?
    /// The file line it was read from, for a report to name.
    public var line: Int?

    /// Makes a draft.
    public init(
        externalID: String, content: [String: JSONValue], market: String? = nil, language: String? = nil,
        source: String? = nil, priority: Int = 0, createdAt: Date? = nil, line: Int? = nil
    ) {
        self.line = line
        self.externalID = externalID
        self.content = content
        self.market = market
        self.language = language
        self.source = source
        self.priority = priority
        self.createdAt = createdAt
    }
}

extension ItemDraft {
    /// Checks that people can judge the item on a queue with `schema`: a preference item must carry its prompt and
    /// one response per label, or it could be neither judged nor exported.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming what is missing.
    public func checkJudgeable(on schema: LabelSchema) throws {
        guard schema.kind == .preference else { return }
        // Checked here, at import, not where stored items are read (an export must still read items taken before).
        // One response per label, in the labels' order: a third response on an A/B queue could be neither chosen
        // nor exported, and would most likely mean the file was made for another queue.
        if case .array(let listed)? = content["responses"], listed.count != schema.codes.count {
            throw AssayError.invalidInput(
                field: "responses", line: nil,
                reason: "has \(listed.count) \(listed.count == 1 ? "entry" : "entries"); this queue compares \(schema.codes.count) "
                    + "(\(schema.codes.joined(separator: ", "))), one response each, in that order")
        }
        let (prompt, responses) = try PreferencePair.responses(in: content, schema: schema)
        // Blank text is no prompt, nor a response, to judge.
        if prompt.trimmingBlanksAndNewlines.isEmpty {
            throw AssayError.invalidInput(field: "prompt", line: nil, reason: "is blank; a preference item needs its prompt")
        }
        if let blank = schema.codes.first(where: { responses[$0]?.trimmingBlanksAndNewlines.isEmpty == true }) {
            throw AssayError.invalidInput(field: "responses", line: nil, reason: "the response for '\(blank)' is blank")
        }
        // Given both ways, one would be shown and the other silently dropped.
        if content["responses"] != nil, let field = schema.codes.map({ "response_\($0.lowercased())" }).first(where: { content[$0] != nil }) {
            throw AssayError.invalidInput(
                field: field, line: nil, reason: "the responses are also given as `responses`; give them one way only")
        }
        // Two responses alike leave nothing to prefer: the judgment would be wasted, and the pair left out of exports.
        for (index, first) in schema.codes.enumerated() {
            if let same = schema.codes.dropFirst(index + 1).first(where: {
                responses[$0]?.trimmingBlanksAndNewlines == responses[first]?.trimmingBlanksAndNewlines
            }) {
                throw AssayError.invalidInput(
                    field: "responses", line: nil,
                    reason: "the responses for '\(first)' and '\(same)' are the same text; people could not prefer one")
            }
        }
    }
}

extension Item {
    enum CodingKeys: String, CodingKey {
        case id, content, market, language, source, priority
        case queueID = "queue_id", externalID = "external_id", createdAt = "created_at"
    }
}
