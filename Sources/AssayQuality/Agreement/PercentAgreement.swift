/// Percent agreement: the share of rater pairs on the same item that chose the same label — the plain number to show
/// next to a chance-corrected coefficient.
///
/// Model: item i has nᵢ ≥ 2 judgments, nᵢⱼ of them with label j. Of its nᵢ(nᵢ − 1) ordered pairs of judgments,
/// Σⱼ nᵢⱼ(nᵢⱼ − 1) agree, so Pᵢ = Σⱼ nᵢⱼ(nᵢⱼ − 1) / (nᵢ(nᵢ − 1)). Percent agreement is the mean of Pᵢ over the
/// items with at least two judgments, each item weighing the same (it is Fleiss' P̄). Items with one judgment
/// are skipped. There is no chance correction, so it flatters skewed label distributions.
///
/// Reference: J. L. Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological Bulletin
/// 76(5):378–382 (the P̄ term). https://doi.org/10.1037/h0031619
///
/// For example:
/// ```swift
/// let judgments = try JudgmentMatrix(triples: [
///     (item: "a", worker: "ann", label: "x"), (item: "a", worker: "bob", label: "x"),
///     (item: "b", worker: "ann", label: "x"), (item: "b", worker: "bob", label: "y"),
/// ])
/// try PercentAgreement().measure(judgments).value   // 0.5
/// ```
/// - Complexity: O(judgments) time, O(labels) extra memory.
public struct PercentAgreement: AgreementCoefficient {
    /// Creates the coefficient.
    public init() {}

    /// Computes mean pairwise agreement over items with at least two judgments.
    ///
    /// - Throws: `QualityError.empty` without judgments; `.tooFewRaters` when no item has two judgments.
    public func measure(_ judgments: JudgmentMatrix) throws -> AgreementResult {
        guard !judgments.isEmpty else { throw QualityError.empty }
        var sum = 0.0
        var items = 0
        var used = 0
        forEachItemLabelCounts(in: judgments, minimumJudgments: 2) { _, total, _, counts in
            var agreeing = 0.0
            for count in counts { agreeing += Double(count) * Double(count - 1) }
            sum += agreeing / (Double(total) * Double(total - 1))
            items += 1
            used += total
        }
        guard items > 0 else {
            throw QualityError.tooFewRaters(needed: 2, found: maximumJudgmentsPerItem(judgments))
        }
        let value = sum / Double(items)
        return AgreementResult(value: value, observed: value, expected: nil, itemCount: items, judgmentCount: used)
    }
}
