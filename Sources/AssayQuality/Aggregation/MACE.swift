import Foundation

/// MACE (Multi-Annotator Competence Estimation): models each worker as sometimes answering truthfully and sometimes
/// "spamming" from a label habit of their own — the aggregator for crowds with spammers and workers who click
/// the same button regardless of the item.
///
/// Model: item i has a hidden class Tᵢ, uniform over the L labels. For each judgment, worker w is competent with
/// probability θᵥ and then answers Tᵢ; otherwise they spam and answer label a with probability ξᵥ[a]. So
/// P(answer a | Tᵢ = t) = θᵥ · [a = t] + (1 − θᵥ) · ξᵥ[a].
///
/// EM (the paper's EM variant, not its variational Bayes one):
/// - E-step: log P(Tᵢ = t) = Σⱼ log P(aⱼ | t) − log L, normalised in log space; gold items clamped. The expected
///   count that judgment j was competent is P(Tᵢ = aⱼ) · θ / (θ + s ξ[aⱼ]), where s is the worker's spam weight
///   (1 − θ under EM; under variational Bayes the separate weight below, which need not sum with θ to 1, as in
///   crowd-kit); the rest of the judgment is spam with label aⱼ.
/// - M-step, variational Bayes (the default, as in the paper's best setting and crowd-kit): with a Beta(α, β) prior
///   on each worker's spam/truthful split and a symmetric Dirichlet(γ) prior on the spam habit ξ, the weights are
///   the exponentiated expected logs of the posteriors: truthful = exp(ψ(competent + β) − ψ(n_w + α + β)),
///   spam = exp(ψ(spam count + α) − ψ(n_w + α + β)), ξᵥ[a] = exp(ψ(spam count of a + γ) − ψ(spam count + L γ)),
///   ψ the digamma function. The defaults α = β = ½, γ = 10 keep habits near uniform unless the evidence is strong,
///   which stops EM from explaining good workers as spammers with a habit.
/// - M-step, EM: θᵥ = (competent count + s) / (n_w + 2s); ξᵥ[a] = (spam count of a + s) / (spam count + L s),
///   with smoothing s (default 0.01 / L).
/// - Stops when the log marginal likelihood Σᵢ log Σₜ P(Tᵢ = t, answers) gains less than `tolerance` per judgment,
///   or after `maxIterations`. A fall stops it too, and is reported as converged: under variational Bayes this
///   likelihood need not rise at every step, and on realistic data runs take 8–50 iterations either way.
///
/// Restarts: the first run starts from θ = ½ and uniform ξ (equivalent to starting from a soft majority vote); each
/// further run starts from random θ and ξ, as in the paper; the run with the highest likelihood wins. Restarts run
/// in parallel on all cores; their starting points are drawn first, in order, so the result is the same on any
/// machine.
///
/// D. Hovy, T. Berg-Kirkpatrick, A. Vaswani and E. Hovy (2013), "Learning Whom to Trust with MACE",
/// NAACL-HLT 2013, 1120–1130. https://aclanthology.org/N13-1132
///
/// For example:
/// ```swift
/// var rng = SplitMix64(seed: 1)
/// let result = try MACE(restarts: 5).aggregate(judgments, gold: nil, using: &rng)
/// result.skill(of: "ann")?.score   // ann's competence θ: P(not spamming)
/// ```
/// - Complexity: O(restarts × iterations × (judgments + items × labels + workers × labels)) time;
///   O(items × labels + workers × labels) memory.
public struct MACE: LabelAggregator {
    /// The number of EM runs; the most likely one wins.
    public let restarts: Int
    /// The cap on EM iterations per run.
    public let maxIterations: Int
    /// The smallest log-likelihood gain per judgment that keeps a run going.
    public let tolerance: Double
    /// How the M-step estimates θ and ξ.
    public enum Fitting: Sendable, Equatable {
        /// Maximum likelihood with additive smoothing s; `nil` for 0.01 / labels.
        case expectationMaximization(smoothing: Double? = nil)
        /// Variational Bayes with a Beta(alpha, beta) prior on spamming vs answering truthfully and a symmetric
        /// Dirichlet(habitPrior) prior on the spam habit.
        case variationalBayes(alpha: Double = 0.5, beta: Double = 0.5, habitPrior: Double = 10)
    }

    /// How the M-step estimates θ and ξ.
    public let fitting: Fitting
    /// The spread of random starting points: θ and ξ weights are drawn from U(1, 1 + noise), then normalised.
    /// (crowd-kit draws from `uniform(1, 1 + noise)`, which in SciPy's (loc, scale) terms is U(1, 2 + noise), and
    /// reseeds each restart alike; the starts differ, the model does not.)
    public let startNoise: Double
    /// The seed `aggregate(_:gold:)` uses for restarts; pass your own generator to `aggregate(_:gold:using:)`.
    public let seed: UInt64

