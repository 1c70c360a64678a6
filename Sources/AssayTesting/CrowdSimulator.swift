import AssayQuality
import Foundation

/// A seeded crowd for quality tests: items with a hidden true label, and annotators who answer them right with
/// their own probability.
///
/// Kinds follow what vendors field: good annotators (right 95% of the time), mediocre ones (75%), and spammers
/// who click a label at random whatever the item. A wrong answer from a non-spammer is drawn uniformly from the
/// other labels. Everything follows from the seed, so a failing test fails the same way every run.
///
/// ```swift
/// var crowd = CrowdSimulator(labels: ["hate", "harassment", "spam", "none"], seed: 7)
/// let truth = crowd.truth(of: "item-0001")
/// let answer = crowd.answer(by: .spammer, to: "item-0001")
/// ```
public struct CrowdSimulator: Sendable {
    public enum Kind: Sendable, Equatable {
        case good
        case mediocre
        case spammer

        /// The chance of answering right (a spammer's is 1 in the number of labels).
        public var accuracy: Double? {
            switch self {
            case .good: return 0.95
            case .mediocre: return 0.75
            case .spammer: return nil
            }
        }
    }

    public let labels: [String]
    private let seed: UInt64
    private var random: SplitMix64

    /// `labels` in order of how common they are as true labels (the first most common).
    public init(labels: [String], seed: UInt64) {
        precondition(labels.count >= 2, "a crowd needs at least two labels")
        self.labels = labels
        self.seed = seed
        random = SplitMix64(seed: seed)
    }

    /// The item's true label: fixed by the seed and the id, skewed toward the first labels as real queues are
    /// (most content violates nothing).
    public func truth(of externalID: String) -> String {
        var hash = SplitMix64(seed: seed ^ Self.fnv1a(externalID))
        let draw = Double(hash.next() >> 11) / Double(1 << 53)
        // Weights 1/2, 1/4, 1/8, … with the remainder on the last label.
        var threshold = 0.5
        var cumulative = 0.0
        for label in labels.dropLast() {
            cumulative += threshold
            if draw < cumulative { return label }
            threshold /= 2
        }
        return labels.last!
    }

    /// What an annotator of `kind` answers for the item.
    public mutating func answer(by kind: Kind, to externalID: String) -> String {
        guard let accuracy = kind.accuracy else { return labels.randomElement(using: &random)! }
        let truth = truth(of: externalID)
        if Double.random(in: 0..<1, using: &random) < accuracy { return truth }
        return labels.filter { $0 != truth }.randomElement(using: &random)!
    }

    private static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
