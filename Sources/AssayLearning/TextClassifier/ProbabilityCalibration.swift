import Foundation

/// Turns a classifier's scores into probabilities that can be read as frequencies: of the predictions made with
/// confidence 0.9, about nine in ten are right.
///
/// Method, in two steps fitted on the same held-out rows.
///
/// 1. Temperature scaling with per-class offsets (Guo et al. 2017, "vector scaling" restricted to one shared
/// slope). Given a model's scores z on held-out rows, it fits
///
///     P(k | x) = softmax(a · z + c)ₖ
///
/// by minimising the held-out negative log-likelihood over the slope a and offsets c, with Newton's method (the
/// problem is convex: a multinomial logistic regression with K + 1 parameters) and a small ridge that keeps it
/// bounded when a class is missing from the held-out rows. The slope fixes over- or under-confidence; the offsets
/// undo the prior shift that class weighting puts into the scores, since a model trained with "balanced" weights
/// scores rare classes as if they were common.
///
/// 2. Top-label isotonic regression (Zadrozny and Elkan 2002; Gupta and Ramdas 2022): the probability of the
/// predicted label (the highest score) is mapped through a non-decreasing function fitted by pool-adjacent-violators
/// to whether each held-out prediction was right, with add-one smoothing per block, interpolated linearly between
/// blocks; the other labels share the rest in proportion. Step 1 alone cannot bend: when a tenth of the reference
/// labels are wrong, even the surest predictions are right only nine times in ten, and a softmax cannot say so. The
/// confidence that auto-accept thresholds read is the one this step fixes.
///
/// References: C. Guo, G. Pleiss, Y. Sun and K. Q. Weinberger (2017), "On Calibration of Modern Neural Networks",
/// ICML, §4.2. B. Zadrozny and C. Elkan (2002), "Transforming Classifier Scores into Accurate Multiclass Probability
/// Estimates", KDD. C. Gupta and A. Ramdas (2022), "Top-label calibration and multiclass-to-binary reductions", ICLR.
///
/// For example:
/// ```swift
/// let calibration = ProbabilityCalibration.fit(scores: heldOutScores, labels: heldOutLabels, classCount: 3)
/// calibration.probabilities([2.0, 0.5, -1.0])   // sums to 1; the first is how often such a prediction is right
/// ```
public struct ProbabilityCalibration: Sendable, Equatable, Codable {
    /// The slope a applied to every score (1 / temperature).
    public var slope: Double
    /// The offset cₖ added to each class's score.
    public var offsets: [Double]
    /// The top-label map: knots (probability after step 1, calibrated probability), increasing; empty for none.
    public var topLabel: [TopLabelKnot]

    /// One knot of the top-label map.
    public struct TopLabelKnot: Sendable, Equatable, Codable {
        /// The predicted label's probability after temperature scaling.
        public var input: Double
        /// The calibrated probability.
        public var output: Double
    }

    /// No change: softmax of the raw scores.
    public static func identity(classCount: Int) -> ProbabilityCalibration {
        ProbabilityCalibration(slope: 1, offsets: [Double](repeating: 0, count: classCount))
    }

    /// Makes a calibration from its parameters.
    public init(slope: Double, offsets: [Double], topLabel: [TopLabelKnot] = []) {
        self.slope = slope
        self.offsets = offsets
        self.topLabel = topLabel
    }

    /// The calibrated probabilities of one row's scores.
    public func probabilities(_ scores: [Double]) -> [Double] {
        var probabilities = scaled(scores)
        guard !topLabel.isEmpty else { return probabilities }
        let top = highestIndex(scores), before = probabilities[top]
        let after = mapTopLabel(before)
        let rest = before < 1 ? (1 - after) / (1 - before) : 0
        for index in probabilities.indices { probabilities[index] = index == top ? after : probabilities[index] * rest }
        return probabilities
    }

    /// Step 1 alone: softmax(a z + c).
    func scaled(_ scores: [Double]) -> [Double] {
        softmax(scores.indices.map { slope * scores[$0] + offsets[$0] })
    }

    /// The top-label map at `probability`: linear between knots, flat beyond the ends.
    func mapTopLabel(_ probability: Double) -> Double {
        guard let first = topLabel.first, let last = topLabel.last else { return probability }
        if probability <= first.input { return first.output }
        if probability >= last.input { return last.output }
        var upper = 1
        while topLabel[upper].input < probability { upper += 1 }
        let low = topLabel[upper - 1], high = topLabel[upper]
        let share = high.input > low.input ? (probability - low.input) / (high.input - low.input) : 0
        return low.output + share * (high.output - low.output)
    }

    /// Pool-adjacent-violators over (probability, right?) pairs, with add-one smoothing per block.
    static func isotonicKnots(_ pairs: [(probability: Double, right: Bool)]) -> [TopLabelKnot] {
        var blocks: [(sum: Double, rights: Double, count: Double)] = []
        for pair in pairs.sorted(by: { $0.probability < $1.probability }) {
            blocks.append((pair.probability, pair.right ? 1 : 0, 1))
            while blocks.count > 1 {
                let last = blocks[blocks.count - 1], previous = blocks[blocks.count - 2]
                guard previous.rights / previous.count >= last.rights / last.count else { break }
                blocks.removeLast(2)
                blocks.append((previous.sum + last.sum, previous.rights + last.rights, previous.count + last.count))
            }
        }
        // Smoothing can undo the order of two small blocks; the running maximum restores it.
        var highest = 0.0
        return blocks.map { block in
            highest = max(highest, (block.rights + 1) / (block.count + 2))
            return TopLabelKnot(input: block.sum / block.count, output: highest)
        }
    }

