import Foundation

extension String {
    /// The string in Unicode's composed form (NFC), the one spelling an external id is kept in.
    ///
    /// `"cafe\u{301}"` (an e and a combining accent) and `"caf\u{E9}"` look the same, and Swift compares them
    /// equal, but a database compares their bytes: an import that looked ids up in a Swift dictionary put one
    /// spelling's judgments on the other's item, and PostgreSQL's loader dropped the second item as "already
    /// there". Ids are stored composed, so both sides see one id.
    ///
    /// ```swift
    /// "cafe\u{301}".composed.utf8.count  // 5, as "caf\u{E9}"
    /// ```
    public var composed: String {
        // ASCII, most ids, is composed already; Foundation's mapping bridges through NSString on Linux.
        utf8.allSatisfy { $0 < 0x80 } ? self : precomposedStringWithCanonicalMapping
    }
}
