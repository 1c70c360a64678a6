import AssayCore
import Testing

@Suite("Preference pairs as training data")
struct PreferencePairSetTests {
    static func pair(_ prompt: String, _ chosen: String, _ rejected: String, _ item: String) -> PreferencePair {
        PreferencePair(prompt: prompt, chosen: chosen, rejected: rejected, itemExternalID: item, agreement: 1)
    }

    @Test("each distinct pair once, the way most copies have it; ties and identical responses left out, each counted")
    func distinctPairs() {
        let pairs = [
            Self.pair("Hi", "Hello!", "Go away.", "a"), Self.pair("Hi ", "Hello!", "Go  away.", "b"),  // the same pair
            Self.pair("Hi", "Go away.", "Hello!", "c"),                                                   // outvoted
            Self.pair("2+2?", "4", "5", "d"), Self.pair("2+2?", "5", "4", "e"),                           // a tie
            Self.pair("Same?", "Yes.", "Yes. ", "f"),                                                     // identical
            Self.pair("Link?", "See https://right.example", "See https://wrong.example", "g"),            // a real difference
        ]
        var set = PreferencePairSet()
        for pair in pairs { set.count(pair) }
        #expect(pairs.filter { set.take($0) }.map(\.itemExternalID) == ["a", "g"])
        #expect(set.duplicates == 1 && set.outvoted == 1 && set.conflicting == 2 && set.identical == 1)
    }
}
