import Foundation

/// The answers a queue accepts: a taxonomy of policy labels (single- or multi-choice) or an ordinal rating scale.
///
/// Labels are identified by their `code` everywhere: in judgments, final labels and exports.
///
/// For example:
/// ```swift
/// let schema = LabelSchema.singleChoice([
///     LabelOption(code: "hate", name: "Hate speech", description: "Attacks on protected groups"),
///     LabelOption(code: "none", name: "No violation"),
/// ])
/// let labels = try schema.validate(labels: ["hate"], rationale: nil)   // ["hate"]
/// ```
public struct LabelSchema: Codable, Sendable, Equatable {
    /// How many labels one judgment carries.
    public enum Kind: String, Codable, Sendable, CaseIterable, ClosedChoice {
        /// Exactly one label from the taxonomy.
        case singleChoice = "single_choice"
        /// One or more labels from the taxonomy.
        case multiChoice = "multi_choice"
        /// One point of an ordinal scale, e.g. search relevance 1–5; the codes are the scale's points.
        case rating
        /// A preference (RLHF) task: an item is a prompt with two or more responses, one per label (the label's
        /// slot), and a judgment chooses the best response. See ``PreferencePair``.
        case preference
    }

    /// Whether a judgment must explain itself in free text.
    public enum Rationale: String, Codable, Sendable, CaseIterable, ClosedChoice {
        /// No rationale field.
        case none
        /// A rationale may be given.
        case optional
        /// Every judgment needs a rationale.
        case required
    }

    /// Single-choice, multi-choice or rating.
    public var kind: Kind
    /// The labels, in the order they are shown (and bound to number keys).
    public var labels: [LabelOption]
    /// Whether a rationale is asked for.
    public var rationale: Rationale

    /// Makes a schema; call ``validated()`` before saving it.
    public init(kind: Kind, labels: [LabelOption], rationale: Rationale = .optional) {
        self.kind = kind
        self.labels = labels
        self.rationale = rationale
    }

    /// A single-choice taxonomy.
    public static func singleChoice(_ labels: [LabelOption], rationale: Rationale = .optional) -> LabelSchema {
        LabelSchema(kind: .singleChoice, labels: labels, rationale: rationale)
    }

    /// A multi-choice taxonomy.
    public static func multiChoice(_ labels: [LabelOption], rationale: Rationale = .optional) -> LabelSchema {
        LabelSchema(kind: .multiChoice, labels: labels, rationale: rationale)
    }

    /// An ordinal scale from `lowest` to `highest` (inclusive), each point named by its number.
    public static func rating(_ lowest: Int, through highest: Int, rationale: Rationale = .optional) -> LabelSchema {
        let points = (lowest...highest).map { LabelOption(code: String($0), name: String($0)) }
        return LabelSchema(kind: .rating, labels: points, rationale: rationale)
    }

    /// The label codes, in display order.
    public var codes: [String] { labels.map(\.code) }

    /// The codes of the labels marked severe.
    public var severeCodes: [String] { labels.filter(\.severe).map(\.code) }

    /// The schema if it is usable, or an error naming what is wrong with it.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for fewer than two labels, a duplicate or
    ///   empty code, or a rating scale whose codes are not integers.
    public func validated() throws -> LabelSchema {
        guard labels.count >= 2 else {
            throw AssayError.invalidInput(field: "schema.labels", line: nil, reason: "a schema needs at least two labels")
        }
        guard labels.count <= 500 else {
            throw AssayError.invalidInput(field: "schema.labels", line: nil, reason: "a schema has at most 500 labels")
        }
        var seen = Set<String>()
        for label in labels {
            let code = label.code
            guard !code.isEmpty, code.count <= 100, code.trimmingCharacters(in: .whitespaces) == code else {
                throw AssayError.invalidInput(
                    field: "schema.labels", line: nil,
                    reason: "label code '\(code)' must be 1 to 100 characters without surrounding spaces")
            }
            // CSV files (judgments, gold, predictions, exports) join several labels with "|": a code holding one
            // would come back from its own export as two labels.
            guard !code.contains("|") else {
                throw AssayError.invalidInput(
                    field: "schema.labels", line: nil,
                    reason: "label code '\(code)' holds '|', which CSV files use between labels; choose another character")
            }
            guard seen.insert(code).inserted else {
                throw AssayError.invalidInput(field: "schema.labels", line: nil, reason: "label code '\(code)' appears twice")
            }
            if kind == .rating, Int(code) == nil {
                throw AssayError.invalidInput(
                    field: "schema.labels", line: nil, reason: "rating point '\(code)' is not a whole number")
            }
        }
        return self
    }

    /// The labels of one judgment, checked against the schema and put in canonical order.
    ///
    /// Multi-choice labels come back de-duplicated and in schema order, so equal answers compare equal.
    ///
    /// - Parameters:
    ///   - labels: the codes the annotator chose.
    ///   - rationale: the annotator's explanation, if any.
    /// - Returns: the canonical labels.
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the first unknown code, a wrong count,
    ///   or a missing rationale.
    public func validate(labels chosen: [String], rationale: String?) throws -> [String] {
        let canonical = try canonicalLabels(chosen)
        let trimmedRationale = rationale?.trimmingBlanksAndNewlines ?? ""
        if self.rationale == .required, trimmedRationale.isEmpty {
            throw AssayError.invalidInput(field: "rationale", line: nil, reason: "this queue requires a rationale")
        }
        return canonical
    }

