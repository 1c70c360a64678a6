/// Accuracy, per-label precision, recall and F1, and their macro, micro and weighted averages — the standard
/// scorecard for labels against ground truth (an aggregator against gold, a model against reviewed labels), with a
/// Wilson interval on every rate.
///
/// For label k with TPₖ (predicted k, truly k), FPₖ (predicted k, truly other) and FNₖ (truly k, predicted other):
/// precisionₖ = TPₖ / (TPₖ + FPₖ); recallₖ = TPₖ / (TPₖ + FNₖ); F1ₖ = 2 · P · R / (P + R); supportₖ = TPₖ + FNₖ.
/// An undefined precision or recall (no predictions of k, or no items of k) is 0, as is F1 when P + R = 0.
/// Macro averages take the unweighted mean over the labels that occur, in the truth or in the predictions (as
/// scikit-learn does by default): a label the matrix lists but neither side uses, such as a class a model knows and
/// the test set lacks, would add a 0 that says nothing about the predictions. Weighted F1 weighs F1ₖ by support;
/// micro F1 pools all decisions, which for single-label classification equals accuracy = Σ TPₖ / N.
/// Rates (accuracy, precision, recall, micro F1) are proportions and carry Wilson intervals; F1ₖ and the macro and
/// weighted averages are not proportions of independent trials, so they carry none.
///
/// Reference: M. Sokolova and G. Lapalme (2009), "A systematic analysis of performance measures for classification
/// tasks", Information Processing & Management 45(4):427–437. https://doi.org/10.1016/j.ipm.2009.03.002
///
/// For example:
/// ```swift
/// let report = try ClassificationReport(
///     truth: ["cat", "cat", "cat", "dog", "dog"], predicted: ["cat", "cat", "dog", "dog", "dog"])
/// report.accuracy.value                 // 0.8
/// report["cat"]?.precision.value        // 1.0  (2 of 2 "cat" predictions)
/// report["cat"]?.recall.value           // 0.667 (2 of 3 cats)
/// report["dog"]?.f1                     // 0.8
/// report.macroF1                        // 0.8
/// report.accuracy.interval.lower        // Wilson 95 % lower bound
/// ```
/// - Complexity: O(labels²) from a confusion matrix.
public struct ClassificationReport: Sendable, Equatable {
    /// The scores of one label.
    public struct LabelScores: Sendable, Equatable {
        /// The label name.
        public let label: String
        /// TP / (TP + FP): how often a prediction of this label is right.
        public let precision: Rate
        /// TP / (TP + FN): how many items of this label are found.
        public let recall: Rate
        /// The harmonic mean of precision and recall (0 when both are 0).
        public let f1: Double
        /// The number of items that truly have this label.
        public let support: Int
    }

    /// The confusion matrix the report is computed from.
    public let confusion: ConfusionMatrix
    /// Correct predictions / all predictions.
    public let accuracy: Rate
    /// Scores per label, in the confusion matrix's label order.
    public let perLabel: [LabelScores]
    /// The unweighted mean precision over labels.
    public let macroPrecision: Double
    /// The unweighted mean recall over labels.
    public let macroRecall: Double
    /// The unweighted mean F1 over labels.
    public let macroF1: Double
    /// The support-weighted mean F1 over labels.
    public let weightedF1: Double
    /// F1 over pooled decisions; for single-label classification it is the accuracy, and so a rate.
    public let microF1: Rate

    /// Computes the report from a confusion matrix.
    ///
    /// - Parameters:
    ///   - confusion: Counts of (true, predicted) label pairs.
    ///   - z: The normal quantile for every Wilson interval (95 % by default).
    public init(_ confusion: ConfusionMatrix, z: Double = WilsonInterval.z95) {
        self.confusion = confusion
        accuracy = Rate(successes: confusion.correct, trials: confusion.total, z: z)
        microF1 = accuracy
        perLabel = confusion.labels.indices.map { label in
            let truePositives = confusion.count(truth: label, predicted: label)
            let precision = Rate(
                successes: truePositives, trials: confusion.predictionCount(ofLabelAt: label), z: z)
            let support = confusion.truthCount(ofLabelAt: label)
            let recall = Rate(successes: truePositives, trials: support, z: z)
            let sum = precision.value + recall.value
            return LabelScores(
                label: confusion.labels[label], precision: precision, recall: recall,
                f1: sum == 0 ? 0 : 2 * precision.value * recall.value / sum, support: support)
        }
        let occurring = perLabel.filter { $0.support > 0 || $0.precision.trials > 0 }
        let labelCount = Double(max(1, occurring.count))
        macroPrecision = occurring.reduce(0) { $0 + $1.precision.value } / labelCount
        macroRecall = occurring.reduce(0) { $0 + $1.recall.value } / labelCount
        macroF1 = occurring.reduce(0) { $0 + $1.f1 } / labelCount
        weightedF1 = perLabel.reduce(0) { $0 + $1.f1 * Double($1.support) } / Double(confusion.total)
    }

    /// Computes the report from paired true and predicted labels.
    ///
    /// - Throws: As `ConfusionMatrix.init(truth:predicted:labels:)`.
    public init(truth: [String], predicted: [String], labels: [String]? = nil, z: Double = WilsonInterval.z95) throws {
        self.init(try ConfusionMatrix(truth: truth, predicted: predicted, labels: labels), z: z)
    }

    /// The scores of the label named `label`, or `nil` if it is not in the report.
    public subscript(label: String) -> LabelScores? {
        perLabel.first { $0.label == label }
    }
}
