/// Cohen's κ: chance-corrected agreement between exactly two raters on nominal labels, over the items both judged —
/// the coefficient for comparing one annotator with another, or with a reviewer.
///
/// Model: over the N items both raters judged, let pₐ(k) and p_b(k) be each rater's share of label k.
/// Observed agreement Pₒ = (items where the labels match) / N; chance agreement Pₑ = Σₖ pₐ(k) · p_b(k);
/// κ = (Pₒ − Pₑ) / (1 − Pₑ). Each rater's label distribution is their own (unlike Scott's π or Fleiss' κ).
/// If a rater judged an item twice, their first judgment counts.
///
/// J. Cohen (1960), "A Coefficient of Agreement for Nominal Scales", Educational and Psychological Measurement
/// 20(1):37–46. https://doi.org/10.1177/001316446002000104
///
/// For example:
/// ```swift
/// // 50 items: both say yes on 20, both no on 15, they split on 15.
/// let first = Array(repeating: "yes", count: 25) + Array(repeating: "no", count: 25)
/// let second = Array(repeating: "yes", count: 20) + Array(repeating: "no", count: 5)
///     + Array(repeating: "yes", count: 10) + Array(repeating: "no", count: 15)
/// try CohensKappa().measure(first, second).value   // (0.7 − 0.5) / (1 − 0.5) = 0.4
/// ```
/// - Complexity: O(judgments + labels²) time, O(items + labels²) extra memory.
public struct CohensKappa: AgreementCoefficient {
    /// The two raters to compare, or `nil` to require a matrix with exactly two workers.
    public let raters: (first: String, second: String)?

    /// Creates the coefficient for a judgment matrix that has exactly two workers.
    public init() {
        raters = nil
    }

    /// Creates the coefficient for two named workers of a larger judgment matrix.
    public init(between first: String, and second: String) {
        raters = (first, second)
    }

    /// Computes κ between the two raters over the items both judged.
    ///
    /// - Throws: `QualityError.empty` without judgments; `.tooFewRaters` without two raters;
    ///   `.invalidInput` for an unknown rater name; `.noSharedItems` if they judged no common item;
    ///   `.noVariation` when both used one and the same label throughout.
    public func measure(_ judgments: JudgmentMatrix) throws -> AgreementResult {
        guard !judgments.isEmpty else { throw QualityError.empty }
        let (first, second) = try raterIndices(in: judgments)
        var firstLabel = [Int32](repeating: -1, count: judgments.itemCount)
        var secondLabel = firstLabel
        for item in 0..<judgments.itemCount {
            for position in judgments.judgments(ofItemAt: item) {
                let worker = Int(judgments.workerIndices[position])
                if worker == first, firstLabel[item] < 0 { firstLabel[item] = judgments.labelIndices[position] }
                if worker == second, secondLabel[item] < 0 { secondLabel[item] = judgments.labelIndices[position] }
            }
        }
        var pairs: [(Int32, Int32)] = []
        for item in 0..<judgments.itemCount where firstLabel[item] >= 0 && secondLabel[item] >= 0 {
            pairs.append((firstLabel[item], secondLabel[item]))
        }
        guard !pairs.isEmpty else {
            throw QualityError.noSharedItems(
                first: judgments.workerName(at: first), second: judgments.workerName(at: second))
        }
        return try Self.kappa(pairs.map { ($0.0, $0.1, 1) }, labelCount: judgments.labelCount)
    }

    /// Computes κ between two raters given as parallel label arrays (`first[i]` and `second[i]` label item i).
    ///
    /// - Throws: `QualityError.invalidInput` for arrays of unequal length; `.empty` for empty arrays;
    ///   `.noVariation` when both used one and the same label throughout.
    public func measure<Label: Hashable>(_ first: [Label], _ second: [Label]) throws -> AgreementResult {
        guard first.count == second.count else {
            throw QualityError.invalidInput(
                "the two raters' label arrays have \(first.count) and \(second.count) entries; "
                    + "they must label the same items.")
        }
        guard !first.isEmpty else { throw QualityError.empty }
        var coding = LabelCoding<Label>()
        let pairs = zip(first, second).map { (coding.encode($0), coding.encode($1), 1) }
        return try Self.kappa(pairs, labelCount: coding.count)
    }

    /// Computes κ from a contingency table: how many items each pair of labels (the first rater's, the second's)
    /// covers. The same figure as ``measure(_:_:)`` over the items the table counts, without listing them, for
    /// tables a database has grouped.
    ///
    /// For example:
    /// ```swift
    /// let kappa = try CohensKappa().measure(table: [("spam", "spam", 40), ("spam", "ham", 5), ("ham", "ham", 55)])
    /// ```
    /// - Throws: `QualityError.empty` when the counts add up to nothing; `.invalidInput` for a negative count;
    ///   `.noVariation` when both used one and the same label throughout.
    public func measure<Label: Hashable>(table: [(first: Label, second: Label, count: Int)]) throws -> AgreementResult {
        guard table.allSatisfy({ $0.count >= 0 }) else { throw QualityError.invalidInput("a count in the table is negative.") }
        guard table.contains(where: { $0.count > 0 }) else { throw QualityError.empty }
        var coding = LabelCoding<Label>()
        let cells = table.map { (coding.encode($0.first), coding.encode($0.second), $0.count) }
        return try Self.kappa(cells, labelCount: coding.count)
    }

    private func raterIndices(in judgments: JudgmentMatrix) throws -> (Int, Int) {
        guard let raters else {
            guard judgments.workerCount == 2 else {
                if judgments.workerCount < 2 { throw QualityError.tooFewRaters(needed: 2, found: 1) }
                throw QualityError.invalidInput(
                    "Cohen's κ compares two raters but there are \(judgments.workerCount); "
                        + "name them with CohensKappa(between:and:) or use Fleiss' κ.")
            }
            return (0, 1)
        }
        guard let first = judgments.workerCoding.index(of: raters.first) else {
            throw QualityError.invalidInput("rater '\(raters.first)' has no judgments.")
        }
        guard let second = judgments.workerCoding.index(of: raters.second) else {
            throw QualityError.invalidInput("rater '\(raters.second)' has no judgments.")
        }
        return (first, second)
    }

    /// κ over cells of (first label, second label, items).
    private static func kappa(_ cells: [(Int32, Int32, Int)], labelCount: Int) throws -> AgreementResult {
        var firstTotals = [Double](repeating: 0, count: labelCount)
        var secondTotals = firstTotals
        var agreeing = 0.0
        var items = 0
        for (first, second, cellCount) in cells {
            firstTotals[Int(first)] += Double(cellCount)
            secondTotals[Int(second)] += Double(cellCount)
            if first == second { agreeing += Double(cellCount) }
            items += cellCount
        }
        let count = Double(items)
        let observed = agreeing / count
        var expected = 0.0
        for label in 0..<labelCount { expected += (firstTotals[label] / count) * (secondTotals[label] / count) }
        guard expected < 1 else { throw QualityError.noVariation }
        return AgreementResult(
            value: (observed - expected) / (1 - expected), observed: observed, expected: expected,
            itemCount: items, judgmentCount: 2 * items)
    }
}
