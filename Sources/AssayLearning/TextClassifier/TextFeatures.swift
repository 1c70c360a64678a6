import Foundation

/// How a text becomes a sparse vector: hashed word n-grams and character n-grams, weighted by TF-IDF.
///
/// Method:
/// 1. **Words** come from ``TextTokenizer``. Word n-grams of the lengths in `wordNGrams` (unigrams and bigrams by
///    default) are features of the *word* block.
/// 2. **Character n-grams** of the lengths in `characterNGrams` are taken inside each word wrapped in boundary marks,
///    `<word>`, as fastText does (Bojanowski et al. 2017), and form the *character* block. They let a misspelt or
///    obfuscated slur share weight with its usual spelling.
/// 3. **Hashing** (Weinberger et al. 2009): each feature's 64-bit hash picks one of 2^`bucketBits` buckets and a sign.
///    No vocabulary is stored, memory is fixed in advance, and the sign makes collisions cancel in expectation
///    rather than add up.
/// 4. **Weights**: a feature seen `tf` times in a text weighs (1 + ln tf) · idf, with the smoothed
///    idf = ln((1 + n) / (1 + df)) + 1 over the n training texts, df of them holding the bucket (scikit-learn's
///    `TfidfVectorizer(sublinear_tf=True)`). The word block is then scaled to length 0.8 and the character block to
///    0.6, so a text's vector has length 1 whatever its size and the many character n-grams do not drown the words.
///
/// References: K. Weinberger, A. Dasgupta, J. Langford, A. Smola and J. Attenberg (2009), "Feature Hashing for Large
/// Scale Multitask Learning", ICML. P. Bojanowski, E. Grave, A. Joulin and T. Mikolov (2017), "Enriching Word Vectors
/// with Subword Information", TACL 5:135–146.
///
/// For example:
/// ```swift
/// let features = TextFeatures()                      // words 1–2, characters 3–5, 2^20 buckets
/// var matrix = FeatureMatrix(features: features)
/// matrix.append("you are a 🐍")
/// matrix.append("u r a snake")
/// matrix.finishWeighting()                            // idf from these two texts
/// matrix.row(0).count                                  // features with their weights
/// ```
public struct TextFeatures: Sendable, Equatable, Codable {
    /// Word n-gram lengths (`nil` turns word features off).
    public var wordNGrams: ClosedRange<Int>?
    /// Character n-gram lengths within words, boundary marks included (`nil` turns them off).
    public var characterNGrams: ClosedRange<Int>?
    /// log₂ of the number of hash buckets: 20 gives 1,048,576.
    public var bucketBits: Int

    /// The most buckets a model may have: 2^22 (what a bucket index can hold in ``FeatureMatrix``).
    public static let maximumBucketBits = 22

    /// Makes a feature configuration.
    public init(wordNGrams: ClosedRange<Int>? = 1...2, characterNGrams: ClosedRange<Int>? = 3...5, bucketBits: Int = 20) {
        self.wordNGrams = wordNGrams
        self.characterNGrams = characterNGrams
        self.bucketBits = bucketBits
    }

    /// The number of hash buckets.
    public var bucketCount: Int { 1 << bucketBits }

    /// Checks the configuration.
    ///
    /// - Throws: ``LearningError/invalidOptions(_:)`` naming the setting at fault.
    public func validate() throws {
        guard (1...Self.maximumBucketBits).contains(bucketBits) else {
            throw LearningError.invalidOptions("bucket bits must be between 1 and \(Self.maximumBucketBits), not \(bucketBits)")
        }
        if let words = wordNGrams, words.lowerBound < 1 || words.upperBound > 5 {
            throw LearningError.invalidOptions("word n-grams must lie within 1…5, not \(words)")
        }
        if let characters = characterNGrams, characters.lowerBound < 1 || characters.upperBound > 8 {
            throw LearningError.invalidOptions("character n-grams must lie within 1…8, not \(characters)")
        }
        guard wordNGrams != nil || characterNGrams != nil else {
            throw LearningError.invalidOptions("turn on word or character n-grams: a text needs some features")
        }
    }

    /// Calls `body` with the hash of every feature occurrence of `text` and whether it is a character n-gram.
    ///
    /// - Complexity: O(text length × n-gram lengths).
    func forEachFeature(of text: String, _ body: (_ hash: UInt64, _ isCharacterGram: Bool) -> Void) {
        var recent: [UInt64] = []   // hashes of the last words, for word n-grams
        let longestWordGram = wordNGrams?.upperBound ?? 0
        var marked: [UInt32] = []
        TextTokenizer.forEachWord(in: text) { word, kind in
            if let grams = wordNGrams {
                let wordHash = Self.hash(word, seed: 0x77)
                recent.append(wordHash)
                if recent.count > longestWordGram { recent.removeFirst() }
                for length in grams where length <= recent.count {
                    var combined: UInt64 = 0x5745_4F52_4453 &+ UInt64(length)
                    for gram in recent[(recent.count - length)...] { combined = Self.mix(combined &* 31 ^ gram) }
                    body(combined, false)
                }
            }
            guard let grams = characterNGrams, kind == .text else { return }
            marked.removeAll(keepingCapacity: true)
            marked.append(0x3C)   // <
            marked.append(contentsOf: word)
            marked.append(0x3E)   // >
            // Every n-gram starting at `start` extends the one before it, so one FNV pass per start yields all
            // lengths; the length is folded in before mixing, so "abc" and "abcd" never share a hash.
            for start in 0..<marked.count {
                var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ 0x63
                let longest = min(grams.upperBound, marked.count - start)
                guard longest >= grams.lowerBound else { break }
                for length in 1...longest {
                    hash = (hash ^ UInt64(marked[start + length - 1])) &* 0x0000_0100_0000_01B3
                    if length >= grams.lowerBound { body(Self.mix(hash &+ UInt64(length) &* 0x9E37_79B9), true) }
                }
            }
        }
    }

    /// FNV-1a over the scalar values, finished by SplitMix64's mixer so that every bit of the result depends on
    /// every input bit (the bucket and the sign are read from different bits).
    @inline(__always)
    static func hash(_ scalars: ArraySlice<UInt32>, seed: UInt64) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for scalar in scalars {
            hash = (hash ^ UInt64(scalar)) &* 0x0000_0100_0000_01B3
        }
        return mix(hash)
    }

    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
