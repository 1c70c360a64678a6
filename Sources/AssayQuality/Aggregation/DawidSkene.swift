import Foundation

/// Dawid–Skene: estimates each worker's full confusion matrix and each item's class posterior by EM — the default
/// aggregator when workers differ in skill and in *which* labels they confuse (a worker who calls every borderline
/// post "spam" is still informative).
///
/// Model: item i has a hidden class zᵢ ~ Categorical(π); worker w, shown item i, answers l with probability
/// e_w[l | zᵢ]. Judgments are independent given the classes.
///
/// Initialisation: posteriors P(zᵢ = k) are the majority-vote shares; π = mean posterior; then an M-step.
/// Each iteration:
/// - E-step: P(zᵢ = k) ∝ πₖ · Πⱼ e_{wⱼ}[lⱼ | k] over item i's judgments, computed in log space (products of many
///   probabilities underflow) and normalised after subtracting the row maximum.
/// - π = mean posterior over items.
/// - M-step: C_w[l][k] = Σ over w's answers l of P(zᵢ = k); e_w[l | k] = C̃_w[l][k] / Σ_l' C̃_w[l'][k], where
///   C̃ = max(C, 10⁻¹⁰) + `smoothing` for answers the worker gave and `smoothing` for answers they never gave.
///   `smoothing` > 0 is an additive (Dirichlet) prior that keeps rare confusions away from 0.
/// - Objective: crowd-kit's, per judgment,
///   (Σⱼ Σₖ P(z_{iⱼ} = k) · (log e_{wⱼ}[lⱼ | k] + log πₖ) + Σᵢ H(P(zᵢ))) / judgments. It looks like the evidence
///   lower bound but weights the prior term log πₖ once per judgment, not once per item, so it is not one and need
///   not rise at every step: on sparse data with many labels it can stop EM after a few iterations (where, as it
///   happens, accuracy is often higher than at the true optimum).
///
/// Stops when the objective gains less than `tolerance` (a decrease also stops it), or after `maxIterations`.
/// Gold items are clamped to their label in the initialisation and in every E-step.
/// With `smoothing` 0 this reproduces crowd-kit's `DawidSkene` (same initialisation, update order, 10⁻¹⁰ clip,
/// objective and stopping rule).
///
/// A. P. Dawid and A. M. Skene (1979), "Maximum Likelihood Estimation of Observer Error-Rates Using the EM
/// Algorithm", Journal of the Royal Statistical Society C 28(1):20–28. https://doi.org/10.2307/2346806
///
/// For example:
/// ```swift
/// let result = try DawidSkene(maxIterations: 50).aggregate(judgments)
/// result.label(of: "post-1")                 // most probable class
/// result.skill(of: "ann")?.confusion         // ann's confusion matrix, truth × answer
/// result.converged                           // whether the objective settled before 50 iterations
/// ```
/// - Complexity: O(iterations × (judgments × labels + workers × labels²)) time;
///   O(items × labels + workers × labels²) memory.
public struct DawidSkene: LabelAggregator {
    /// The cap on EM iterations.
    public let maxIterations: Int
    /// The smallest gain in the per-judgment objective that keeps EM going.
    public let tolerance: Double
    /// The additive (Dirichlet) pseudo-count added to every cell of every worker's confusion counts.
    public let smoothing: Double

    /// Creates the aggregator; the defaults are crowd-kit's.
    ///
    /// - Parameters:
    ///   - maxIterations: The cap on EM iterations (0 returns the majority-vote initialisation).
    ///   - tolerance: The smallest objective gain per judgment that keeps EM going.
    ///   - smoothing: A pseudo-count ≥ 0 added to each confusion cell; 0 matches crowd-kit.
    public init(maxIterations: Int = 100, tolerance: Double = 1e-5, smoothing: Double = 0) {
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.smoothing = smoothing
    }

    /// Fits the model by EM; gold items are clamped to their gold label.
    ///
    /// - Throws: `QualityError.empty` without judgments; `.invalidInput` for a negative cap, tolerance or
    ///   smoothing, or gold labels outside the coding.
    public func aggregate(_ judgments: JudgmentMatrix, gold: GoldLabels?) throws -> AggregationResult {
        let goldLabels = try checkedGold(judgments, gold)
        guard maxIterations >= 0, tolerance >= 0, smoothing >= 0, smoothing.isFinite else {
            throw QualityError.invalidInput("maxIterations, tolerance and smoothing must be ≥ 0.")
        }
        if judgments.labelCount == 1 { return singleLabelResult(judgments) }
        let answered = answerCounts(judgments)
        let fit = fitConfusionModel(
            judgments, gold: goldLabels, maxIterations: maxIterations, tolerance: tolerance
        ) { posteriors in
            mStep(judgments, posteriors: posteriors, answered: answered)
        }
        let labelCount = judgments.labelCount
        let (counts, accuracies) = expectedAccuracies(judgments, fit.posteriors)
        let skills = (0..<judgments.workerCount).map { worker in
            var confusion = [Double](repeating: 0, count: labelCount * labelCount)
            for truth in 0..<labelCount {
                for answer in 0..<labelCount {
                    confusion[truth * labelCount + answer] =
                        exp(fit.parameters.logErrors[(worker * labelCount + answer) * labelCount + truth])
                }
            }
            return WorkerSkill(judgmentCount: counts[worker], accuracy: accuracies[worker], confusion: confusion)
        }
        return makeResult(
            judgments, posteriors: fit.posteriors, skills: skills, iterations: fit.iterations,
            converged: fit.converged, logLikelihood: fit.objective)
    }

    /// M-step: normalised, clipped, smoothed expected confusion counts, and the objective's error term.
    private func mStep(_ judgments: JudgmentMatrix, posteriors: [Double], answered: [Int32]) -> ConfusionParameters {
        let labelCount = judgments.labelCount
        let counts = expectedConfusionCounts(judgments, posteriors)
        var logErrors = [Double](repeating: 0, count: counts.count)
        var expectedLogErrors = 0.0
        var column = [Double](repeating: 0, count: labelCount)
        for worker in 0..<judgments.workerCount {
            for truth in 0..<labelCount {
                var total = 0.0
                for answer in 0..<labelCount {
                    let cell = (worker * labelCount + answer) * labelCount + truth
                    // crowd-kit clips only the (worker, answer) rows that exist, i.e. answers the worker gave.
                    let clipped = answered[worker * labelCount + answer] > 0 ? max(counts[cell], 1e-10) : 0
                    column[answer] = clipped + smoothing
                    total += column[answer]
                }
                for answer in 0..<labelCount {
                    let cell = (worker * labelCount + answer) * labelCount + truth
                    logErrors[cell] = total > 0 ? log(column[answer] / total) : -.infinity
                    if counts[cell] > 0 { expectedLogErrors += counts[cell] * logErrors[cell] }
                }
            }
        }
        return ConfusionParameters(logErrors: logErrors, expectedLogErrors: expectedLogErrors)
    }

    /// How many times each worker gave each answer, at `[worker * labels + answer]`.
    private func answerCounts(_ judgments: JudgmentMatrix) -> [Int32] {
        var answered = [Int32](repeating: 0, count: judgments.workerCount * judgments.labelCount)
        for position in 0..<judgments.judgmentCount {
            answered[
                Int(judgments.workerIndices[position]) * judgments.labelCount
                    + Int(judgments.labelIndices[position])] += 1
        }
        return answered
    }
}
