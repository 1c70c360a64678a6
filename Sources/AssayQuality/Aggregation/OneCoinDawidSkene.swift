import Foundation

/// One-coin Dawid–Skene: Dawid–Skene with one skill number per worker instead of a full confusion matrix — the
/// better choice when workers have few judgments each, since it fits 1 parameter per worker instead of L².
///
/// Model: item i has a hidden class zᵢ ~ Categorical(π); worker w answers the true class with probability s_w and
/// each other class with probability (1 − s_w) / (L − 1), L being the number of labels.
///
/// The EM loop is Dawid–Skene's (majority-vote initialisation, log-space E-step, π = mean posterior, same
/// objective and stopping rule); only the M-step differs: s_w = (1/n_w) Σ over w's judgments of P(zᵢ = answer),
/// the worker's expected accuracy, and both s_w and (1 − s_w) / (L − 1) are clipped to [10⁻¹⁰, 1 − 10⁻¹⁰].
/// This reproduces crowd-kit's `OneCoinDawidSkene`.
///
/// Y. Zhang, X. Chen, D. Zhou and M. I. Jordan (2016), "Spectral Methods Meet EM: A Provably Optimal Algorithm for
/// Crowdsourcing", Journal of Machine Learning Research 17:1–44. https://arxiv.org/abs/1406.3824
///
/// For example:
/// ```swift
/// let result = try OneCoinDawidSkene().aggregate(judgments)
/// result.skill(of: "ann")?.score   // ann's skill s: P(answer = truth)
/// ```
/// - Complexity: O(iterations × (judgments × labels + workers × labels²)) time;
///   O(items × labels + workers × labels²) memory.
public struct OneCoinDawidSkene: LabelAggregator {
    /// The cap on EM iterations.
    public let maxIterations: Int
    /// The smallest gain in the per-judgment objective that keeps EM going.
    public let tolerance: Double

    /// Creates the aggregator; the defaults are crowd-kit's.
    ///
    /// - Parameters:
    ///   - maxIterations: The cap on EM iterations (0 returns the majority-vote initialisation).
    ///   - tolerance: The smallest objective gain per judgment that keeps EM going.
    public init(maxIterations: Int = 100, tolerance: Double = 1e-5) {
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// Fits the model by EM; gold items are clamped to their gold label.
    ///
    /// - Throws: `QualityError.empty` without judgments; `.invalidInput` for a negative cap or tolerance, or gold
    ///   labels outside the coding.
    public func aggregate(_ judgments: JudgmentMatrix, gold: GoldLabels?) throws -> AggregationResult {
        let goldLabels = try checkedGold(judgments, gold)
        guard maxIterations >= 0, tolerance >= 0 else {
            throw QualityError.invalidInput("maxIterations and tolerance must be ≥ 0.")
        }
        if judgments.labelCount == 1 { return singleLabelResult(judgments) }
        let labelCount = judgments.labelCount
        var skillsByWorker = [Double](repeating: 0, count: judgments.workerCount)
        let fit = fitConfusionModel(
            judgments, gold: goldLabels, maxIterations: maxIterations, tolerance: tolerance
        ) { posteriors in
            let (parameters, skills) = mStep(judgments, posteriors: posteriors)
            skillsByWorker = skills
            return parameters
        }
        let (counts, accuracies) = expectedAccuracies(judgments, fit.posteriors)
        let skills = (0..<judgments.workerCount).map { worker in
            let (right, wrong) = Self.clippedErrors(skillsByWorker[worker], labelCount: labelCount)
            var confusion = [Double](repeating: wrong, count: labelCount * labelCount)
            for label in 0..<labelCount { confusion[label * labelCount + label] = right }
            return WorkerSkill(
                judgmentCount: counts[worker], accuracy: accuracies[worker], score: skillsByWorker[worker],
                confusion: confusion)
        }
        return makeResult(
            judgments, posteriors: fit.posteriors, skills: skills, iterations: fit.iterations,
            converged: fit.converged, logLikelihood: fit.objective)
    }

    /// M-step: each worker's expected accuracy, the error tables it implies, and the objective's error term.
    private func mStep(_ judgments: JudgmentMatrix, posteriors: [Double]) -> (ConfusionParameters, [Double]) {
        let labelCount = judgments.labelCount
        let (counts, skills) = expectedAccuracies(judgments, posteriors)
        var logErrors = [Double](repeating: 0, count: judgments.workerCount * labelCount * labelCount)
        var expectedLogErrors = 0.0
        for worker in 0..<judgments.workerCount {
            let (right, wrong) = Self.clippedErrors(skills[worker], labelCount: labelCount)
            let (logRight, logWrong) = (log(right), log(wrong))
            for answer in 0..<labelCount {
                for truth in 0..<labelCount {
                    logErrors[(worker * labelCount + answer) * labelCount + truth] =
                        answer == truth ? logRight : logWrong
                }
            }
            // Σⱼ Σₖ P(k) log e = Σⱼ [P(answer) log s + (1 − P(answer)) log((1 − s)/(L − 1))]
            let expectedRight = skills[worker] * Double(counts[worker])
            expectedLogErrors += expectedRight * logRight + (Double(counts[worker]) - expectedRight) * logWrong
        }
        return (ConfusionParameters(logErrors: logErrors, expectedLogErrors: expectedLogErrors), skills)
    }

    /// P(answer = truth) and P(answer = a given other label), clipped as crowd-kit does.
    private static func clippedErrors(_ skill: Double, labelCount: Int) -> (right: Double, wrong: Double) {
        let clip = { (value: Double) in min(max(value, 1e-10), 1 - 1e-10) }
        return (clip(skill), clip((1 - skill) / Double(labelCount - 1)))
    }
}
