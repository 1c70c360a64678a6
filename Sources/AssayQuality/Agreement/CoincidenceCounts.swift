/// Krippendorff's coincidence counts as running sums: add units as they are decided, add the sums of days together,
/// and measure α over any set of them with ``KrippendorffAlpha/measure(_:)-(CoincidenceCounts)``.
///
/// The coincidence matrix of a set of units is the sum of the units' matrices: a unit u with mᵤ ≥ 2 values adds
/// nᵤc · (nᵤk − [c = k]) / (mᵤ − 1) to o[c][k] for every pair of labels it uses (K. Krippendorff (2011),
/// "Computing Krippendorff's Alpha-Reliability", section C). So α over a month is exact from thirty days of sums,
/// without reading a judgment again.
///
/// For example:
/// ```swift
/// var monday = CoincidenceCounts()
/// monday.addUnit(["spam", "spam", "none"])
/// var tuesday = CoincidenceCounts()
/// tuesday.addUnit(["none", "none"])
/// monday.add(tuesday)
/// let alpha = try KrippendorffAlpha(level: .nominal).measure(monday).value
/// ```
public struct CoincidenceCounts: Sendable, Equatable {
    /// An ordered pair of labels.
    public struct Pair: Hashable, Sendable {
        public let first: String
        public let second: String

        public init(_ first: String, _ second: String) {
            self.first = first
            self.second = second
        }
    }

    /// o[c][k] by label pair; pairs never seen are absent.
    public private(set) var weights: [Pair: Double] = [:]
    /// The number of pairable units added.
    public private(set) var unitCount = 0

    public init() {}

    /// What one unit adds: each ordered pair of its labels with its weight, and nothing for a unit with fewer than
    /// two values (it is not pairable).
    ///
    /// - Parameter values: The unit's values, one per judgment (repeats are how agreement shows).
    public static func pairs(ofUnit values: [String]) -> [(pair: Pair, weight: Double)] {
        guard values.count >= 2 else { return [] }
        var counts: [String: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        let weight = 1 / Double(values.count - 1)
        let labels = counts.keys.sorted()
        var pairs: [(pair: Pair, weight: Double)] = []
        for c in labels {
            for k in labels {
                let together = c == k ? counts[c]! * (counts[c]! - 1) : counts[c]! * counts[k]!
                if together > 0 { pairs.append((Pair(c, k), Double(together) * weight)) }
            }
        }
        return pairs
    }

    /// Adds one unit's values (one per judgment); a unit with fewer than two is skipped.
    public mutating func addUnit(_ values: [String]) {
        let pairs = Self.pairs(ofUnit: values)
        guard !pairs.isEmpty else { return }
        for (pair, weight) in pairs { weights[pair, default: 0] += weight }
        unitCount += 1
    }

    /// Adds a stored sum: `weight` to the pair (`first`, `second`).
    public mutating func add(_ first: String, _ second: String, weight: Double) {
        weights[Pair(first, second), default: 0] += weight
    }

    /// Adds stored units to the count (their pairs come through ``add(_:_:weight:)``).
    public mutating func add(units: Int) {
        unitCount += units
    }

    /// Adds another set of sums.
    public mutating func add(_ other: CoincidenceCounts) {
        for (pair, weight) in other.weights { weights[pair, default: 0] += weight }
        unitCount += other.unitCount
    }
}
