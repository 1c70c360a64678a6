/// Counts of (true label, predicted label) pairs — what a model or an aggregator gets right and what it confuses,
/// and the input of every classification metric.
///
/// Rows are true labels and columns predictions, both in `labels` order: `counts[t * labels.count + p]`.
/// Unless given, labels are the union of true and predicted labels, sorted as `JudgmentMatrix` sorts them.
///
/// For example:
/// ```swift
/// let matrix = try ConfusionMatrix(truth: ["a", "a", "b", "b"], predicted: ["a", "b", "b", "b"])
/// matrix[truth: "a", predicted: "b"]   // 1
/// matrix.correct                       // 3
/// matrix.total                         // 4
/// ```
/// - Complexity: O(pairs) hashing to build; O(labels²) memory.
public struct ConfusionMatrix: Sendable, Equatable {
    /// The labels, in row and column order.
    public let labels: [String]
    /// The counts, row-major, labels × labels: row = true label, column = predicted label.
    public let counts: [Int]
    private let coding: LabelCoding<String>

    /// Counts paired true and predicted labels (`truth[i]` and `predicted[i]` describe the same item).
    ///
    /// - Parameters:
    ///   - truth: The true labels.
    ///   - predicted: The predicted labels, parallel to `truth`.
    ///   - labels: The label order, which may include labels that never occur; `nil` for all occurring labels.
    /// - Throws: `QualityError.invalidInput` for arrays of unequal length or labels outside `labels`;
    ///   `.empty` for no pairs.
    public init(truth: [String], predicted: [String], labels: [String]? = nil) throws {
        guard truth.count == predicted.count else {
            throw QualityError.invalidInput(
                "there are \(truth.count) true labels and \(predicted.count) predictions; pair them one to one.")
        }
        guard !truth.isEmpty else { throw QualityError.empty }
        let order = labels ?? JudgmentMatrix.sortedLabelNames(Array(Set(truth).union(predicted)))
        let coding = LabelCoding(order)
        guard coding.count == order.count else { throw QualityError.invalidInput("the label order repeats a label.") }
        var counts = [Int](repeating: 0, count: order.count * order.count)
        for (trueLabel, predictedLabel) in zip(truth, predicted) {
            guard let row = coding.index(of: trueLabel), let column = coding.index(of: predictedLabel) else {
                let missing = coding.contains(trueLabel) ? predictedLabel : trueLabel
                throw QualityError.invalidInput("label '\(missing)' is not in the label order \(order).")
            }
            counts[row * order.count + column] += 1
        }
        self.labels = order
        self.counts = counts
        self.coding = coding
    }

    /// Counts items that have both a true and a predicted label; other items are left out.
    ///
    /// - Throws: As `init(truth:predicted:labels:)`; `.empty` when no item has both.
    public init(truthByItem: [String: String], predictedByItem: [String: String], labels: [String]? = nil) throws {
        let items = truthByItem.keys.filter { predictedByItem[$0] != nil }.sorted()
        try self.init(
            truth: items.map { truthByItem[$0]! }, predicted: items.map { predictedByItem[$0]! }, labels: labels)
    }

    /// The number of labels.
    public var labelCount: Int { labels.count }
    /// The number of counted pairs.
    public var total: Int { counts.reduce(0, +) }
    /// The number of pairs where the prediction equals the truth (the diagonal).
    public var correct: Int { (0..<labelCount).reduce(0) { $0 + counts[$1 * labelCount + $1] } }

    /// The count of items with true label index `truth` predicted as label index `predicted`.
    public func count(truth: Int, predicted: Int) -> Int {
        counts[truth * labelCount + predicted]
    }

    /// The count of items with true label `truth` predicted as `predicted` (0 for unknown labels).
    public subscript(truth truth: String, predicted predicted: String) -> Int {
        guard let row = coding.index(of: truth), let column = coding.index(of: predicted) else { return 0 }
        return count(truth: row, predicted: column)
    }

    /// How many items truly have label index `label` (the row sum): its support.
    public func truthCount(ofLabelAt label: Int) -> Int {
        (0..<labelCount).reduce(0) { $0 + counts[label * labelCount + $1] }
    }

    /// How many items were predicted as label index `label` (the column sum).
    public func predictionCount(ofLabelAt label: Int) -> Int {
        (0..<labelCount).reduce(0) { $0 + counts[$1 * labelCount + label] }
    }
}
