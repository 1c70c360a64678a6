import Foundation

/// Language and market codes as Assay stores them, so that routing can compare them exactly.
///
/// ```swift
/// try Locale.normalizedCode(" PT_br ")   // "pt-BR"
/// try Locale.normalizedCode("zh-hans-cn") // "zh-Hans-CN"
/// try Locale.normalizedCode("english")   // throws: not a language code
/// try Locale.normalizedMarket(" br ")    // "BR"
/// try Locale.normalizedMarket("br\u{0B}") // throws: not a market code
/// ```
extension Locale {
    /// Language codes normalised as ``normalizedCode(_:field:line:)`` does, blank ones dropped, each once.
    static func normalizedCodes(_ codes: [String], field: String = "languages") throws -> [String] {
        once(try codes.compactMap { try normalizedCode($0, field: field) })
    }

    /// The codes in their order, each once: `["en", "EN"]` is one language after normalising.
    private static func once(_ codes: [String]) -> [String] {
        var seen = Set<String>()
        return codes.filter { seen.insert($0).inserted }
    }

    /// A BCP 47 language tag in its usual casing: the language lower-case (`pt`), a script title-case (`Hans`), a
    /// region upper-case (`BR`, `419`); `_` read as `-`. Nil for a blank one.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for anything else (`english`, `en US`): an item
    ///   with such a code would match no reviewer's languages and wait in the backlog for ever.
    public static func normalizedCode(_ raw: String, field: String = "language", line: Int? = nil) throws -> String? {
        // Most codes arrive normalised (`en`): every imported item has one, so skip the splitting for them.
        if (2...3).contains(raw.utf8.count), raw.utf8.allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) {
            return raw
        }
        let trimmed = raw.trimmingBlanks
        guard !trimmed.isEmpty else { return nil }
        let subtags = trimmed.split(separator: "-", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "_", omittingEmptySubsequences: false) }
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func isLetters(_ text: Substring) -> Bool { text.utf8.allSatisfy(isLetter) }
        func isDigits(_ text: Substring) -> Bool { text.utf8.allSatisfy(isDigit) }
        guard let language = subtags.first, (2...3).contains(language.utf8.count), isLetters(language),
            subtags.dropFirst().allSatisfy({ (1...8).contains($0.utf8.count) && $0.utf8.allSatisfy { isLetter($0) || isDigit($0) } })
        else {
            throw AssayError.invalidInput(
                field: field, line: line, reason: "'\(trimmed)' is not a language code such as en, pt-BR or zh-Hans-CN")
        }
        var parts = [language.lowercased()]
        for subtag in subtags.dropFirst() {
            if subtag.utf8.count == 2 && isLetters(subtag) || subtag.utf8.count == 3 && isDigits(subtag) {
                parts.append(subtag.uppercased())
            } else if subtag.utf8.count == 4 && isLetters(subtag) {
                parts.append(subtag.prefix(1).uppercased() + subtag.dropFirst().lowercased())
            } else {
                parts.append(subtag.lowercased())
            }
        }
        return parts.joined(separator: "-")
    }

    /// Market codes normalised as ``normalizedMarket(_:field:line:)`` does, blank ones dropped, each once.
    static func normalizedMarkets(_ markets: [String], field: String = "markets") throws -> [String] {
        once(try markets.compactMap { try normalizedMarket($0, field: field) })
    }

    /// A market code trimmed and upper-cased (`br` → `BR`); nil for a blank one. Markets are the team's own
    /// names (`BR`, `LATAM`, `US WEST`, `LATAM (ES)`), so beyond their case only their shape is checked: up to 32
    /// letters, digits, spaces and `- _ . / ( ) & +`. A control character, a quote or an emoji in one made a market
    /// no reviewer's list would ever hold.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for anything else.
    public static func normalizedMarket(_ raw: String, field: String = "market", line: Int? = nil) throws -> String? {
        // Most arrive as they are stored (`US`): every imported item may have one.
        if (2...3).contains(raw.utf8.count), raw.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
            return raw
        }
        let trimmed = raw.trimmingBlanks.uppercased()
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.count <= 32,
            trimmed.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || " -_./()&+".unicodeScalars.contains($0) })
        else {
            let shown = trimmed.unicodeScalars.contains { $0.properties.generalCategory == .control }
                ? "a code holding a control character" : "'\(trimmed.prefix(40))\(trimmed.count > 40 ? "…" : "")'"
            throw AssayError.invalidInput(
                field: field, line: line,
                reason: "\(shown) is not a market code: up to 32 letters, digits, spaces and - _ . / ( ) & +, such as US, BR or LATAM")
        }
        return trimmed
    }
}
