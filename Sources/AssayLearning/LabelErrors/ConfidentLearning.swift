/// Confident learning: finds the examples whose given label is probably wrong, from out-of-fold predicted
/// probabilities, without knowing the noise rates in advance.
///
/// Model: each example i has a given (possibly wrong) label ỹᵢ and out-of-fold probabilities p̂ᵢⱼ for each class j.
/// Per-class threshold: tⱼ = the mean of p̂ᵢⱼ over the examples given label j (how sure the model is, on average,
/// about examples labelled j). The example's confident class is j* = argmax over { j : p̂ᵢⱼ ≥ tⱼ } of p̂ᵢⱼ (none when
/// no class reaches its threshold). The confident joint C[ỹ][j*] counts examples by given and confident class; its
/// off-diagonal cells are the examples found mislabelled ("prune by confident joint"). They are ranked by
/// self-confidence p̂ᵢ,ỹᵢ, lowest first: the model's probability of the given label. A `minimumConfidence` on
/// p̂ᵢⱼ* keeps only the flags the model is sure of, for teams that review a short list.
///
/// C. G. Northcutt, L. Jiang and I. L. Chuang (2021), "Confident Learning: Estimating Uncertainty in Dataset
/// Labels", Journal of Artificial Intelligence Research 70:1373–1411. https://doi.org/10.1613/jair.1.12125
///
/// For example:
/// ```swift
/// let flags = ConfidentLearning().labelIssues(
///     givenLabels: ["spam", "spam", "none", "none"], labels: ["none", "spam"],
///     probabilities: [[0.1, 0.9], [0.95, 0.05], [0.9, 0.1], [0.8, 0.2]])
/// flags[0].index            // 1: labelled spam, but the model is sure it is none
/// flags[0].suggestedLabel   // "none"
/// ```
/// - Complexity: O(examples × labels).
public struct ConfidentLearning: Sendable {
    /// An example whose label looks wrong.
    public struct Issue: Sendable, Equatable {
        /// The example's position in the input.
        public let index: Int
        /// The label it was given.
        public let givenLabel: String
        /// The label the model is confident of.
        public let suggestedLabel: String
        /// p̂ of the given label (low means suspect).
        public let selfConfidence: Double
        /// p̂ of the suggested label.
        public let suggestedConfidence: Double
    }

    /// The least p̂ of the suggested label for a flag to be kept (0 keeps every off-diagonal example).
    public let minimumConfidence: Double

    /// Makes the procedure.
    public init(minimumConfidence: Double = 0) {
        self.minimumConfidence = minimumConfidence
    }

    /// The examples found mislabelled, most suspect first.
    ///
    /// - Parameters:
    ///   - givenLabels: each example's label.
    ///   - labels: the label order of the probability rows.
    ///   - probabilities: out-of-fold p̂ per example and label (``OutOfFoldPredictions``).
    /// - Throws: ``LearningError/invalidInput(_:)`` for rows of the wrong length, a given label missing from
    ///   `labels`, or unequal counts.
    public func labelIssues(givenLabels: [String], labels: [String], probabilities: [[Double]]) throws -> [Issue] {
        guard givenLabels.count == probabilities.count else {
            throw LearningError.invalidInput("\(givenLabels.count) labels but \(probabilities.count) probability rows")
        }
        let position = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var given: [Int] = []
        given.reserveCapacity(givenLabels.count)
        for (row, label) in zip(probabilities, givenLabels) {
            guard row.count == labels.count else {
                throw LearningError.invalidInput("a probability row has \(row.count) values for \(labels.count) labels")
            }
            guard let index = position[label] else { throw LearningError.invalidInput("'\(label)' is not among the labels") }
            given.append(index)
        }
        // tⱼ: the mean p̂ⱼ over the examples labelled j (a label nobody was given can never be reached).
        var sums = [Double](repeating: 0, count: labels.count)
        var counts = [Int](repeating: 0, count: labels.count)
        for (row, label) in zip(probabilities, given) {
            sums[label] += row[label]
            counts[label] += 1
        }
        let thresholds = labels.indices.map { counts[$0] == 0 ? Double.infinity : sums[$0] / Double(counts[$0]) }
        var issues: [Issue] = []
        for (index, row) in probabilities.enumerated() {
            var confident: Int?
            for label in labels.indices where row[label] >= thresholds[label] {
                if confident.map({ row[label] > row[$0] }) ?? true { confident = label }
            }
            guard let suggested = confident, suggested != given[index], row[suggested] >= minimumConfidence else { continue }
            issues.append(Issue(
                index: index, givenLabel: labels[given[index]], suggestedLabel: labels[suggested],
                selfConfidence: row[given[index]], suggestedConfidence: row[suggested]))
        }
        return issues.sorted { ($0.selfConfidence, $0.index) < ($1.selfConfidence, $1.index) }
    }
}