    /// A ranking of a preference item's responses, best first, checked: only on preference queues, and every
    /// response exactly once.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming what is wrong.
    public func validateRanking(_ ranking: [String]) throws -> [String] {
        guard kind == .preference else {
            throw AssayError.invalidInput(field: "ranking", line: nil, reason: "rankings are for preference queues; send labels")
        }
        guard ranking.count == codes.count, Set(ranking) == Set(codes) else {
            throw AssayError.invalidInput(
                field: "ranking", line: nil,
                reason: "rank every response once, best first (\(codes.joined(separator: ", "))), got \(ranking.joined(separator: ", "))")
        }
        return ranking
    }

    /// The labels and ranking of one judgment, checked: with a ranking, the label is its first response (and labels
    /// sent with it must say the same).
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)``.
    public func validate(labels chosen: [String], ranking: [String]?, rationale: String?) throws -> (labels: [String], ranking: [String]?) {
        guard let ranking else { return (try validate(labels: chosen, rationale: rationale), nil) }
        let checked = try validateRanking(ranking)
        guard chosen.isEmpty || chosen == [checked[0]] else {
            throw AssayError.invalidInput(
                field: "labels", line: nil, reason: "the label must be the ranking's first response, '\(checked[0])'")
        }
        return (try validate(labels: [checked[0]], rationale: rationale), checked)
    }

    /// The chosen codes checked against the schema (known codes, the right count) and put in schema order, with
    /// no rationale rule: for reference answers as well as judgments.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the first unknown code or a wrong count.
    public func canonicalLabels(_ chosen: [String]) throws -> [String] {
        let known = Set(codes)
        if let unknown = chosen.first(where: { !known.contains($0) }) {
            let listed = codes.prefix(12).joined(separator: ", ")
            throw AssayError.invalidInput(
                field: "labels", line: nil,
                reason: "'\(unknown)' is not a label of this queue (labels: \(listed)\(codes.count > 12 ? ", …" : ""))")
        }
        let unique = Set(chosen)
        switch kind {
        case .singleChoice, .rating, .preference:
            guard chosen.count == 1 else {
                throw AssayError.invalidInput(
                    field: "labels", line: nil, reason: "this queue takes exactly one label, got \(chosen.count)")
            }
        case .multiChoice:
            guard !unique.isEmpty else {
                throw AssayError.invalidInput(field: "labels", line: nil, reason: "choose at least one label")
            }
            if unique.count > 1, let alone = labels.first(where: { $0.exclusive && unique.contains($0.code) }) {
                throw AssayError.invalidInput(
                    field: "labels", line: nil,
                    reason: "'\(alone.code)' (\(alone.name)) stands alone: it cannot be chosen with other labels")
            }
        }
        return codes.filter(unique.contains)
    }
}

/// One label of a taxonomy: a stable code, the name people see, and what it covers.
public struct LabelOption: Codable, Sendable, Equatable {
    /// The stable identifier used in judgments and exports, e.g. `hate_speech`.
    public var code: String
    /// The name on the button.
    public var name: String
    /// What the label covers, as the policy puts it.
    public var description: String?
    /// Whether content under this label is harmful to see (graphic violence, child safety, self-harm…): each
    /// person's exposure to it is counted per day, against the queue's `exposure_limit`.
    public var severe: Bool
    /// Whether the label stands alone in a multi-choice answer: "none" or "compliant" cannot go with a violation.
    public var exclusive: Bool

    /// Makes a label option; the name defaults to the code.
    public init(code: String, name: String? = nil, description: String? = nil, severe: Bool = false, exclusive: Bool = false) {
        self.code = code
        self.name = name ?? code
        self.description = description
        self.severe = severe
        self.exclusive = exclusive
    }
}

extension LabelSchema {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, labels, rationale
    }

    /// Decodes a schema; `rationale` defaults to optional. From a person, a key it does not know is refused.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self, calling: "field")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: try container.decode(Kind.self, forKey: .kind),
            labels: try container.decode([LabelOption].self, forKey: .labels),
            rationale: try container.decodeIfPresent(Rationale.self, forKey: .rationale) ?? .optional)
    }
}

extension LabelOption {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case code, name, description, severe, exclusive
    }

    /// Decodes a label; `name` defaults to the code, `severe` and `exclusive` to false. From a person, a key it does
    /// not know is refused (`"exclusiv": true` left the label combinable without a word).
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self, calling: "field")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try container.decode(String.self, forKey: .code),
            name: try container.decodeIfPresent(String.self, forKey: .name),
            description: try container.decodeIfPresent(String.self, forKey: .description),
            severe: try container.decodeIfPresent(Bool.self, forKey: .severe) ?? false,
            exclusive: try container.decodeIfPresent(Bool.self, forKey: .exclusive) ?? false)
    }

    /// Writes `severe` and `exclusive` only when set, so ordinary labels read as before.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(description, forKey: .description)
        if severe { try container.encode(true, forKey: .severe) }
        if exclusive { try container.encode(true, forKey: .exclusive) }
    }
}
