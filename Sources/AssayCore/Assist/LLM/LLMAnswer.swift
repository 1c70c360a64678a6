/// What an LLM answered for one item, read from its reply and checked against the queue's labels.
///
/// ``parse(_:schema:)`` reads the first JSON object in the reply, so JSON in a ```` ```json ```` fence or with prose
/// around it is read too. It never guesses: a label it cannot match to the queue's labels fails the answer, and the
/// caller asks again or gives up on the item.
///
/// For example:
/// ```swift
/// let reply = "```json\n{\"labels\": [\"Spam\"], \"confidence\": 0.92, \"rationale\": \"An ad.\"}\n```"
/// let answer = try LLMAnswer.parse(reply, schema: schema)
/// answer.labels        // ["spam"]
/// answer.confidence    // 0.92
/// ```
public struct LLMAnswer: Sendable, Equatable {
    /// The labels, as codes of the queue, in canonical (schema) order.
    public var labels: [String]
    /// The model's confidence, 0 to 1. 0 when the model gave none: unknown confidence is never auto-accepted.
    public var confidence: Double
    /// The model's explanation; nil when it gave none.
    public var rationale: String?

    /// Makes an answer.
    /// The most of a rationale kept, in characters (a longer one is cut to this, its last an ellipsis).
    public static let longestRationale = 2_000

    public init(labels: [String], confidence: Double, rationale: String? = nil) {
        self.labels = labels
        self.confidence = confidence
        self.rationale = rationale
    }

    /// Reads a model's reply.
    ///
    /// The reply's first balanced `{…}` that is a JSON object is the answer (the first one with a `labels` or
    /// `label` field, when there are several). Its fields:
    /// - `labels`: a list of labels, or `label`: one label. Each must be a code of the queue, the same code in
    ///   another case, or a label's name in any case; numbers are read as codes (for rating scales). The labels
    ///   then go through ``LabelSchema/canonicalLabels(_:)``, which checks their count.
    /// - `confidence`: optional; a number or a numeric string from 0 to 1. A value from 10 to 100 (or text ending
    ///   in `%`) is a percentage; one between 1 and 10 is refused as ambiguous. Missing or null is 0: unknown
    ///   confidence is never auto-accepted.
    /// - `rationale`: optional text, kept to its first ``longestRationale`` characters.
    ///
    /// For example:
    /// ```swift
    /// try LLMAnswer.parse(#"Sure! {"label": "none", "confidence": "85"} Hope that helps."#, schema: schema)
    /// // LLMAnswer(labels: ["none"], confidence: 0.85, rationale: nil)
    /// try LLMAnswer.parse(#"{"labels": ["spamm"]}"#, schema: schema)
    /// // throws LLMOutputError: 'spamm' is not a label of this queue (labels: spam, none)
    /// ```
    /// - Throws: ``LLMOutputError`` when the reply holds no JSON object, gives no labels, names a label the queue
    ///   does not have, gives the wrong number of labels, or a confidence out of range.
    public static func parse(_ content: String, schema: LabelSchema) throws -> LLMAnswer {
        let object = try LLMReplyObject.first(in: content)
        let given = try givenLabels(object)
        var labels: [String] = []
        for label in given {
            let code = try match(label, in: schema)
            if !labels.contains(code) { labels.append(code) }
        }
        let canonical: [String]
        do {
            canonical = try schema.canonicalLabels(labels)
        } catch let AssayError.invalidInput(_, _, reason) {
            throw LLMOutputError(reason: reason)
        }
        // A rationale is a few sentences; a runaway one (5 MB was stored and printed in every evaluation) is cut.
        var rationale = object["rationale"]?.stringValue?.trimmingBlanksAndNewlines
        if let text = rationale, text.count > Self.longestRationale { rationale = String(text.prefix(Self.longestRationale - 1)) + "…" }
        return LLMAnswer(
            labels: canonical, confidence: try confidence(object["confidence"]),
            rationale: rationale?.isEmpty == false ? rationale : nil)
    }

    /// The label texts of `labels` or `label`, whichever the object has.
    private static func givenLabels(_ object: [String: JSONValue]) throws -> [String] {
        let field = object["labels"].flatMap { $0.isNull ? nil : $0 } ?? object["label"] ?? .null
        let values: [JSONValue]
        switch field {
        case .array(let array): values = array
        case .null: throw LLMOutputError(reason: "no labels: the answer has no \"labels\" field")
        default: values = [field]
        }
        let labels = try values.map { value -> String in
            switch value {
            case .string(let text): return text.trimmingBlanksAndNewlines
            case .number: return value.canonicalJSON
            default:
                throw LLMOutputError(reason: "\"labels\" must be a list of label codes, got \(shortened(value.canonicalJSON))")
            }
        }.filter { !$0.isEmpty }
        guard !labels.isEmpty else { throw LLMOutputError(reason: "no labels: \"labels\" is empty") }
        return labels
    }

