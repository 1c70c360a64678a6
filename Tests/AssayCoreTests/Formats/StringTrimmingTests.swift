import AssayCore
import Foundation
import Testing

@Suite("Trimming")
struct StringTrimmingTests {
    static let samples = [
        "", " ", "\t", "plain", "  both  ", "\tlead", "trail\t", "\n line \r\n", "\u{00A0}nbsp\u{00A0}", "\u{3000}全角\u{3000}",
        "\u{2028}separator\u{2029}", "\u{0085}next line\u{0085}", "in ner", " \u{200B}zero width ", "é ", " 😀 ", "\u{0B}vt\u{0C}",
        "\r", "\n\n\n",
    ]

    @Test(arguments: samples)
    func trimsBlanksAsFoundationDoes(text: String) {
        #expect(text.trimmingBlanks == text.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: samples)
    func trimsBlanksAndNewlinesAsFoundationDoes(text: String) {
        #expect(text.trimmingBlanksAndNewlines == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
