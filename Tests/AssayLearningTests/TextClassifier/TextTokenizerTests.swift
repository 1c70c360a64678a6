@testable import AssayLearning
import Testing

/// The words `TextTokenizer` finds, as strings.
func words(_ text: String) -> [String] {
    var result: [String] = []
    TextTokenizer.forEachWord(in: text) { scalars, _ in
        result.append(String(String.UnicodeScalarView(scalars.lazy.compactMap(Unicode.Scalar.init))))
    }
    return result
}

@Suite struct TextTokenizerTests {
    @Test func docExample() {
        #expect(words("RT @kim: Don't click http://spam.example 🔪") == ["rt", "<user>", "dont", "click", "<url>", "🔪"])
    }

    @Test func lowercasesEveryScript() {
        #expect(words("ÉCOLE Straße ΣΟΦΙΑ") == ["école", "straße", "σοφια"])
        #expect(words("İstanbul") == ["i̇stanbul"])   // U+0130 lowercases to i + combining dot, as Unicode says
    }

    @Test func readsRightToLeftAndCombiningMarks() {
        #expect(words("مرحبا بالعالم!") == ["مرحبا", "بالعالم"])
        #expect(words("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"])   // virama and vowel signs stay inside the word
    }

    @Test func addressesHandlesAndTags() {
        #expect(words("see https://x.co/a?b=1, www.example.org and HTTP://Y.Z") == ["see", "<url>", "<url>", "and", "<url>"])
        #expect(words("@some_user_1 hi @ alone") == ["<user>", "hi", "alone"])
        #expect(words("#NoHate #2024") == ["nohate", "2024"])
        #expect(words("email@example.com") == ["email", "example", "com"])   // @ after a letter is not a handle
    }

    @Test func punctuationSeparatesAndSymbolsStand() {
        #expect(words("wait...what?!it's 5pm") == ["wait", "what", "its", "5pm"])
        #expect(words("🖕🖕 ok") == ["🖕", "🖕", "ok"])
        #expect(words("") == [])
        #expect(words("  \n\t ") == [])
    }

    @Test func reportsKinds() {
        var kinds: [TextTokenizer.WordKind] = []
        TextTokenizer.forEachWord(in: "go @x 🔪 http://a.b") { _, kind in kinds.append(kind) }
        #expect(kinds == [.text, .placeholder, .symbol, .placeholder])
    }
}
