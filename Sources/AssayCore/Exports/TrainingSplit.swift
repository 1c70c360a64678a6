import Foundation

/// Turns a queue's final labels into training data: one row per distinct text (duplicates by normalised-text hash
/// removed), split into train, validation and test sets stratified by label, each row with its provenance.
///
/// Copies of one text labelled differently take the labels most of them have: one slip among thirty agreeing copies
/// should not cost the text, and a frequent text is often what a label is about. The copies outvoted are counted.
/// When no label set has more copies than every other (one copy "spam", one "none"), no label is right for the text
/// and it is left out.
///
/// Normalisation: Unicode compatibility folding (NFKC), case folding ("Straße" is "STRASSE"), runs of white space as
/// one space, trimmed, and every white-space-separated web address and `@handle` as one word, much as the built-in
/// classifier reads them (since 2026-12-05: splits made before may differ); so
/// "Buy  NOW" and "buy now" are one text, and so are "@kim click http://a.example" and "@lee click http://b.example"
/// (a model sees the two alike: one in training and the other held out, it would be scored on what it learnt). The hash is 64-bit FNV-1a over the normalised UTF-8, stable across runs
/// and machines (Swift's own `Hasher` is seeded per process).
///
/// Stratified splitting: within each label (the sorted label set, for several labels), texts are ordered by their
/// hash mixed with `seed` and cut at the shares, rounding so that every split of a label with enough texts gets its
/// share; a label's first text goes to train. The same data and seed give the same split, and a text keeps its order
/// key whatever else is in the queue (in one version of this normalisation).
///
/// For example:
/// ```swift
/// let result = try TrainingSplit(shares: .init(train: 0.8, validation: 0.1, test: 0.1), seed: 7).split(examples)
/// result.rows.filter { $0.split == .test }   // about a tenth of each label
/// result.duplicatesDropped                    // copies of texts already kept
/// ```
public struct TrainingSplit: Sendable {
    /// Which set a row belongs to.
    public enum Part: String, Codable, Sendable, CaseIterable, ClosedChoice {
        case train, validation, test
    }

    /// The shares of the three sets, adding up to 1.
    public struct Shares: Sendable, Equatable {
        public var train: Double
        public var validation: Double
        public var test: Double

        /// Makes shares.
        public init(train: Double, validation: Double, test: Double) {
            self.train = train
            self.validation = validation
            self.test = test
        }