    /// Creates the aggregator; the defaults are crowd-kit's where it has them.
    ///
    /// - Parameters:
    ///   - restarts: The number of EM runs (≥ 1).
    ///   - maxIterations: The cap on EM iterations per run.
    ///   - tolerance: The smallest log-likelihood gain per judgment that keeps a run going.
    ///   - fitting: Variational Bayes (crowd-kit's default) or smoothed EM.
    ///   - startNoise: The spread of random starting points.
    ///   - seed: The seed for random restarts in `aggregate(_:gold:)`.
    public init(
        restarts: Int = 10, maxIterations: Int = 50, tolerance: Double = 1e-5,
        fitting: Fitting = .variationalBayes(), startNoise: Double = 0.5, seed: UInt64 = 0
    ) {
        self.restarts = restarts
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.fitting = fitting
        self.startNoise = startNoise
        self.seed = seed
    }

    /// Fits MACE with random restarts drawn from `SplitMix64(seed: seed)`.
    ///
    /// - Throws: See `aggregate(_:gold:using:)`.
    public func aggregate(_ judgments: JudgmentMatrix, gold: GoldLabels?) throws -> AggregationResult {
        var rng = SplitMix64(seed: seed)
        return try aggregate(judgments, gold: gold, using: &rng)
    }

    /// Fits MACE, drawing the starting points of restarts after the first from `rng`.
    ///
    /// - Throws: `QualityError.empty` without judgments; `.invalidInput` for restarts < 1, negative settings, or
    ///   gold labels outside the coding.
    public func aggregate(
        _ judgments: JudgmentMatrix, gold: GoldLabels?, using rng: inout some RandomNumberGenerator
    ) throws -> AggregationResult {
        let goldLabels = try checkedGold(judgments, gold)
        let priorsArePositive: Bool
        switch fitting {
        case .expectationMaximization(let smoothing): priorsArePositive = (smoothing ?? 0) >= 0
        case .variationalBayes(let alpha, let beta, let habitPrior):
            priorsArePositive = alpha > 0 && beta > 0 && habitPrior > 0
        }
        guard restarts >= 1, maxIterations >= 0, tolerance >= 0, startNoise >= 0, priorsArePositive else {
            throw QualityError.invalidInput(
                "MACE needs restarts ≥ 1, non-negative iterations, tolerance, smoothing and noise, "
                    + "and positive variational priors.")
        }
        if judgments.labelCount == 1 { return singleLabelResult(judgments) }
        // Every start is drawn before any run, in order, so the result does not depend on which thread runs what.
        let starts = [nil] + (1..<restarts).map { _ in
            MACEModel.Start.random(
                workerCount: judgments.workerCount, labelCount: judgments.labelCount, noise: startNoise, using: &rng)
        }
        let best = BestRun()
        // Restarts are independent: run them on every core, keeping only the best model alive.
        DispatchQueue.concurrentPerform(iterations: restarts) { restart in
            var model = MACEModel(judgments, gold: goldLabels, fitting: fitting, start: starts[restart])
            model.fit(maxIterations: maxIterations, tolerance: tolerance)
            best.offer(model, restart: restart)
        }
        let model = best.model!
        let labelCount = judgments.labelCount
        let (counts, accuracies) = expectedAccuracies(judgments, model.posteriors)
        let skills = (0..<judgments.workerCount).map { worker in
            // Under variational Bayes the weights (truthful vs spam, and the habit ξ) each sum to a little less than
            // 1; report them as shares so that θ is a probability and the confusion rows sum to 1.
            let competence = model.competence[worker] / (model.competence[worker] + model.spamWeight[worker])
            let habit = model.spamming[(worker * labelCount)..<((worker + 1) * labelCount)]
            let habitTotal = habit.reduce(0, +)
            var confusion = [Double](repeating: 0, count: labelCount * labelCount)
            for truth in 0..<labelCount {
                for answer in 0..<labelCount {
                    confusion[truth * labelCount + answer] =
                        (answer == truth ? competence : 0)
                        + (1 - competence) * habit[worker * labelCount + answer] / habitTotal
                }
            }
            return WorkerSkill(
                judgmentCount: counts[worker], accuracy: accuracies[worker], score: competence, confusion: confusion)
        }
        return makeResult(
            judgments, posteriors: model.posteriors, skills: skills, iterations: model.iterations,
            converged: model.converged, logLikelihood: model.logLikelihood / Double(judgments.judgmentCount))
    }
}

/// The most likely run so far; ties go to the earlier restart, so the winner is the same in any thread order.
private final class BestRun: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var model: MACEModel?
    private var restart = Int.max

    func offer(_ candidate: MACEModel, restart candidateRestart: Int) {
        lock.lock()
        defer { lock.unlock() }
        if let model,
            model.logLikelihood > candidate.logLikelihood
                || (model.logLikelihood == candidate.logLikelihood && restart < candidateRestart)
        {
            return
        }
        model = candidate
        restart = candidateRestart
    }
}
