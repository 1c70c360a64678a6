import Foundation

/// How unsure a model is about an item, from its predicted probabilities: what uncertainty sampling orders a queue
/// by, so that people label first the items a model would learn most from.
///
/// - `entropy`: H(p) = −Σⱼ pⱼ log pⱼ, divided by log K so that it runs from 0 (certain) to 1 (uniform).
/// - `margin`: 1 − (p₍₁₎ − p₍₂₎), one minus the gap between the two most probable labels.
/// - `leastConfidence`: 1 − p₍₁₎, one minus the top probability.
///
/// B. Settles (2009), "Active Learning Literature Survey", Computer Sciences Technical Report 1648, University of
/// Wisconsin–Madison, section 3.1. https://burrsettles.com/pub/settles.activelearning.pdf ; D. D. Lewis and W. A. Gale
/// (1994), "A Sequential Algorithm for Training Text Classifiers", SIGIR '94. https://doi.org/10.1007/978-1-4471-2099-5_1
///
/// For example:
/// ```swift
/// Uncertainty.entropy.score([0.5, 0.5])          // 1
/// Uncertainty.margin.score([0.7, 0.2, 0.1])      // 0.5
/// Uncertainty.leastConfidence.score([0.9, 0.1])  // 0.1 (to floating point)
/// ```
/// - Complexity: O(labels).
public enum Uncertainty: String, Sendable, CaseIterable, Codable {
    /// Normalised Shannon entropy.
    case entropy
    /// One minus the gap between the top two probabilities.
    case margin
    /// One minus the top probability.
    case leastConfidence = "least_confidence"

    /// The uncertainty of one probability vector, from 0 (sure) to 1.
    public func score(_ probabilities: [Double]) -> Double {
        guard probabilities.count > 1 else { return 0 }
        switch self {
        case .entropy:
            let entropy = probabilities.reduce(0) { $1 > 0 ? $0 - $1 * log($1) : $0 }
            return min(1, max(0, entropy / log(Double(probabilities.count))))
        case .margin:
            var first = 0.0
            var second = 0.0
            for value in probabilities {
                if value > first { (first, second) = (value, first) } else if value > second { second = value }
            }
            return 1 - (first - second)
        case .leastConfidence:
            return 1 - (probabilities.max() ?? 0)
        }
    }
}
