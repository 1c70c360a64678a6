/// The passage for each label, read from a guideline's own headings, so that a policy team can publish the
/// document they already write without cutting it up by hand.
///
/// A heading (`#` to `######`) whose text is a label's code or name (case and surrounding backticks, colons and
/// spaces ignored) starts that label's passage; the passage runs to the next heading of the same or a higher
/// level. Headings that name no label are left alone.
///
/// ```swift
/// let markdown = """
///     # Comment policy
///     ## Hate speech
///     Attacks on people for who they are.
///     ## `spam`
///     Unsolicited ads and scams.
///     """
/// GuidelinePassages.fromHeadings(of: markdown, labels: schema.labels)
/// // ["hate": "Attacks on people for who they are.", "spam": "Unsolicited ads and scams."]
/// ```
public enum GuidelinePassages {
    public static func fromHeadings(of markdown: String, labels: [LabelOption]) -> [String: String] {
        var codeByHeading: [String: String] = [:]
        for label in labels.reversed() {
            codeByHeading[normalized(label.name)] = label.code
            codeByHeading[normalized(label.code)] = label.code
        }
        var passages: [String: String] = [:]
        var open: (code: String, level: Int, lines: [Substring])?
        func close() {
            guard let current = open else { return }
            let text = current.lines.joined(separator: "\n").trimmingBlanksAndNewlines
            if !text.isEmpty, passages[current.code] == nil { passages[current.code] = text }
            open = nil
        }
        var inFence = false
        for line in markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.drop(while: { $0 == " " }).hasPrefix("```") { inFence.toggle() }
            if !inFence, let (level, title) = heading(line) {
                if let current = open, level > current.level {
                    open?.lines.append(line)
                    continue
                }
                close()
                if let code = codeByHeading[normalized(title)] { open = (code, level, []) }
                continue
            }
            open?.lines.append(line)
        }
        close()
        return passages
    }

    /// The text before the document's first section: what holds for every label. A leading `#` title is left out
    /// (unless it names a label: then it is that label's section); any other heading ends it, so no label's passage
    /// is ever part of it. Nil when there is no such text.
    ///
    /// For example, the preamble of `"# Ads policy\n\nWhen two labels fit, choose the more severe.\n\n## Scam\n…"` is
    /// `"When two labels fit, choose the more severe."`.
    public static func preamble(of markdown: String, labels: [LabelOption]) -> String? {
        let labelHeadings = Set(labels.flatMap { [normalized($0.name), normalized($0.code)] })
        var lines: [Substring] = []
        var inFence = false
        var seenTitle = false
        for line in markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.drop(while: { $0 == " " }).hasPrefix("```") { inFence.toggle() }
            if !inFence, let (level, title) = heading(line) {
                let isTitle = level == 1 && !seenTitle && !labelHeadings.contains(normalized(title))
                    && lines.allSatisfy { $0.allSatisfy(\.isWhitespace) }
                guard isTitle else { break }
                seenTitle = true
                continue
            }
            lines.append(line)
        }
        let text = lines.joined(separator: "\n").trimmingBlanksAndNewlines
        return text.isEmpty ? nil : text
    }

    /// The level and text of an ATX heading line, or nil.
    private static func heading(_ line: Substring) -> (Int, Substring)? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        return (hashes, rest.drop(while: { $0 == " " || $0 == "\t" }))
    }

    private static func normalized(_ text: some StringProtocol) -> String {
        let ignored: Set<Character> = [" ", "\t", "\r", "`", ":", "*", "#"]
        var core = Substring(text.lowercased())
        while let first = core.first, ignored.contains(first) { core.removeFirst() }
        while let last = core.last, ignored.contains(last) { core.removeLast() }
        return String(core)
    }
}
