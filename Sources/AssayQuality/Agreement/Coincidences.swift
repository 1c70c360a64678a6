/// Krippendorff's coincidence matrix of a judgment matrix: how often label c was paired with label k within a unit,
/// each unit weighing 1 / (mᵤ − 1). Internal to the α computations; see `KrippendorffAlpha` and
/// https://doi.org/10.1111/j.1468-2958.2004.tb00738.x
struct Coincidences {
    /// The number of labels (the matrix is `labelCount × labelCount`).
    let labelCount: Int
    /// o[c][k], row-major.
    private(set) var matrix: [Double]
    /// n_c: the number of pairable values with label c.
    private(set) var marginals: [Double]
    /// n: the number of pairable values.
    private(set) var total: Double = 0
    /// The number of units with at least two values.
    private(set) var unitCount = 0

    /// Builds the matrix in one pass over the judgments, touching only the labels each unit uses.
    ///
    /// - Throws: `QualityError.empty` without judgments, `.tooFewRaters` when no unit is pairable.
    init(_ judgments: JudgmentMatrix) throws {
        guard !judgments.isEmpty else { throw QualityError.empty }
        labelCount = judgments.labelCount
        matrix = [Double](repeating: 0, count: labelCount * labelCount)
        marginals = [Double](repeating: 0, count: labelCount)
        let count = labelCount
        var matrix = self.matrix
        var marginals = self.marginals
        var total = 0.0
        var units = 0
        forEachItemLabelCounts(in: judgments, minimumJudgments: 2) { _, values, labels, counts in
            let weight = 1 / Double(values - 1)
            for (c, countC) in zip(labels, counts) {
                marginals[Int(c)] += Double(countC)
                for (k, countK) in zip(labels, counts) {
                    let pairs = c == k ? Double(countC) * Double(countC - 1) : Double(countC) * Double(countK)
                    matrix[Int(c) * count + Int(k)] += pairs * weight
                }
            }
            total += Double(values)
            units += 1
        }
        guard units > 0 else {
            throw QualityError.tooFewRaters(needed: 2, found: maximumJudgmentsPerItem(judgments))
        }
        self.matrix = matrix
        self.marginals = marginals
        self.total = total
        self.unitCount = units
    }

    /// A matrix summed elsewhere (``CoincidenceCounts``): marginals and n follow from its rows, since each unit's
    /// row c sums to n_uc · (mᵤ − 1) / (mᵤ − 1) = n_uc.
    init(labelCount: Int, matrix: [Double], unitCount: Int) {
        self.labelCount = labelCount
        self.matrix = matrix
        var marginals = [Double](repeating: 0, count: labelCount)
        for c in 0..<labelCount {
            for k in 0..<labelCount { marginals[c] += matrix[c * labelCount + k] }
        }
        self.marginals = marginals
        total = marginals.reduce(0, +)
        self.unitCount = unitCount
    }

    /// Dₒ = (1/n) Σ o[c][k] δ²(c, k).
    func observedDisagreement(_ distances: [Double]) -> Double {
        var sum = 0.0
        for index in matrix.indices where matrix[index] != 0 { sum += matrix[index] * distances[index] }
        return sum / total
    }

    /// Dₑ = Σ n_c n_k δ²(c, k) / (n(n − 1)) for the given marginals (the bootstrap passes resampled ones).
    func expectedDisagreement(_ distances: [Double], marginals: [Double], total: Double) -> Double {
        guard total > 1 else { return 0 }
        var sum = 0.0
        for c in 0..<labelCount where marginals[c] > 0 {
            for k in 0..<labelCount where marginals[k] > 0 {
                sum += marginals[c] * marginals[k] * distances[c * labelCount + k]
            }
        }
        return sum / (total * (total - 1))
    }
}