        /// Reads `80/10/10` (percentages or fractions, in train/validation/test order).
        ///
        /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` unless there are three non-negative numbers with a
        ///   positive train share adding up to 100 (or 1).
        public init(parsing text: String) throws {
            let parts = text.split(separator: "/").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 3, let train = parts[0], let validation = parts[1], let test = parts[2],
                train > 0, validation >= 0, test >= 0
            else {
                throw AssayError.invalidInput(field: "splits", line: nil, reason: "write train/validation/test shares such as 80/10/10, got '\(text)'")
            }
            let total = train + validation + test
            guard abs(total - 100) < 1e-6 || abs(total - 1) < 1e-9 else {
                throw AssayError.invalidInput(field: "splits", line: nil, reason: "the shares add up to \(total), not 100")
            }
            self.init(train: train / total, validation: validation / total, test: test / total)
        }
    }

    /// One labelled text to export.
    public struct Example: Sendable, Equatable {
        /// The item's external id.
        public var externalID: String
        /// The text.
        public var text: String
        /// Its final labels.
        public var labels: [String]
        /// How they were decided, with what confidence, from how many judgments, when.
        public var provenance: String
        public var confidence: Double
        public var judgmentCount: Int
        public var decidedAt: Date

        /// Makes an example.
        public init(
            externalID: String, text: String, labels: [String], provenance: String, confidence: Double, judgmentCount: Int,
            decidedAt: Date
        ) {
            self.externalID = externalID
            self.text = text
            self.labels = labels
            self.provenance = provenance
            self.confidence = confidence
            self.judgmentCount = judgmentCount
            self.decidedAt = decidedAt
        }
    }

    /// The split.
    public struct Result: Sendable, Equatable {
        /// The rows kept, each with its set, in input order.
        public var rows: [(example: Example, part: Part)]
        /// Copies of a text already kept with the same labels.
        public var duplicatesDropped: Int
        /// Copies left out because most copies of their text were labelled otherwise.
        public var outvotedDropped: Int
        /// Copies of texts left out because no label set had the most copies (every copy counted).
        public var conflictsDropped: Int

        /// Rows per set.
        public var counts: [Part: Int] { Dictionary(grouping: rows, by: \.part).mapValues(\.count) }

        public static func == (lhs: Result, rhs: Result) -> Bool {
            lhs.rows.map(\.example) == rhs.rows.map(\.example) && lhs.rows.map(\.part) == rhs.rows.map(\.part)
                && lhs.duplicatesDropped == rhs.duplicatesDropped && lhs.outvotedDropped == rhs.outvotedDropped
                && lhs.conflictsDropped == rhs.conflictsDropped
        }
    }

    /// The shares.
    public let shares: Shares
    /// Mixed into the order keys: another seed, another split.
    public let seed: UInt64

    /// Makes a splitter.
    public init(shares: Shares, seed: UInt64 = 1) {
        self.shares = shares
        self.seed = seed
    }

    /// Which of several labelled texts to keep: one per distinct text, with the labels most of its copies have.
    public struct Distinct: Sendable, Equatable {
        /// The positions kept (each text's first copy with the winning labels), in input order, with their text keys.
        public var kept: [(index: Int, key: UInt64)]
        /// Copies of a kept text with the same labels.
        public var duplicates: Int
        /// Copies whose labels most copies of their text did not have.
        public var outvoted: Int
        /// Copies of texts whose copies tie on their labels, all left out.
        public var conflicts: Int

        public static func == (lhs: Distinct, rhs: Distinct) -> Bool {
            lhs.kept.map(\.index) == rhs.kept.map(\.index) && lhs.duplicates == rhs.duplicates
                && lhs.outvoted == rhs.outvoted && lhs.conflicts == rhs.conflicts
        }
    }

    /// One per distinct text (``key(of:)``), with the labels most of its copies have; a text whose copies tie is left
    /// out. What training data and a classifier trained on a queue both start from, so that no text counts twice and
    /// none sits on both sides of a held-out split.
    ///
    /// - Complexity: O(n) for n texts.
    public static func distinct(texts: [String], labels: [[String]]) -> Distinct {
        var groups: [UInt64: [Int]] = [:]
        var order: [UInt64] = []
        for (index, text) in texts.enumerated() {
            let key = key(of: text)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(index)
        }
        var result = Distinct(kept: [], duplicates: 0, outvoted: 0, conflicts: 0)
        for key in order {
            let members = groups[key]!
            let byLabels = Dictionary(grouping: members) { labels[$0].sorted() }
            let most = byLabels.values.map(\.count).max()!
            let leaders = byLabels.filter { $0.value.count == most }
            guard leaders.count == 1, let winners = leaders.first?.value else {
                result.conflicts += members.count
                continue
            }
            result.kept.append((winners[0], key))
            result.duplicates += winners.count - 1
            result.outvoted += members.count - winners.count
        }
        result.kept.sort { $0.index < $1.index }
        return result
    }

    /// The key two copies of a text share: the hash of its normalised form.
    public static func key(of text: String) -> UInt64 { hash(normalized(text)) }

    /// De-duplicates and splits.
    ///
    /// - Complexity: O(n log n) for n examples.
    public func split(_ examples: [Example]) -> Result {
        let distinct = Self.distinct(texts: examples.map(\.text), labels: examples.map(\.labels))
        let kept = distinct.kept
        var part: [Int: Part] = [:]
        for (_, stratum) in Dictionary(grouping: kept, by: { examples[$0.index].labels.sorted().joined(separator: "|") }) {
            let ordered = stratum.sorted { Self.mix($0.key, seed) < Self.mix($1.key, seed) }
            let total = Double(ordered.count)
            let testCount = Int((total * shares.test).rounded())
            let validationCount = Int((total * shares.validation).rounded())
            for (position, member) in ordered.enumerated() {
                let fromEnd = ordered.count - 1 - position
                part[member.index] = position == 0 || fromEnd >= testCount + validationCount ? .train
                    : fromEnd < testCount ? .test : .validation
            }
        }
        let rows = kept.map(\.index).sorted().map { (examples[$0], part[$0]!) }
        return Result(
            rows: rows, duplicatesDropped: distinct.duplicates, outvotedDropped: distinct.outvoted,
            conflictsDropped: distinct.conflicts)
    }

    /// The text as compared for duplicates.
    public static func normalized(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.folding(options: .caseInsensitive, locale: nil)
            .split(whereSeparator: { $0.isWhitespace }).map(maskingAddresses).joined(separator: " ")
    }

    /// A word as the classifier reads it: a web address as `<url>`, an `@handle` as `<user>` (what follows the
    /// handle, such as a colon, stays).
    private static func maskingAddresses(_ word: Substring) -> Substring {
        if word.hasPrefix("http://") || word.hasPrefix("https://") || word.hasPrefix("www.") { return "<url>" }
        guard word.first == "@", let second = word.dropFirst().first, second.isLetter || second.isNumber else { return word }
        let rest = word.dropFirst().drop { $0.isLetter || $0.isNumber || $0 == "_" }
        return "<user>" + rest
    }

    /// 64-bit FNV-1a of the UTF-8 bytes.
    public static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The split's order key: the text's hash mixed with the seed (SplitMix64's finaliser).
    private static func mix(_ key: UInt64, _ seed: UInt64) -> UInt64 {
        var z = key &+ seed &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
