import Foundation

// Internal building blocks the aggregators share: input checks, vote shares, gold clamping, log-space
// normalisation, arg-max with the documented tie rule, and worker accuracies. The log-space normalisation is
// crowd-kit's (https://doi.org/10.21105/joss.06227).

/// The gold label index of every item (-1 for none), after the checks every aggregator makes.
///
/// - Throws: `QualityError.empty` without judgments; `.invalidInput` for gold labels outside the coding.
func checkedGold(_ judgments: JudgmentMatrix, _ gold: GoldLabels?) throws -> [Int32]? {
    guard !judgments.isEmpty, judgments.labelCount > 0 else { throw QualityError.empty }
    guard let gold, gold.count > 0 else { return nil }
    return try gold.labelIndices(in: judgments)
}

/// Vote shares per item (items × labels), each vote weighing `weights[worker]` (1 when `weights` is nil).
/// An item whose voters all weigh 0 falls back to unweighted shares, so every row sums to 1.
func voteShares(_ judgments: JudgmentMatrix, weights: [Double]? = nil) -> [Double] {
    let labelCount = judgments.labelCount
    var shares = [Double](repeating: 0, count: judgments.itemCount * labelCount)
    for item in 0..<judgments.itemCount {
        let range = judgments.judgments(ofItemAt: item)
        let row = item * labelCount
        var total = 0.0
        if let weights {
            for position in range {
                let weight = weights[Int(judgments.workerIndices[position])]
                shares[row + Int(judgments.labelIndices[position])] += weight
                total += weight
            }
        }
        if total <= 0 {
            for label in 0..<labelCount { shares[row + label] = 0 }
            for position in range { shares[row + Int(judgments.labelIndices[position])] += 1 }
            total = Double(range.count)
        }
        for label in 0..<labelCount { shares[row + label] /= total }
    }
    return shares
}

/// Replaces the posterior of each gold item by the one-hot vector of its gold label.
func clamp(_ posteriors: inout [Double], to gold: [Int32]?, labelCount: Int) {
    guard let gold else { return }
    for (item, label) in gold.enumerated() where label >= 0 {
        let row = item * labelCount
        for k in 0..<labelCount { posteriors[row + k] = 0 }
        posteriors[row + Int(label)] = 1
    }
}

/// The most probable label of each item; on ties the smallest label index wins.
func mostProbableLabels(_ posteriors: [Double], labelCount: Int) -> [Int32] {
    let itemCount = labelCount == 0 ? 0 : posteriors.count / labelCount
    var labels = [Int32](repeating: 0, count: itemCount)
    for item in 0..<itemCount {
        let row = item * labelCount
        var best = 0
        for k in 1..<max(labelCount, 1) where posteriors[row + k] > posteriors[row + best] { best = k }
        labels[item] = Int32(best)
    }
    return labels
}

/// Turns log-scores into probabilities: subtracts the maximum before exponentiating, so that sums of many log
/// probabilities (thousands of judgments) neither underflow nor overflow. Returns log Σ exp(scores).
@inline(__always)
func normalizeLogScores(_ scores: UnsafeMutableBufferPointer<Double>, into output: UnsafeMutablePointer<Double>)
    -> Double
{
    var maximum = -Double.infinity
    for score in scores where score > maximum { maximum = score }
    guard maximum.isFinite else {
        // Every label impossible under the model (cannot happen with clipped parameters): fall back to uniform.
        for k in scores.indices { output[k] = 1 / Double(scores.count) }
        return maximum
    }
    var sum = 0.0
    for k in scores.indices {
        let value = exp(scores[k] - maximum)
        output[k] = value
        sum += value
    }
    for k in scores.indices { output[k] /= sum }
    return maximum + log(sum)
}

/// Per worker: judgment count and the share of judgments equal to the item's label in `labels`.
func agreementWithLabels(_ judgments: JudgmentMatrix, _ labels: [Int32]) -> (counts: [Int], accuracies: [Double]) {
    var counts = [Int](repeating: 0, count: judgments.workerCount)
    var hits = [Double](repeating: 0, count: judgments.workerCount)
    for position in 0..<judgments.judgmentCount {
        let worker = Int(judgments.workerIndices[position])
        counts[worker] += 1
        if judgments.labelIndices[position] == labels[Int(judgments.itemIndices[position])] { hits[worker] += 1 }
    }
    return (counts, zip(hits, counts).map { $1 == 0 ? 0 : $0 / Double($1) })
}

/// Per worker: judgment count and the expected share of correct judgments, (1/n) Σ P(zᵢ = answer).
func expectedAccuracies(_ judgments: JudgmentMatrix, _ posteriors: [Double]) -> (counts: [Int], accuracies: [Double]) {
    let labelCount = judgments.labelCount
    var counts = [Int](repeating: 0, count: judgments.workerCount)
    var sums = [Double](repeating: 0, count: judgments.workerCount)
    for position in 0..<judgments.judgmentCount {
        let worker = Int(judgments.workerIndices[position])
        counts[worker] += 1
        sums[worker] +=
            posteriors[
                Int(judgments.itemIndices[position]) * labelCount
                    + Int(judgments.labelIndices[position])]
    }
    return (counts, zip(sums, counts).map { $1 == 0 ? 0 : $0 / Double($1) })
}

/// The result every aggregator returns when the coding has a single label: that label, with certainty.
func singleLabelResult(_ judgments: JudgmentMatrix) -> AggregationResult {
    let counts = agreementWithLabels(judgments, [Int32](repeating: 0, count: judgments.itemCount)).counts
    return AggregationResult(
        itemCoding: judgments.itemCoding, workerCoding: judgments.workerCoding, labelCoding: judgments.labelCoding,
        labelIndices: [Int32](repeating: 0, count: judgments.itemCount),
        posteriors: [Double](repeating: 1, count: judgments.itemCount),
        workerSkills: counts.map { WorkerSkill(judgmentCount: $0, accuracy: $0 == 0 ? 0 : 1) },
        iterations: 0, converged: true, logLikelihood: nil)
}

/// Builds a result from posteriors and per-worker pieces, with labels by arg-max.
func makeResult(
    _ judgments: JudgmentMatrix, posteriors: [Double], labels: [Int32]? = nil, skills: [WorkerSkill],
    iterations: Int, converged: Bool, logLikelihood: Double?
) -> AggregationResult {
    AggregationResult(
        itemCoding: judgments.itemCoding, workerCoding: judgments.workerCoding, labelCoding: judgments.labelCoding,
        labelIndices: labels ?? mostProbableLabels(posteriors, labelCount: judgments.labelCount),
        posteriors: posteriors, workerSkills: skills, iterations: iterations, converged: converged,
        logLikelihood: logLikelihood)
}
