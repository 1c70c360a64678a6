import AssayQuality

/// Seeded posts for classifier tests: each label has cue words, posts mix cues with filler, some posts carry a
/// cue of another label, and a share of labels can be flipped to simulate annotator mistakes.
struct SyntheticPosts {
    static let cues: [String: [String]] = [
        "hate": ["vermin", "subhuman", "exterminate", "filth", "parasites", "invaders"],
        "spam": ["cheap", "pills", "click", "winner", "discount", "crypto"],
        "none": ["lunch", "weather", "match", "friends", "movie", "garden"],
    ]
    static let filler = ["the", "a", "is", "so", "today", "really", "this", "you", "we", "at", "they", "all", "are"]

    var texts: [String] = []
    var labels: [String] = []
    /// The label before any flip.
    var trueLabels: [String] = []

    /// Makes `count` posts.
    ///
    /// - Parameters:
    ///   - shares: The share of each label, in `["hate", "spam", "none"]` order.
    ///   - ambiguity: The chance that a post also carries one cue of another label.
    ///   - flips: The chance that a post's label is replaced by another label.
    ///   - obfuscate: Whether cue words are written with a look-alike character ("v3rmin").
    init(count: Int, seed: UInt64, shares: [Double] = [0.15, 0.3, 0.55], ambiguity: Double = 0.15,
         flips: Double = 0, obfuscate: Bool = false) {
        var random = SplitMix64(seed: seed)
        let names = ["hate", "spam", "none"]
        for _ in 0..<count {
            var draw = Double.random(in: 0..<1, using: &random)
            var label = names[names.count - 1]
            for (name, share) in zip(names, shares) {
                if draw < share { label = name; break }
                draw -= share
            }
            var words = (0..<Int.random(in: 4...9, using: &random)).map { _ in Self.filler.randomElement(using: &random)! }
            for _ in 0..<Int.random(in: 1...2, using: &random) {
                var cue = Self.cues[label]!.randomElement(using: &random)!
                if obfuscate { cue = Self.obfuscated(cue) }
                words.insert(cue, at: Int.random(in: 0...words.count, using: &random))
            }
            if Double.random(in: 0..<1, using: &random) < ambiguity {
                let other = names.filter { $0 != label }.randomElement(using: &random)!
                words.insert(Self.cues[other]!.randomElement(using: &random)!, at: Int.random(in: 0...words.count, using: &random))
            }
            trueLabels.append(label)
            if Double.random(in: 0..<1, using: &random) < flips {
                label = names.filter { $0 != label }.randomElement(using: &random)!
            }
            texts.append(words.joined(separator: " "))
            labels.append(label)
        }
    }

    /// The first vowel written as a look-alike digit (e → 3, i → 1, a → 4, o → 0, u → v), as evaders write.
    static func obfuscated(_ word: String) -> String {
        var characters = Array(word)
        if let index = characters.firstIndex(where: { "eiaou".contains($0) }) {
            characters[index] = ["e": "3", "i": "1", "a": "4", "o": "0", "u": "v"][characters[index]]!
        }
        return String(characters)
    }
}
