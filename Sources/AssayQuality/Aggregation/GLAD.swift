import Foundation

/// GLAD (Generative model of Labels, Abilities and Difficulties): models each worker's ability *and* each item's
/// difficulty, so that a hard item's split vote does not count against the workers who got it wrong — use it when
/// item difficulty varies a lot (ambiguous content) and items have several judgments each.
///
/// Model: item i has a hidden class zᵢ with fixed prior π (uniform unless given); worker w has ability
/// αᵥ ∈ ℝ and item i has inverse difficulty βᵢ = exp(bᵢ) > 0. Worker w answers item i correctly with probability
/// σ(αᵥ βᵢ) = 1 / (1 + exp(−αᵥ βᵢ)), and each wrong label with probability (1 − σ(αᵥ βᵢ)) / (L − 1).
/// Priors: αᵥ ~ N(μ_α, 1) and bᵢ ~ N(μ_b, 1), with μ_α = μ_b = 1 (crowd-kit's defaults).
///
/// Each iteration:
/// - E-step: log P(zᵢ = k) = log πₖ + Σⱼ [lⱼ = k] log σⱼ + [lⱼ ≠ k] log((1 − σⱼ) / (L − 1)), normalised in
///   log space (σⱼ = σ(α_{wⱼ} βᵢ), log σ computed as −softplus(−x) so it never overflows).
/// - M-step: maximise Q(α, b) = Σⱼ [qⱼ log σⱼ + (1 − qⱼ) log((1 − σⱼ)/(L − 1))] − ½Σ(αᵥ − μ_α)² − ½Σ(bᵢ − μ_b)²,
///   where qⱼ = P(zᵢ = lⱼ), by gradient ascent. The gradients are ∂Q/∂αᵥ = Σⱼ (qⱼ − σⱼ) βᵢ − (αᵥ − μ_α) and
///   ∂Q/∂bᵢ = Σⱼ (qⱼ − σⱼ) αᵥ βᵢ − (bᵢ − μ_b). Each step scales every coordinate by its Fisher information
///   (Σ σ(1 − σ) β² + 1 for α, Σ σ(1 − σ) α² β² + 1 for b), caps it at ±2, and halves the step until Q increases;
///   at most `mStepIterations` steps, fewer once Q gains less than `mStepTolerance`.
///   (crowd-kit runs scipy's conjugate gradient here; the optimum is the same.)
///
/// Stops when Q per judgment gains less than `tolerance` (a decrease also stops it), or after `maxIterations`.
/// Gold items are clamped to their label in every E-step.
///
/// J. Whitehill, P. Ruvolo, T. Wu, J. Bergsma and J. Movellan (2009), "Whose Vote Should Count More: Optimal
/// Integration of Labels from Labelers of Unknown Expertise", Advances in Neural Information Processing Systems 22.
/// https://proceedings.neurips.cc/paper/2009/hash/f899139df5e1059396431415e770c6dd-Abstract.html
/// (no DOI; see also the crowd-kit description, https://doi.org/10.21105/joss.06227)
///
/// For example:
/// ```swift
/// let result = try GLAD(maxIterations: 50).aggregate(judgments)
/// result.skill(of: "ann")?.score   // ann's ability α (> 0: better than chance)
/// ```
/// - Complexity: O(iterations × mStepIterations × judgments + iterations × items × labels) time;
///   O(items × labels + judgments) memory.
public struct GLAD: LabelAggregator {
    /// The cap on EM iterations.
    public let maxIterations: Int
    /// The smallest gain in Q per judgment that keeps EM going.
    public let tolerance: Double
    /// The cap on gradient steps per M-step.
    public let mStepIterations: Int
    /// The smallest gain in Q per judgment that keeps an M-step going.
    public let mStepTolerance: Double
    /// The class prior π by label name; `nil` for uniform.
    public let labelPriors: [String: Double]?

    /// Creates the aggregator.
    ///
    /// - Parameters:
    ///   - maxIterations: The cap on EM iterations.
    ///   - tolerance: The smallest gain in Q per judgment that keeps EM going.
    ///   - mStepIterations: The cap on gradient steps per M-step.
    ///   - mStepTolerance: The smallest gain in Q per judgment that keeps an M-step going.
    ///   - labelPriors: The class prior by label name (normalised; unlisted labels get 0); `nil` for uniform.
    public init(
        maxIterations: Int = 100, tolerance: Double = 1e-5, mStepIterations: Int = 10, mStepTolerance: Double = 1e-6,
        labelPriors: [String: Double]? = nil
    ) {
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.mStepIterations = mStepIterations
        self.mStepTolerance = mStepTolerance
        self.labelPriors = labelPriors
    }

    /// Fits abilities, difficulties and posteriors by EM; gold items are clamped to their gold label.
    ///
    /// - Throws: `QualityError.empty` without judgments; `.invalidInput` for negative settings, priors that are
    ///   negative or sum to 0, or gold labels outside the coding.
    public func aggregate(_ judgments: JudgmentMatrix, gold: GoldLabels?) throws -> AggregationResult {
        let goldLabels = try checkedGold(judgments, gold)
        guard maxIterations >= 0, tolerance >= 0, mStepIterations >= 0, mStepTolerance >= 0 else {
            throw QualityError.invalidInput("GLAD's iteration caps and tolerances must be ≥ 0.")
        }
        if judgments.labelCount == 1 { return singleLabelResult(judgments) }
        var model = GLADModel(judgments, logPriors: try logPriors(judgments.labelCoding), gold: goldLabels)
        var previous = -Double.infinity
        var iterations = 0
        var converged = false
        var objective: Double?
        while iterations < maxIterations {
            iterations += 1
            model.eStep()
            model.mStep(maxSteps: mStepIterations, tolerance: mStepTolerance)
            let q = model.objective() / Double(judgments.judgmentCount)
            objective = q
            if q - previous < tolerance {
                converged = true
                break
            }
            previous = q
        }
        model.eStep()
        let (counts, accuracies) = expectedAccuracies(judgments, model.posteriors)
        let skills = (0..<judgments.workerCount).map {
            WorkerSkill(judgmentCount: counts[$0], accuracy: accuracies[$0], score: model.abilities[$0])
        }
        return makeResult(
            judgments, posteriors: model.posteriors, skills: skills, iterations: iterations,
            converged: converged, logLikelihood: objective)
    }

    private func logPriors(_ labels: LabelCoding<String>) throws -> [Double] {
        guard let labelPriors else { return [Double](repeating: -log(Double(labels.count)), count: labels.count) }
        let weights = labels.values.map { labelPriors[$0] ?? 0 }
        let total = weights.reduce(0, +)
        guard weights.allSatisfy({ $0 >= 0 && $0.isFinite }), total > 0 else {
            throw QualityError.invalidInput("label priors must be finite, ≥ 0 and not all 0: \(labelPriors).")
        }
        return weights.map { log($0 / total) }
    }
}
