/// Krippendorff's α: chance-corrected agreement for any number of raters, missing judgments, and nominal, ordinal,
/// interval or ratio labels — the reliability figure to publish with a labeled dataset.
///
/// Model: a unit (item) with mᵤ ≥ 2 values is pairable; units with fewer values are skipped (missing data).
/// Coincidence matrix: each unit adds, for every ordered pair of its values from different judgments,
/// 1 / (mᵤ − 1) to o[c][k], so oᶜᵏ = Σᵤ nᵤc · (nᵤk − [c = k]) / (mᵤ − 1). Marginals n_c = Σₖ o[c][k]; n = Σ n_c.
/// Observed disagreement Dₒ = (1/n) Σ_c Σ_k o[c][k] · δ²(c, k);
/// expected disagreement Dₑ = 1 / (n(n − 1)) · Σ_c Σ_k n_c · n_k · δ²(c, k); α = 1 − Dₒ / Dₑ.
///
/// Distances δ² by `Level`:
/// - nominal: 0 if c = k, else 1;
/// - ordinal: (Σ_{g from c to k} n_g − (n_c + n_k) / 2)², over labels in rank order;
/// - interval: (c − k)², labels read as numbers;
/// - ratio: ((c − k) / (c + k))², labels read as numbers of 0 or more (0 when both are 0): a ratio scale has a true
///   zero, and with a negative value c + k can vanish for two different labels.
///
/// **Ranks and numbers.** Interval and ratio levels parse every used label as a `Double`. The ordinal level ranks
/// labels by `order` when given, otherwise by numeric value; labels that are neither numbers nor in `order` are
/// an error.
///
/// K. Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", Annenberg School for Communication,
/// Departmental Papers (ASC); the statistic is also defined in K. Krippendorff (2004), "Reliability in Content
/// Analysis: Some Common Misconceptions and Recommendations", Human Communication Research 30(3):411–433.
/// https://doi.org/10.1111/j.1468-2958.2004.tb00738.x
///
/// For example:
/// ```swift
/// let judgments = try JudgmentMatrix(triples: [
///     (item: "u1", worker: "A", label: "1"), (item: "u1", worker: "B", label: "1"),
///     (item: "u2", worker: "A", label: "2"), (item: "u2", worker: "B", label: "3"),
///     (item: "u3", worker: "A", label: "3"), (item: "u3", worker: "B", label: "3"),
///     (item: "u4", worker: "A", label: "1"),  // B missing: not pairable, skipped
/// ])
/// let nominal = try KrippendorffAlpha(level: .nominal).measure(judgments).value
/// let interval = try KrippendorffAlpha(level: .interval).measure(judgments).value
/// // interval > nominal: the one disagreement is between neighbouring values
/// ```
/// - Complexity: O(judgments + Σᵤ dᵤ² + labels²) time, where dᵤ is the number of distinct labels of unit u;
///   O(labels²) extra memory for the coincidence matrix.
public struct KrippendorffAlpha: AgreementCoefficient {
    /// The measurement level of the labels, which chooses the distance δ² between two labels.
    public enum Level: String, Sendable, CaseIterable {
        /// Unordered categories: any two different labels are equally far apart.
        case nominal
        /// Ordered categories: distance grows with the number of values ranked between two labels.
        case ordinal
        /// Numbers with meaningful differences: squared difference.
        case interval
        /// Numbers with a meaningful zero: squared difference relative to the sum.
        case ratio
    }

    /// The measurement level.
    public let level: Level
    /// The rank order of label names for the ordinal level; `nil` ranks labels by their numeric value.
    public let order: [String]?

    /// Creates the coefficient for labels measured at `level`.
    ///
    /// - Parameters:
    ///   - level: How far apart two different labels are; see `Level`.
    ///   - order: For `.ordinal`, label names from lowest to highest. Ignored at other levels.
    public init(level: Level = .nominal, order: [String]? = nil) {
        self.level = level
        self.order = order
    }

    /// Computes α over the pairable units of `judgments`.
    ///
    /// - Throws: `QualityError.empty` without judgments; `.tooFewRaters` when no unit has two values;
    ///   `.noVariation` when every pairable value is the same (Dₑ = 0); `.invalidInput` for labels that the level
    ///   cannot read as numbers or ranks.
    public func measure(_ judgments: JudgmentMatrix) throws -> AgreementResult {
        try measure(try Coincidences(judgments), labels: judgments.labelCoding)
    }