    /// The code `label` stands for: the code itself, the code in another case, or a label's name in any case.
    private static func match(_ label: String, in schema: LabelSchema) throws -> String {
        if schema.codes.contains(label) { return label }
        let lowered = label.lowercased()
        for candidates in [schema.codes, schema.labels.map(\.name)] {
            let matches = schema.labels.indices.filter { candidates[$0].lowercased() == lowered }
            let codes = matches.map { schema.labels[$0].code }
            if codes.count == 1 { return codes[0] }
            if codes.count > 1 {
                throw LLMOutputError(
                    reason: "'\(shortened(label))' could be any of \(codes.joined(separator: ", ")): give the exact code")
            }
        }
        let listed = schema.codes.prefix(12).joined(separator: ", ") + (schema.codes.count > 12 ? ", …" : "")
        throw LLMOutputError(reason: "'\(shortened(label))' is not a label of this queue (labels: \(listed))")
    }

    /// The confidence from 0 to 1, reading percentages; 0 when there is none.
    private static func confidence(_ value: JSONValue?) throws -> Double {
        var number: Double
        var isPercentage = false
        switch value {
        case nil, .null?:
            return 0
        case .number(let given)?:
            number = given
        case .string(let text)?:
            var trimmed = text.trimmingBlanksAndNewlines
            if trimmed.hasSuffix("%") {
                trimmed = String(trimmed.dropLast()).trimmingBlanks
                isPercentage = true
            }
            guard let parsed = Double(trimmed) else {
                throw LLMOutputError(reason: "confidence must be a number from 0 to 1, got \(shortened(value!.canonicalJSON))")
            }
            number = parsed
        case let other?:
            throw LLMOutputError(reason: "confidence must be a number from 0 to 1, got \(shortened(other.canonicalJSON))")
        }
        // A bare number from 10 to 100 is a percentage; between 1 and 10 it could be a percentage, a score out of
        // ten or a share off its scale (1.5 read as 1.5% never auto-accepts what the model was sure of): refused,
        // so the model is asked again.
        if !isPercentage, number > 1, number < 10 {
            throw LLMOutputError(reason: "confidence must be a number from 0 to 1, got \(shortened(value!.canonicalJSON)), which could be a percentage or a score out of ten")
        }
        if isPercentage || (number > 1 && number <= 100) { number /= 100 }
        guard number.isFinite, (0...1).contains(number) else {
            throw LLMOutputError(reason: "confidence must be a number from 0 to 1, got \(shortened(value!.canonicalJSON))")
        }
        return number
    }

    /// `text` cut to 60 characters, so that a runaway reply does not flood an error message.
    static func shortened(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(60)) + "…"
    }
}

/// Why a model's reply could not be used as an answer: it was not JSON, gave no labels, or gave labels the queue
/// does not have. Asking again often helps (``CallFailure/invalidOutput(_:)`` is retryable).
///
/// For example:
/// ```swift
/// do { _ = try LLMAnswer.parse("I think it's spam.", schema: schema) }
/// catch let error as LLMOutputError { error.reason }   // "not JSON: the reply holds no {...} object"
/// ```
public struct LLMOutputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong with the reply.
    public var reason: String

    /// Makes an error.
    public init(reason: String) {
        self.reason = reason
    }

    /// The reason, saying it is about the model's reply.
    public var description: String { "unusable model answer: \(reason)" }
}

// MARK: - Finding the JSON in a reply

/// Finds the answer object in a reply that may wrap it in a fence or prose.
enum LLMReplyObject {
    /// At most this many `{` are tried, so that a long reply of prose costs little.
    private static let maximumCandidates = 64

    /// The first balanced `{…}` that parses as a JSON object with a `labels` or `label` field, else the first
    /// that parses as any object.
    static func first(in content: String) throws -> [String: JSONValue] {
        let bytes = Array(content.utf8)
        var fallback: [String: JSONValue]?
        var start = bytes.firstIndex(of: UInt8(ascii: "{"))
        var tried = 0
        while let open = start, tried < maximumCandidates {
            tried += 1
            var next = open + 1
            if let close = balancedEnd(bytes, from: open) {
                if case .object(let object)? = try? JSONValue(parsing: bytes[open...close]) {
                    if object["labels"] != nil || object["label"] != nil { return object }
                    fallback = fallback ?? object
                    next = close + 1  // an object's insides are not answers of their own
                }
            }
            start = bytes[next...].firstIndex(of: UInt8(ascii: "{"))
        }
        if let fallback { return fallback }
        throw LLMOutputError(reason: "not JSON: the reply holds no {...} object")
    }

    /// The index of the `}` that closes the `{` at `open`, skipping braces inside JSON strings; nil if none does.
    private static func balancedEnd(_ bytes: [UInt8], from open: Int) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        for index in open..<bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }
}
