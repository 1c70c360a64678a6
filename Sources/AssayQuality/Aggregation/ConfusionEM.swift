import Foundation

// The EM loop shared by Dawid–Skene and one-coin Dawid–Skene. Both describe worker w by an error table
// e_w[answer][truth]; they differ only in the M-step that estimates it. The loop follows crowd-kit's order so that
// results match it: initialise posteriors by majority vote, priors = mean posterior, M-step; then repeat
// E-step → priors → M-step → objective, and stop when the objective gains less than the tolerance.
// Dawid and Skene (1979), https://doi.org/10.2307/2346806; crowd-kit, https://doi.org/10.21105/joss.06227

/// A confusion model's M-step output: log e_w[l][k] at `logErrors[(w * L + l) * L + k]`, and the expected
/// log-likelihood term Σⱼ Σₖ P(z_{iⱼ} = k) · log e_{wⱼ}[lⱼ][k] of the posteriors it was fitted to.
struct ConfusionParameters {
    var logErrors: [Double]
    var expectedLogErrors: Double
}

/// The state of the fit when the loop ends.
struct ConfusionFit {
    var posteriors: [Double]
    var parameters: ConfusionParameters
    var iterations: Int
    var converged: Bool
    /// The evidence lower bound per judgment (crowd-kit's `loss_history_[-1]`), `nil` if no iteration ran.
    var objective: Double?
}

/// Runs EM for a confusion model.
///
/// - Parameters:
///   - judgments: The judgments to fit.
///   - gold: Gold label per item (-1 for none), clamped in every E-step.
///   - maxIterations: The cap on EM iterations.
///   - tolerance: The smallest objective gain per judgment that keeps EM going.
///   - mStep: Estimates the error tables from posteriors.
/// - Returns: The posteriors and parameters at the end, with the iteration count and stopping state.
func fitConfusionModel(
    _ judgments: JudgmentMatrix, gold: [Int32]?, maxIterations: Int, tolerance: Double,
    mStep: ([Double]) -> ConfusionParameters
) -> ConfusionFit {
    let labelCount = judgments.labelCount
    var posteriors = voteShares(judgments)
    clamp(&posteriors, to: gold, labelCount: labelCount)
    var logPriors = meanPosterior(posteriors, labelCount: labelCount).map { log($0) }
    var parameters = mStep(posteriors)
    var previous = -Double.infinity
    var fit = ConfusionFit(posteriors: [], parameters: parameters, iterations: 0, converged: false, objective: nil)
    while fit.iterations < maxIterations {
        fit.iterations += 1
        let (labelMass, entropy) = confusionEStep(
            judgments, logPriors: logPriors, logErrors: parameters.logErrors, gold: gold, posteriors: &posteriors)
        logPriors = meanPosterior(posteriors, labelCount: labelCount).map { log($0) }
        parameters = mStep(posteriors)
        var priorTerm = 0.0
        for k in 0..<labelCount where labelMass[k] > 0 { priorTerm += labelMass[k] * logPriors[k] }
        let objective = (parameters.expectedLogErrors + priorTerm + entropy) / Double(judgments.judgmentCount)
        fit.objective = objective
        if objective - previous < tolerance {
            fit.converged = true
            break
        }
        previous = objective
    }
    fit.posteriors = posteriors
    fit.parameters = parameters
    return fit
}

/// The mean posterior over items: the class priors π.
func meanPosterior(_ posteriors: [Double], labelCount: Int) -> [Double] {
    var mean = [Double](repeating: 0, count: labelCount)
    let itemCount = posteriors.count / labelCount
    for item in 0..<itemCount {
        for k in 0..<labelCount { mean[k] += posteriors[item * labelCount + k] }
    }
    return mean.map { $0 / Double(itemCount) }
}

/// E-step: log P(zᵢ = k) = log πₖ + Σⱼ log e_{wⱼ}[lⱼ][k] + const, normalised in log space; gold items clamped.
///
/// - Returns: Σᵢ nᵢ P(zᵢ = k) per label (for the objective's prior term) and the posteriors' total entropy.
func confusionEStep(
    _ judgments: JudgmentMatrix, logPriors: [Double], logErrors: [Double], gold: [Int32]?,
    posteriors: inout [Double]
) -> (labelMass: [Double], entropy: Double) {
    let labelCount = judgments.labelCount
    var labelMass = [Double](repeating: 0, count: labelCount)
    var entropy = 0.0
    var scores = [Double](repeating: 0, count: labelCount)
    judgments.workerIndices.withUnsafeBufferPointer { workers in
        judgments.labelIndices.withUnsafeBufferPointer { labels in
            logErrors.withUnsafeBufferPointer { logErrors in
                scores.withUnsafeMutableBufferPointer { scores in
                    posteriors.withUnsafeMutableBufferPointer { posteriors in
                        for item in 0..<judgments.itemCount {
                            let range = judgments.judgments(ofItemAt: item)
                            let row = posteriors.baseAddress! + item * labelCount
                            if let gold, gold[item] >= 0 {
                                for k in 0..<labelCount { row[k] = 0 }
                                row[Int(gold[item])] = 1
                            } else {
                                for k in 0..<labelCount { scores[k] = logPriors[k] }
                                for position in range {
                                    let table =
                                        (Int(workers[position]) * labelCount + Int(labels[position])) * labelCount
                                    for k in 0..<labelCount { scores[k] += logErrors[table + k] }
                                }
                                // log P(zᵢ = k) = scoreₖ − log Σ exp(scores): the entropy needs no further logarithms.
                                let logNormalizer = normalizeLogScores(scores, into: row)
                                for k in 0..<labelCount where row[k] > 0 {
                                    entropy -= row[k] * (scores[k] - logNormalizer)
                                }
                            }
                            let count = Double(range.count)
                            for k in 0..<labelCount where row[k] > 0 { labelMass[k] += count * row[k] }
                        }
                    }
                }
            }
        }
    }
    return (labelMass, entropy)
}

/// Expected counts C_w[l][k] = Σ over w's judgments with answer l of P(zᵢ = k), at `[(w * L + l) * L + k]`.
func expectedConfusionCounts(_ judgments: JudgmentMatrix, _ posteriors: [Double]) -> [Double] {
    let labelCount = judgments.labelCount
    var counts = [Double](repeating: 0, count: judgments.workerCount * labelCount * labelCount)
    judgments.workerIndices.withUnsafeBufferPointer { workers in
        judgments.labelIndices.withUnsafeBufferPointer { labels in
            posteriors.withUnsafeBufferPointer { posteriors in
                counts.withUnsafeMutableBufferPointer { counts in
                    for item in 0..<judgments.itemCount {
                        let row = item * labelCount
                        for position in judgments.judgments(ofItemAt: item) {
                            let table = (Int(workers[position]) * labelCount + Int(labels[position])) * labelCount
                            for k in 0..<labelCount { counts[table + k] += posteriors[row + k] }
                        }
                    }
                }
            }
        }
    }
    return counts
}
