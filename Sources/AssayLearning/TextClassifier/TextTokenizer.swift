/// Splits text into the normalised words a classifier sees, without building a `String` per word.
///
/// The rules are the ones short user-generated text (posts, comments, ads, chat) needs:
/// - Letters and digits, in any script, make words; everything is lowercased.
/// - Apostrophes inside words are dropped, so "don't" and "dont" are one word.
/// - A web address (`http://…`, `https://…`, `www.…`) becomes the single word `<url>`, and an `@handle` the word
///   `<user>`: the address or handle itself says little about a policy label and would only spread weight thin.
/// - `#hashtag` is read as the word `hashtag`.
/// - An emoji or other symbol is a word of its own: 🔪 and 🖕 carry meaning in moderation work.
/// - Other punctuation separates words and is otherwise ignored.
///
/// For example:
/// ```swift
/// var words: [String] = []
/// TextTokenizer.forEachWord(in: "RT @kim: Don't click http://spam.example 🔪") { scalars, _ in
///     words.append(String(String.UnicodeScalarView(scalars.lazy.compactMap(Unicode.Scalar.init))))
/// }
/// words   // ["rt", "<user>", "dont", "click", "<url>", "🔪"]
/// ```
public enum TextTokenizer {
    /// What kind of word the tokenizer found.
    public enum WordKind: Sendable, Equatable {
        /// Letters and digits.
        case text
        /// An emoji or other symbol.
        case symbol
        /// A placeholder (`<url>`, `<user>`) standing for a web address or a handle.
        case placeholder
    }

    /// The words `<url>` and `<user>` as scalar values.
    static let urlWord: [UInt32] = Array("<url>".unicodeScalars.map(\.value))
    static let userWord: [UInt32] = Array("<user>".unicodeScalars.map(\.value))

    /// Calls `body` with each word of `text`, as lowercased Unicode scalar values, in order.
    ///
    /// - Complexity: O(text length); no allocation per word (the buffer passed to `body` is reused).
    public static func forEachWord(in text: String, _ body: (ArraySlice<UInt32>, WordKind) -> Void) {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.utf8.count)
        scalars.append(contentsOf: text.unicodeScalars)
        var word: [UInt32] = []
        word.reserveCapacity(32)
        var index = 0
        func flush() {
            if !word.isEmpty { body(word[...], .text) }
            word.removeAll(keepingCapacity: true)
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if word.isEmpty, let end = webAddressEnd(in: scalars, from: index) {
                body(urlWord[...], .placeholder)
                index = end
                continue
            }
            if scalar == "@", word.isEmpty, index + 1 < scalars.count, isWordScalar(scalars[index + 1]) {
                var end = index + 1
                while end < scalars.count, isWordScalar(scalars[end]) || scalars[end] == "_" { end += 1 }
                body(userWord[...], .placeholder)
                index = end
                continue
            }
            if isWordScalar(scalar) {
                appendLowercased(scalar, to: &word)
            } else if scalar == "'" || scalar == "\u{2019}" {
                // Dropped inside a word; a separator elsewhere, which an empty word already is.
            } else {
                flush()
                if isSymbolWord(scalar) { body([scalar.value][...], .symbol) }
            }
            index += 1
        }
        flush()
    }

    /// Whether the scalar belongs in a word: a letter, digit or combining mark.
    @inline(__always)
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A) || (value >= 0x30 && value <= 0x39)
        }
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Whether the scalar is a word on its own: an emoji or another symbol.
    static func isSymbolWord(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value >= 0x80 else { return false }
        let properties = scalar.properties
        return properties.isEmojiPresentation || properties.generalCategory == .otherSymbol
    }

    @inline(__always)
    static func appendLowercased(_ scalar: Unicode.Scalar, to word: inout [UInt32]) {
        let value = scalar.value
        if value < 0x80 {
            word.append(value >= 0x41 && value <= 0x5A ? value + 0x20 : value)
        } else if scalar.properties.changesWhenLowercased {
            for lower in scalar.properties.lowercaseMapping.unicodeScalars { word.append(lower.value) }
        } else {
            word.append(value)
        }
    }

    /// Where a web address starting at `start` ends (at the next white space), or nil when none starts there.
    static func webAddressEnd(in scalars: [Unicode.Scalar], from start: Int) -> Int? {
        func matches(_ prefix: String) -> Bool {
            var index = start
            for expected in prefix.unicodeScalars {
                guard index < scalars.count else { return false }
                let value = scalars[index].value
                let lowered = value >= 0x41 && value <= 0x5A ? value + 0x20 : value
                guard lowered == expected.value else { return false }
                index += 1
            }
            return true
        }
        guard scalars[start] == "h" || scalars[start] == "H" || scalars[start] == "w" || scalars[start] == "W",
            matches("http://") || matches("https://") || matches("www.")
        else { return nil }
        var end = start
        while end < scalars.count, !scalars[end].properties.isWhitespace { end += 1 }
        return end
    }
}
