import Foundation
import Testing

@testable import AssayStore

/// Values as the store writes them into columns.
@Suite("Stored values")
struct ColumnTests {
    @Test("a list of strings is written byte for byte as the store's JSON encoder writes it, and read back")
    func stringListsMatchTheEncoder() throws {
        let lists: [[String]] = [
            [], ["none"], ["hate_speech", "harassment"], ["a/b", "say \"hi\"", "back\\slash"],
            ["line\nbreak", "tab\there", "cr\rhere", "\u{08}\u{0C}\u{01}\u{1F}\u{7F}"], ["é", "😀", "\u{2028}", "<>&'"],
        ]
        for list in lists {
            let fast = try Column.json(list)
            #expect(fast == (try Self.throughTheEncoder(list)), "\(list)")
            #expect(try Column.strings(from: fast) == list)
        }
    }

    /// The generic overload, which a `[String]` argument would not reach outside a generic context.
    private static func throughTheEncoder<T: Encodable>(_ value: T) throws -> String { try Column.json(value) }
}
