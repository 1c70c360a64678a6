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

    /// Makes a pair.
    public init(prompt: String, chosen: String, rejected: String, itemExternalID: String, agreement: Double) {
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
        self.itemExternalID = itemExternalID
        self.agreement = agreement
    }

    enum CodingKeys: String, CodingKey {
        case prompt, chosen, rejected, agreement
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
        content: [String: JSONValue], chosen: String, schema: LabelSchema, externalID: String, agreement: Double
    ) throws -> [PreferencePair] {
        let (prompt, responses) = try responses(in: content, schema: schema)
        guard let winner = responses[chosen] else { return [] }
        return schema.codes.filter { $0 != chosen }.map { code in
            PreferencePair(prompt: prompt, chosen: winner, rejected: responses[code]!, itemExternalID: externalID, agreement: agreement)
        }
    }

    private static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)? where !text.isEmpty: return text
        case nil, .null?: return nil
        case let other?: return other.canonicalJSON
        }
    }
}
