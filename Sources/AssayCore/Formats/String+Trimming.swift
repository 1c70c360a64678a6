/// Trimming without Foundation's `CharacterSet`, which on Linux bridges each string to `NSString`: imports trim
/// every field of every row.
extension String {
    /// The string without leading and trailing blanks: tab and Unicode space separators, as
    /// `trimmingCharacters(in: .whitespaces)`.
    public var trimmingBlanks: String { trimming(where: \.isBlank) }

    /// The string without leading and trailing blanks and line breaks, as
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`.
    public var trimmingBlanksAndNewlines: String { trimming(where: \.isBlankOrNewline) }

    private func trimming(where isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last, isTrimmed(first) || isTrimmed(last) else { return self }
        guard let start = scalars.firstIndex(where: { !isTrimmed($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isTrimmed($0) })!
        return String(scalars[start...end])
    }
}

extension Unicode.Scalar {
    /// Tab, a space separator (Unicode category Zs) or the zero-width space, which Foundation's set still counts.
    var isBlank: Bool {
        if value < 0x80 { return value == 0x20 || value == 0x09 }
        return properties.generalCategory == .spaceSeparator || value == 0x200B
    }

    /// A blank, a line break (U+000A–U+000D, U+0085) or a line or paragraph separator.
    var isBlankOrNewline: Bool {
        if value < 0x80 { return value == 0x20 || (0x09...0x0D).contains(value) }
        switch properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return value == 0x85 || value == 0x200B
        }
    }
}