    /// Fits the slope, the offsets and the top-label map to held-out scores; the predicted label of a row is its
    /// highest score.
    ///
    /// - Parameters:
    ///   - scores: One array of K scores per held-out row.
    ///   - labels: The true class index of each row.
    ///   - classCount: K.
    ///   - ridge: The penalty (ridge/2)·((a − 1)² + ‖c‖²) per row, keeping the fit finite.
    public static func fit(scores: [[Double]], labels: [Int], classCount: Int, ridge: Double = 1e-3)
        -> ProbabilityCalibration
    {
        var parameters = [1.0] + [Double](repeating: 0, count: classCount)   // a, c₀ … c_{K−1}
        guard !scores.isEmpty else { return .identity(classCount: classCount) }
        let n = Double(scores.count), dimension = classCount + 1

        func loss(_ parameters: [Double]) -> Double {
            var total = 0.0
            for (row, truth) in zip(scores, labels) {
                let z = row.indices.map { parameters[0] * row[$0] + parameters[$0 + 1] }
                let highest = z.max() ?? 0
                let logSum = log(z.reduce(0) { $0 + exp($1 - highest) }) + highest
                total += logSum - z[truth]
            }
            let penalty = (parameters[0] - 1) * (parameters[0] - 1) + parameters.dropFirst().reduce(0) { $0 + $1 * $1 }
            return total / n + ridge / 2 * penalty
        }

        var current = loss(parameters)
        for _ in 0..<50 {
            // Gradient and Hessian of the mean loss; per row, with Jacobian J = [z, I] (K × (K+1)):
            // g = Jᵀ (p − y), H = Jᵀ (diag p − p pᵀ) J.
            var gradient = [Double](repeating: 0, count: dimension)
            var hessian = [Double](repeating: 0, count: dimension * dimension)
            for (row, truth) in zip(scores, labels) {
                let p = softmax(row.indices.map { parameters[0] * row[$0] + parameters[$0 + 1] })
                let meanScore = zip(p, row).reduce(0) { $0 + $1.0 * $1.1 }
                // Derivative of the scores along each parameter: a → z, cₖ → eₖ.
                gradient[0] += meanScore - row[truth]
                for k in 0..<classCount { gradient[k + 1] += p[k] - (k == truth ? 1 : 0) }
                // H_aa = Σ p z² − (Σ p z)²; H_a,cₖ = pₖ (zₖ − Σ p z); H_cⱼ,cₖ = pₖ [j = k] − pⱼ pₖ.
                var secondMoment = 0.0
                for k in 0..<classCount { secondMoment += p[k] * row[k] * row[k] }
                hessian[0] += secondMoment - meanScore * meanScore
                for k in 0..<classCount {
                    let cross = p[k] * (row[k] - meanScore)
                    hessian[k + 1] += cross
                    hessian[(k + 1) * dimension] += cross
                    for j in 0..<classCount {
                        hessian[(j + 1) * dimension + k + 1] += (j == k ? p[k] : 0) - p[j] * p[k]
                    }
                }
            }
            for index in 0..<dimension {
                gradient[index] = gradient[index] / n + ridge * (parameters[index] - (index == 0 ? 1 : 0))
                for column in 0..<dimension { hessian[index * dimension + column] /= n }
                hessian[index * dimension + index] += ridge
            }
            guard let direction = solve(hessian, gradient, dimension: dimension) else { break }
            // Backtracking line search along the Newton direction.
            var stepSize = 1.0
            var improved = false
            while stepSize > 1e-6 {
                let candidate = parameters.indices.map { parameters[$0] - stepSize * direction[$0] }
                let candidateLoss = loss(candidate)
                if candidateLoss < current {
                    improved = current - candidateLoss > 1e-12
                    parameters = candidate
                    current = candidateLoss
                    break
                }
                stepSize /= 2
            }
            if !improved { break }
        }
        var calibration = ProbabilityCalibration(slope: parameters[0], offsets: Array(parameters.dropFirst()))
        calibration.topLabel = isotonicKnots(zip(scores, labels).map { row, truth in
            let top = highestIndex(row)
            return (calibration.scaled(row)[top], top == truth)
        })
        return calibration
    }

    /// Solves A x = b for a symmetric positive-definite A by Cholesky factorisation; nil if A is not.
    static func solve(_ matrix: [Double], _ vector: [Double], dimension: Int) -> [Double]? {
        var lower = [Double](repeating: 0, count: dimension * dimension)
        for row in 0..<dimension {
            for column in 0...row {
                var sum = matrix[row * dimension + column]
                for k in 0..<column { sum -= lower[row * dimension + k] * lower[column * dimension + k] }
                if row == column {
                    guard sum > 0 else { return nil }
                    lower[row * dimension + row] = sum.squareRoot()
                } else {
                    lower[row * dimension + column] = sum / lower[column * dimension + column]
                }
            }
        }
        var y = vector
        for row in 0..<dimension {
            for k in 0..<row { y[row] -= lower[row * dimension + k] * y[k] }
            y[row] /= lower[row * dimension + row]
        }
        for row in stride(from: dimension - 1, through: 0, by: -1) {
            for k in (row + 1)..<dimension { y[row] -= lower[k * dimension + row] * y[k] }
            y[row] /= lower[row * dimension + row]
        }
        return y
    }
}

/// The index of the highest score (ties go to the earlier index): the label a model predicts.
func highestIndex(_ scores: [Double]) -> Int {
    var best = 0
    for index in scores.indices where scores[index] > scores[best] { best = index }
    return best
}

/// softmax(z)ₖ = e^{zₖ} / Σⱼ e^{zⱼ}, computed without overflow.
func softmax(_ scores: [Double]) -> [Double] {
    let highest = scores.max() ?? 0
    let exponentials = scores.map { exp($0 - highest) }
    let total = exponentials.reduce(0, +)
    return exponentials.map { $0 / total }
}