    /// Computes α from coincidences summed elsewhere — running sums kept per day, say — which gives exactly the
    /// α of all their units together, since the coincidence matrix of a set of units is the sum of theirs.
    ///
    /// - Throws: `.tooFewRaters` when no unit was added; otherwise as ``measure(_:)-(JudgmentMatrix)``.
    public func measure(_ counts: CoincidenceCounts) throws -> AgreementResult {
        guard counts.unitCount > 0 else { throw QualityError.tooFewRaters(needed: 2, found: 0) }
        let names = JudgmentMatrix.sortedLabelNames(Array(Set(counts.weights.keys.flatMap { [$0.first, $0.second] })))
        let coding = LabelCoding(names)
        var matrix = [Double](repeating: 0, count: names.count * names.count)
        for (pair, weight) in counts.weights {
            matrix[coding.index(of: pair.first)! * names.count + coding.index(of: pair.second)!] += weight
        }
        return try measure(
            Coincidences(labelCount: names.count, matrix: matrix, unitCount: counts.unitCount), labels: coding)
    }

    private func measure(_ table: Coincidences, labels: LabelCoding<String>) throws -> AgreementResult {
        let distances = try squaredDistances(table, labels: labels)
        let observed = table.observedDisagreement(distances)
        let expected = table.expectedDisagreement(distances, marginals: table.marginals, total: table.total)
        // Values near Double's limit overflow when squared; α would come out NaN, which no reader should be shown.
        guard observed.isFinite, expected.isFinite else {
            throw QualityError.invalidInput(
                "\(level.rawValue) α squares differences of the labels' values, and these overflow; rescale the values.")
        }
        guard expected > 0 else { throw QualityError.noVariation }
        return AgreementResult(
            value: 1 - observed / expected, observed: observed, expected: expected,
            itemCount: table.unitCount, judgmentCount: Int(table.total.rounded()))
    }

    // MARK: - Distances

    /// δ²(c, k) for every pair of labels, as a labels × labels row-major matrix.
    func squaredDistances(_ table: Coincidences, labels: LabelCoding<String>) throws -> [Double] {
        let count = table.labelCount
        var distances = [Double](repeating: 0, count: count * count)
        let used = (0..<count).filter { table.marginals[$0] > 0 }
        switch level {
        case .nominal:
            for c in used { for k in used where c != k { distances[c * count + k] = 1 } }
        case .interval, .ratio:
            let values = try numericValues(of: used, labels: labels)
            for c in used {
                for k in used {
                    let difference = values[c] - values[k]
                    if level == .interval {
                        distances[c * count + k] = difference * difference
                    } else {
                        let sum = values[c] + values[k]
                        distances[c * count + k] = sum == 0 ? 0 : (difference / sum) * (difference / sum)
                    }
                }
            }
        case .ordinal:
            let ranked = try rankOrder(of: used, labels: labels)
            var cumulative = [Double](repeating: 0, count: ranked.count + 1)  // prefix sums of n_g in rank order
            for (rank, label) in ranked.enumerated() {
                cumulative[rank + 1] = cumulative[rank] + table.marginals[label]
            }
            for (rankC, c) in ranked.enumerated() {
                for (rankK, k) in ranked.enumerated() where rankC != rankK {
                    let low = min(rankC, rankK)
                    let high = max(rankC, rankK)
                    let span = cumulative[high + 1] - cumulative[low] - (table.marginals[c] + table.marginals[k]) / 2
                    distances[c * count + k] = span * span
                }
            }
        }
        return distances
    }

    private func numericValues(of used: [Int], labels: LabelCoding<String>) throws -> [Double] {
        var values = [Double](repeating: 0, count: labels.count)
        for label in used {
            guard let value = Double(labels.value(at: label)), value.isFinite else {
                throw QualityError.invalidInput(
                    "\(level.rawValue) α reads labels as numbers, but '\(labels.value(at: label))' is not one; "
                        + "use the nominal or ordinal level.")
            }
            guard level != .ratio || value >= 0 else {
                throw QualityError.invalidInput(
                    "ratio α needs values of 0 or more (a ratio scale has a true zero), but '\(labels.value(at: label))' "
                        + "is negative; use the interval level.")
            }
            values[label] = value
        }
        return values
    }

    /// The used labels from lowest to highest rank.
    private func rankOrder(of used: [Int], labels: LabelCoding<String>) throws -> [Int] {
        if let order {
            let rank = LabelCoding(order)
            return try used.map { label -> (Int, Int) in
                guard let position = rank.index(of: labels.value(at: label)) else {
                    throw QualityError.invalidInput(
                        "label '\(labels.value(at: label))' is not in the ordinal order \(order); add it.")
                }
                return (position, label)
            }.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let values: [Double]
        do {
            values = try numericValues(of: used, labels: labels)
        } catch {
            throw QualityError.invalidInput(
                "ordinal α ranks labels by numeric value, but not all labels are numbers; "
                    + "give the labels' order from lowest to highest (`--order` on the command line, `order:` in Swift).")
        }
        return used.sorted { (values[$0], $0) < (values[$1], $1) }
    }
}
