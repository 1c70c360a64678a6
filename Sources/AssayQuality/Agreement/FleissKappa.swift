/// Fleiss' κ: chance-corrected agreement of many raters on nominal labels, where different items may be judged by
/// different raters — the usual summary for a crowd labeling job.
///
/// Model (Fleiss 1971): item i has n judgments, nᵢⱼ with label j. Per-item agreement
/// Pᵢ = Σⱼ nᵢⱼ(nᵢⱼ − 1) / (n(n − 1)); observed agreement P̄ = mean of Pᵢ; label shares pⱼ = Σᵢ nᵢⱼ / Σᵢ n;
/// chance agreement Pₑ = Σⱼ pⱼ²; κ = (P̄ − Pₑ) / (1 − Pₑ).
///
/// **Unequal numbers of judgments.** Fleiss assumes every item has the same n. Here each item uses its own nᵢ in
/// Pᵢ, P̄ is the unweighted mean of Pᵢ, and pⱼ pools the judgments of all used items. With equal nᵢ this is exactly
/// Fleiss' statistic; items with fewer than two judgments are left out of both terms.
///
/// J. L. Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological Bulletin
/// 76(5):378–382. https://doi.org/10.1037/h0031619
///
/// For example:
/// ```swift
/// let judgments = try JudgmentMatrix(triples: [
///     (item: "a", worker: "ann", label: "x"), (item: "a", worker: "bob", label: "x"),
///     (item: "b", worker: "ann", label: "y"), (item: "b", worker: "bob", label: "y"),
///     (item: "c", worker: "ann", label: "x"), (item: "c", worker: "bob", label: "y"),
/// ])
/// try FleissKappa().measure(judgments).value   // (2/3 − 1/2) / (1 − 1/2) = 1/3
/// ```
/// - Complexity: O(judgments + labels) time, O(labels) extra memory.
public struct FleissKappa: AgreementCoefficient {
    /// Creates the coefficient.
    public init() {}

    /// Computes Fleiss' κ over items with at least two judgments.
    ///
    /// - Throws: `QualityError.empty` without judgments; `.tooFewRaters` when no item has two judgments;
    ///   `.noVariation` when every judgment has the same label (Pₑ = 1).
    public func measure(_ judgments: JudgmentMatrix) throws -> AgreementResult {
        // P̄, the mean pairwise agreement per item, is exactly what PercentAgreement measures.
        let agreement = try PercentAgreement().measure(judgments)
        var labelTotals = [Double](repeating: 0, count: judgments.labelCount)
        forEachItemLabelCounts(in: judgments, minimumJudgments: 2) { _, _, labels, counts in
            for (label, count) in zip(labels, counts) { labelTotals[Int(label)] += Double(count) }
        }
        let observed = agreement.observed
        let used = agreement.judgmentCount
        let items = agreement.itemCount
        let expected = labelTotals.reduce(0) { $0 + ($1 / Double(used)) * ($1 / Double(used)) }
        guard expected < 1 else { throw QualityError.noVariation }
        return AgreementResult(
            value: (observed - expected) / (1 - expected), observed: observed, expected: expected,
            itemCount: items, judgmentCount: used)
    }
}
