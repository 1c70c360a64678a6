import Foundation

/// Guideline Markdown as HTML for the pages, from the subset policy documents use: paragraphs (lines reflowed),
/// `#` headings, `-`/`*`/`1.` lists, `**strong**`, `*emphasis*` or `_emphasis_`, `` `code` `` and
/// `[links](https://…)`.
///
/// Every character of the source is escaped before any tag is added, so whatever a guideline holds (`<script>`
/// included) shows as text: the only tags in the output are the ones this type writes, and a link goes only to
/// `http`, `https` or `mailto`. Anything outside the subset stays as written.
///
/// ```swift
/// MarkdownHTML.render("Scams **always** count.\n\n- fake prizes\n- phishing")
/// // <p>Scams <strong>always</strong> count.</p><ul><li>fake prizes</li><li>phishing</li></ul>
/// ```
public enum MarkdownHTML {
    public static func render(_ markdown: String) -> String {
        var html = ""
        var paragraph: [String] = []
        var list: (ordered: Bool, items: [String])?

        func flushParagraph() {
            guard !paragraph.isEmpty else { return }
            html += "<p>" + inline(paragraph.joined(separator: " ")) + "</p>"
            paragraph = []
        }
        func flushList() {
            guard let open = list else { return }
            let tag = open.ordered ? "ol" : "ul"
            html += "<\(tag)>" + open.items.map { "<li>" + inline($0) + "</li>" }.joined() + "</\(tag)>"
            list = nil
        }

        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                flushParagraph()
                flushList()
            } else if let (level, text) = heading(line) {
                flushParagraph()
                flushList()
                // The page's own headings are h1 and h2: a guideline's start below them.
                let tag = "h\(min(6, level + 2))"
                html += "<\(tag)>" + inline(text) + "</\(tag)>"
            } else if let (ordered, text) = listItem(line) {
                flushParagraph()
                if let open = list, open.ordered != ordered { flushList() }
                if list == nil { list = (ordered, []) }
                list?.items.append(text)
            } else if var open = list, raw.first == " " || raw.first == "\t" {
                // An indented line continues the list item above.
                open.items[open.items.count - 1] += " " + line
                list = open
            } else {
                flushList()
                paragraph.append(line)
            }
        }
        flushParagraph()
        flushList()
        return html
    }

    private static func heading(_ line: String) -> (Int, String)? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return (hashes, String(line.dropFirst(hashes + 1)).trimmingCharacters(in: .whitespaces))
    }

    private static func listItem(_ line: String) -> (ordered: Bool, text: String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ") { return (false, String(line.dropFirst(2))) }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3 else { return nil }
        let rest = line.dropFirst(digits.count)
        guard rest.hasPrefix(". ") || rest.hasPrefix(") ") else { return nil }
        return (true, String(rest.dropFirst(2)))
    }

    /// Inline marks over text escaped first: code spans, then links, strong and emphasis.
    static func inline(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        // Code spans are taken out first: nothing inside them is a mark.
        while let open = rest.firstIndex(of: "`"),
            let close = rest[rest.index(after: open)...].firstIndex(of: "`")
        {
            out += marks(escape(rest[..<open]))
            out += "<code>" + escape(rest[rest.index(after: open)..<close]) + "</code>"
            rest = rest[rest.index(after: close)...]
        }
        return out + marks(escape(rest))
    }

    private static func marks(_ escaped: String) -> String {
        // Emphasis is marked in the text between tags only: a `*` or `_` in a link's address is part of it.
        var out = ""
        var rest = Substring(links(escaped))
        while let open = rest.range(of: "<a href=\""), let close = rest[open.upperBound...].range(of: "\">") {
            out += emphasis(String(rest[..<open.lowerBound])) + rest[open.lowerBound..<close.upperBound]
            rest = rest[close.upperBound...]
        }
        return out + emphasis(String(rest))
    }

    private static func emphasis(_ text: String) -> String {
        var text = wrap(text, in: "**", tag: "strong")
        text = wrap(text, in: "__", tag: "strong")
        text = wrap(text, in: "*", tag: "em")
        return wrap(text, in: "_", tag: "em", wordBounded: true)
    }

    /// `[text](url)` for web and mail addresses; anything else stays as written.
    private static func links(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "["),
            let close = rest[open...].range(of: "]("),
            let end = rest[close.upperBound...].firstIndex(of: ")")
        {
            let label = rest[rest.index(after: open)..<close.lowerBound]
            let address = rest[close.upperBound..<end]
            out += rest[..<open]
            if !label.isEmpty, isSafeAddress(address) {
                out += "<a href=\"\(address)\" rel=\"noopener noreferrer\">\(label)</a>"
            } else {
                out += rest[open...end]
            }
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    /// Pairs of `delimiter` around text that neither starts nor ends with a space become `<tag>`; an unpaired one
    /// stays. With `wordBounded`, a delimiter inside a word (`snake_case_name`) is not a mark.
    private static func wrap(_ text: String, in delimiter: String, tag: String, wordBounded: Bool = false) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: delimiter) {
            if wordBounded, open.lowerBound > rest.startIndex, rest[rest.index(before: open.lowerBound)].isLetterOrNumber {
                out += rest[..<open.upperBound]
                rest = rest[open.upperBound...]
                continue
            }
            var search = open.upperBound
            var closing: Range<Substring.Index>?
            while let candidate = rest[search...].range(of: delimiter) {
                let after = candidate.upperBound < rest.endIndex ? rest[candidate.upperBound] : " "
                if !wordBounded || !after.isLetterOrNumber { closing = candidate; break }
                search = candidate.upperBound
            }
            guard let close = closing else { break }
            let inner = rest[open.upperBound..<close.lowerBound]
            guard let first = inner.first, let last = inner.last, first != " ", last != " " else {
                out += rest[..<open.upperBound]
                rest = rest[open.upperBound...]
                continue
            }
            out += rest[..<open.lowerBound] + "<\(tag)>" + inner + "</\(tag)>"
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// Text with `& < > " '` as HTML entities.
    ///
    /// By Unicode scalar, not by `Character`: a quote followed by a combining mark is one `Character` that is not
    /// `"`, and would have passed through as a raw quote, ending an attribute.
    static func escape(_ text: Substring) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether an address (already escaped) is one a link may go to: `http`, `https` or `mailto`, and only
    /// characters of a URL, so that nothing in it can end the attribute or start another (no white space, control
    /// or combining characters, quotes or angle brackets, which escaping has turned into entities anyway).
    static func isSafeAddress(_ address: Substring) -> Bool {
        let lowered = address.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") || lowered.hasPrefix("mailto:") else { return false }
        // Escaped quotes and brackets would be harmless inside the attribute, but no real address holds them.
        guard !["&quot;", "&#39;", "&lt;", "&gt;"].contains(where: { address.contains($0) }) else { return false }
        return address.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && scalar.value > 0x20 && scalar.value < 0x7F && !"\"'<>`\\".unicodeScalars.contains(scalar)
        }
    }
}

extension Character {
    fileprivate var isLetterOrNumber: Bool { isLetter || isNumber }
}
