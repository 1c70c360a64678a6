import Foundation

/// Chosen/rejected pairs from a preference queue's final labels, for DPO or reward-model training: for each item
/// whose best response the people decided, one pair of the prompt with the chosen response against each other
/// response.
///
/// Items hold the prompt in `prompt` and the responses either as a list `responses` (the schema's first label is
/// the first response, and so on) or as fields `response_<code>` (`response_a`, `response_b` for labels `a`, `b`).
///
/// For example:
/// ```swift
/// let content: [String: JSONValue] = ["prompt": "Capital of France?", "responses": ["Paris.", "Lyon."]]
/// let pairs = try PreferencePair.pairs(content: content, chosen: "A", schema: schema, externalID: "p-1", agreement: 1)
/// pairs[0].chosen     // "Paris."
/// pairs[0].rejected   // "Lyon."
/// ```
public struct PreferencePair: Codable, Sendable, Equatable {
    /// The prompt.
    public var prompt: String
    /// The response people preferred.
    public var chosen: String
    /// A response they did not.
    public var rejected: String
    /// The item it came from.
    public var itemExternalID: String
    /// The share of judgments that chose the winner.
    public var agreement: Double
    /// How the item's final label was decided (`majority`, `unanimous`, `arbitration`, …).
    public var provenance: String?

    /// Makes a pair.
    public init(
        prompt: String, chosen: String, rejected: String, itemExternalID: String, agreement: Double, provenance: String? = nil
    ) {
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
        self.itemExternalID = itemExternalID
        self.agreement = agreement
        self.provenance = provenance
    }

    enum CodingKeys: String, CodingKey {
        case prompt, chosen, rejected, agreement, provenance
        case itemExternalID = "item_external_id"
    }

    /// The response of each label (slot) of the schema, from an item's content, or an error naming what is missing.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` without a `prompt`, or without a response for
    ///   every label.
    public static func responses(in content: [String: JSONValue], schema: LabelSchema) throws -> (prompt: String, responses: [String: String]) {
        guard let prompt = text(content["prompt"]) else {
            throw AssayError.invalidInput(field: "prompt", line: nil, reason: "a preference item needs its prompt in `prompt`")
        }
        var responses: [String: String] = [:]
        let listed: [JSONValue]? = if case .array(let values)? = content["responses"] { values } else { nil }
        for (index, code) in schema.codes.enumerated() {
            let value = listed.flatMap { index < $0.count ? $0[index] : nil } ?? content["response_\(code.lowercased())"]
            guard let response = text(value) else {
                throw AssayError.invalidInput(
                    field: "responses", line: nil,
                    reason: "a preference item needs a response for '\(code)': `responses` with \(schema.codes.count) entries, or `response_\(code.lowercased())`")
            }
            responses[code] = response
        }
        return (prompt, responses)
    }

    /// The pairs of one decided item: the chosen response against each other one, in schema order.
    ///
    /// - Throws: as ``responses(in:schema:)``.
    public static func pairs(
        content: [String: JSONValue], chosen: String, schema: LabelSchema, externalID: String, agreement: Double,
        provenance: String? = nil
    ) throws -> [PreferencePair] {
        let (prompt, responses) = try responses(in: content, schema: schema)
        guard let winner = responses[chosen] else { return [] }
        return schema.codes.filter { $0 != chosen }.map { code in
            PreferencePair(
                prompt: prompt, chosen: winner, rejected: responses[code]!, itemExternalID: externalID, agreement: agreement,
                provenance: provenance)
        }
    }

    private static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)? where !text.isEmpty: return text
        case nil, .null?, .string?: return nil
        case let other?: return other.canonicalJSON
        }
    }
}

/// Preference pairs as training data: each distinct pair once, the way round most of its copies have it.
///
/// The same prompt with the same two responses often comes from several items (a prompt asked again, responses
/// sampled again), and people do not always prefer the same one. A DPO set should hold the pair once, chosen over
/// rejected as most items decided it, and not its reverse: that is what this keeps, in two passes over the pairs,
/// comparing texts with compatibility forms and white space folded. A pair whose two ways round are
/// decided equally often is left out (the people do not agree), and so is a pair of two identical responses.
///
/// ```swift
/// var set = PreferencePairSet()
/// for pair in pairs { set.count(pair) }              // first pass: every pair
/// let kept = pairs.filter { set.take($0) }           // second pass, in the same order
/// set.duplicates                                     // copies left out, set.outvoted, set.conflicting, …
/// ```
public struct PreferencePairSet: Sendable {
    private var ways: [UInt64: (forward: Int, backward: Int)] = [:]
    private var taken: Set<UInt64> = []
    /// Copies of a pair already kept.
    public private(set) var duplicates = 0
    /// Pairs the other way round from most of their copies.
    public private(set) var outvoted = 0
    /// Pairs decided as often one way as the other.
    public private(set) var conflicting = 0
    /// Pairs whose two responses are the same text.
    public private(set) var identical = 0

    public init() {}

    /// Counts a pair in the first pass.
    public mutating func count(_ pair: PreferencePair) {
        guard let (key, forward) = Self.key(of: pair) else { return }
        if forward { ways[key, default: (0, 0)].forward += 1 } else { ways[key, default: (0, 0)].backward += 1 }
    }

    /// Whether to write the pair, in the second pass: the first copy of a distinct pair, the way round most copies
    /// have it.
    public mutating func take(_ pair: PreferencePair) -> Bool {
        guard let (key, forward) = Self.key(of: pair) else {
            identical += 1
            return false
        }
        let counted = ways[key] ?? (0, 0)
        guard counted.forward != counted.backward else {
            conflicting += 1
            return false
        }
        guard (counted.forward > counted.backward) == forward else {
            outvoted += 1
            return false
        }
        guard taken.insert(key).inserted else {
            duplicates += 1
            return false
        }
        return true
    }

    /// The pair's key, the same both ways round, and which way round it is; nil for identical responses.
    private static func key(of pair: PreferencePair) -> (UInt64, forward: Bool)? {
        let chosen = normalized(pair.chosen)
        let rejected = normalized(pair.rejected)
        guard chosen != rejected else { return nil }
        let (first, second) = chosen < rejected ? (chosen, rejected) : (rejected, chosen)
        return (TrainingSplit.hash(normalized(pair.prompt) + "\u{0}" + first + "\u{0}" + second), chosen < rejected)
    }

    /// A text as pairs compare it: compatibility forms and white space folded, nothing else. Unlike the classifier's
    /// view (``TrainingSplit/normalized(_:)``), case, links and handles stay: two responses that differ in a link or a
    /// name are the very difference a preference is about.
    static func normalized(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
