import Foundation

/// Turns a queue's final labels into training data: one row per distinct text (duplicates by normalised-text hash
/// removed, and texts whose copies were labelled differently dropped, since no one label is right for them), split
/// into train, validation and test sets stratified by label, each row with its provenance.
///
/// Normalisation: Unicode compatibility folding (NFKC), lower case, and runs of white space as one space, trimmed;
/// so "Buy  NOW" and "buy now" are one text. The hash is 64-bit FNV-1a over the normalised UTF-8, stable across runs
/// and machines (Swift's own `Hasher` is seeded per process).
///
/// Stratified splitting: within each label (the sorted label set, for several labels), texts are ordered by their
/// hash mixed with `seed` and cut at the shares, rounding so that every split of a label with enough texts gets its
/// share; a label's first text goes to train. The same data and seed give the same split, and a text keeps its order
/// key whatever else is in the queue.
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
        /// Texts dropped because their copies were labelled differently (every copy counted).
        public var conflictsDropped: Int

        /// Rows per set.
        public var counts: [Part: Int] { Dictionary(grouping: rows, by: \.part).mapValues(\.count) }

        public static func == (lhs: Result, rhs: Result) -> Bool {
            lhs.rows.map(\.example) == rhs.rows.map(\.example) && lhs.rows.map(\.part) == rhs.rows.map(\.part)
                && lhs.duplicatesDropped == rhs.duplicatesDropped && lhs.conflictsDropped == rhs.conflictsDropped
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

    /// De-duplicates and splits.
    ///
    /// - Complexity: O(n log n) for n examples.
    public func split(_ examples: [Example]) -> Result {
        var groups: [UInt64: [Int]] = [:]
        var order: [UInt64] = []
        for (index, example) in examples.enumerated() {
            let key = Self.hash(Self.normalized(example.text))
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(index)
        }
        var kept: [(index: Int, key: UInt64)] = []
        var duplicates = 0
        var conflicts = 0
        for key in order {
            let members = groups[key]!
            let labelSets = Set(members.map { examples[$0].labels.sorted() })
            if labelSets.count > 1 {
                conflicts += members.count
                continue
            }
            kept.append((members[0], key))
            duplicates += members.count - 1
        }
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
        return Result(rows: rows, duplicatesDropped: duplicates, conflictsDropped: conflicts)
    }

    /// The text as compared for duplicates.
    public static func normalized(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.lowercased()
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
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
