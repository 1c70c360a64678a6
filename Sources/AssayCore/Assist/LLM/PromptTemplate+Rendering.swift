// MARK: - Placeholder texts

extension PromptTemplate {
    /// What `{{labels}}` becomes: one line per label, `- code: name — description`. The name is left out when it
    /// is the code, and the description when there is none.
    ///
    /// For example:
    /// ```swift
    /// PromptTemplate.labelList(for: .singleChoice([
    ///     LabelOption(code: "hate", name: "Hate speech", description: "Attacks on protected groups"),
    ///     LabelOption(code: "none"),
    /// ]))
    /// // "- hate: Hate speech — Attacks on protected groups\n- none"
    /// ```
    public static func labelList(for schema: LabelSchema) -> String {
        schema.labels.map { label in
            var line = "- \(label.code)"
            if label.name != label.code { line += ": \(label.name)" }
            if let description = label.description?.trimmingBlanksAndNewlines, !description.isEmpty {
                line += " — \(description)"
            }
            return line
        }.joined(separator: "\n")
    }

    /// What `{{guidelines}}` becomes: a `### code: name` heading and the passage, for each label (in schema order)
    /// that has a passage; empty when none has.
    ///
    /// For example:
    /// ```swift
    /// PromptTemplate.guidelineBlocks(for: schema, guidelines: ["spam": "Unsolicited ads and scams."])
    /// // "### spam: Spam\nUnsolicited ads and scams."
    /// ```
    public static func guidelineBlocks(for schema: LabelSchema, guidelines: [String: String]) -> String {
        schema.labels.compactMap { label -> String? in
            guard let passage = guidelines[label.code]?.trimmingBlanksAndNewlines, !passage.isEmpty else { return nil }
            let heading = label.name == label.code ? label.code : "\(label.code): \(label.name)"
            return "### \(heading)\n\(passage)"
        }.joined(separator: "\n\n")
    }

    /// What `{{output_format}}` becomes: the instruction to answer with only a JSON object, saying how many labels
    /// the schema lets the model choose and which codes it may use.
    ///
    /// For example:
    /// ```swift
    /// PromptTemplate.outputInstruction(for: .multiChoice([LabelOption(code: "scam"), LabelOption(code: "adult")]))
    /// // "Answer with only a JSON object ... \"labels\" holds one or more of these codes, every one that applies: scam, adult. ..."
    /// ```
    public static func outputInstruction(for schema: LabelSchema) -> String {
        let codes = schema.codes.joined(separator: ", ")
        let count: String
        switch schema.kind {
        case .singleChoice:
            count = "\"labels\" holds exactly one of these codes: \(codes)."
        case .multiChoice:
            count = "\"labels\" holds one or more of these codes, every one that applies: \(codes)."
        case .rating:
            count = "\"labels\" holds exactly one point of this scale: \(codes)."
        case .preference:
            count = "\"labels\" holds exactly one of these response codes, the best response: \(codes)."
        }
        return """
            Answer with only a JSON object, with no other text before or after it:
            {"labels": ["<code>"], "confidence": <a number from 0.0 to 1.0>, "rationale": "<one or two sentences>"}
            \(count)
            "confidence" is the probability, from 0.0 to 1.0, that your labels are right.
            "rationale" says briefly why, citing the guideline that decides the case.
            """
    }
}

// MARK: - Filling placeholders

/// A piece of a template's text: plain text, a placeholder (`known` is nil when Assay does not know it), or a
/// `{{` with no `}}` after it.
enum PromptSegment: Equatable {
    case text(Substring)
    case placeholder(raw: String, known: PromptPlaceholder?)
    case unclosed(Substring)

    /// Splits `text` at its `{{…}}` placeholders.
    static func split(_ text: String) -> [PromptSegment] {
        var segments: [PromptSegment] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "{{") {
            if open.lowerBound > rest.startIndex { segments.append(.text(rest[..<open.lowerBound])) }
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                segments.append(.unclosed(rest[open.lowerBound...]))
                return segments
            }
            let inner = String(rest[open.upperBound..<close.lowerBound])
            segments.append(.placeholder(raw: String(rest[open.lowerBound..<close.upperBound]), known: PromptPlaceholder(inner)))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.text(rest)) }
        return segments
    }
}

/// The placeholders a template may use.
enum PromptPlaceholder: Equatable {
    case item(field: String)
    case labels, labelCodes, guidelines, outputFormat

    /// Reads the text between the braces; nil for a placeholder Assay does not know.
    init?(_ inner: String) {
        let name = inner.trimmingBlanksAndNewlines
        switch name {
        case "labels": self = .labels
        case "label_codes": self = .labelCodes
        case "guidelines": self = .guidelines
        case "output_format": self = .outputFormat
        default:
            guard name.hasPrefix("item."), name.count > 5, !name.contains("{") else { return nil }
            self = .item(field: String(name.dropFirst(5)))
        }
    }
}

/// What the placeholders of one rendering stand for.
struct PromptContext {
    let content: [String: JSONValue]
    let schema: LabelSchema
    let guidelines: [String: String]

    /// `text` with every known placeholder replaced, in one pass.
    func fill(_ text: String) -> String {
        var output = ""
        for segment in PromptSegment.split(text) {
            switch segment {
            case .text(let text), .unclosed(let text): output += text
            case .placeholder(let raw, nil): output += raw
            case .placeholder(_, let placeholder?): output += value(of: placeholder)
            }
        }
        return output
    }

    private func value(of placeholder: PromptPlaceholder) -> String {
        switch placeholder {
        case .item(let field): Self.text(of: field, in: content)
        case .labels: PromptTemplate.labelList(for: schema)
        case .labelCodes: schema.codes.joined(separator: ", ")
        case .guidelines: PromptTemplate.guidelineBlocks(for: schema, guidelines: guidelines)
        case .outputFormat: PromptTemplate.outputInstruction(for: schema)
        }
    }

    /// The field as text: a string as it is, other JSON compact, a missing field empty. A dotted name is first
    /// looked up whole, then as a path into nested objects.
    static func text(of field: String, in content: [String: JSONValue]) -> String {
        var value = content[field]
        if value == nil, field.contains(".") {
            let path = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            value = path.dropFirst().reduce(content[path[0]]) { $0?[$1] }
        }
        guard let value, value != .null else { return "" }
        return value.stringValue ?? value.canonicalJSON
    }
}
