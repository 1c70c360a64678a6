/// A measure of how much raters agree beyond what their label frequencies would give by chance — the one shape shared
/// by percent agreement, Cohen's κ, Fleiss' κ and Krippendorff's α, so that reports and the CLI can treat them alike.
///
/// Configuration (which raters, which measurement level) lives in the coefficient's stored properties;
/// `measure(_:)` has no side effects.
///
/// For example:
/// ```swift
/// let judgments = try JudgmentMatrix(triples: [
///     (item: "a", worker: "ann", label: "1"), (item: "a", worker: "bob", label: "1"),
///     (item: "b", worker: "ann", label: "2"), (item: "b", worker: "bob", label: "2"),
///     (item: "c", worker: "ann", label: "1"), (item: "c", worker: "bob", label: "2"),
/// ])
/// let coefficients: [any AgreementCoefficient] = [
///     PercentAgreement(), FleissKappa(), KrippendorffAlpha(level: .nominal),
/// ]
/// for coefficient in coefficients {
///     print(try coefficient.measure(judgments).value)
/// }
/// ```
public protocol AgreementCoefficient: Sendable {
    /// Computes the coefficient over `judgments`.
    ///
    /// - Returns: The coefficient with the observed and expected terms it was computed from.
    /// - Throws: `QualityError` when the coefficient is undefined for this input (no judgments, no item with two
    ///   raters, no variation), never a silent `NaN`.
    func measure(_ judgments: JudgmentMatrix) throws -> AgreementResult
}

/// The value of an agreement coefficient, with the terms it was computed from, so a report can show its working.
///
/// For κ-style coefficients `value = (observed − expected) / (1 − expected)`, where the terms are agreement
/// probabilities; for Krippendorff's α `value = 1 − observed / expected`, where the terms are disagreements
/// (K. Krippendorff (2004), https://doi.org/10.1111/j.1468-2958.2004.tb00738.x).
///
/// For example:
/// ```swift
/// let result = try CohensKappa().measure(["yes", "yes", "no"], ["yes", "no", "no"])
/// result.value      // 0.4
/// result.observed   // 2 / 3: share of items where the raters agree
/// result.expected   // 4 / 9: agreement expected by chance
/// ```
public struct AgreementResult: Sendable, Equatable {
    /// The coefficient: 1 is perfect agreement; 0 is chance level (κ, α); negative is systematic disagreement.
    public let value: Double
    /// The observed term: agreement for percent agreement and κ, disagreement `Dₒ` for α.
    public let observed: Double
    /// The chance term: expected agreement `Pₑ` for κ, expected disagreement `Dₑ` for α; `nil` for percent agreement.
    public let expected: Double?
    /// The number of items that entered the computation (those with enough judgments).
    public let itemCount: Int
    /// The number of judgments that entered the computation.
    public let judgmentCount: Int

    /// Creates a result from its parts.
    public init(value: Double, observed: Double, expected: Double?, itemCount: Int, judgmentCount: Int) {
        self.value = value
        self.observed = observed
        self.expected = expected
        self.itemCount = itemCount
        self.judgmentCount = judgmentCount
    }
}

// MARK: - Shared counting

/// Visits each item with at least `minimumJudgments` judgments, passing its distinct labels and their counts.
///
/// A scratch count per label plus a list of touched labels keeps the cost O(judgments) without a dense table.
func forEachItemLabelCounts(
    in judgments: JudgmentMatrix, minimumJudgments: Int,
    _ body: (_ item: Int, _ total: Int, _ labels: [Int32], _ counts: [Int32]) -> Void
) {
    var counts = [Int32](repeating: 0, count: judgments.labelCount)
    var touched: [Int32] = []
    var touchedCounts: [Int32] = []
    for item in 0..<judgments.itemCount {
        let range = judgments.judgments(ofItemAt: item)
        guard range.count >= minimumJudgments else { continue }
        touched.removeAll(keepingCapacity: true)
        touchedCounts.removeAll(keepingCapacity: true)
        for position in range {
            let label = Int(judgments.labelIndices[position])
            if counts[label] == 0 { touched.append(Int32(label)) }
            counts[label] += 1
        }
        for label in touched {
            touchedCounts.append(counts[Int(label)])
            counts[Int(label)] = 0
        }
        body(item, range.count, touched, touchedCounts)
    }
}

/// The largest number of judgments any item has.
func maximumJudgmentsPerItem(_ judgments: JudgmentMatrix) -> Int {
    (0..<judgments.itemCount).reduce(0) { max($0, judgments.judgments(ofItemAt: $1).count) }
}
