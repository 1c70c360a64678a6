/// Weighted majority vote: each worker's vote counts with a weight — given (say, from a qualification test) or
/// estimated from how often the worker agrees with the weighted consensus — so reliable workers outvote careless
/// ones without fitting a full probabilistic model.
///
/// Model: the score of label k for item i is Σ_w v_w · [worker w answered k on i]; the posterior is the weight share
/// P(zᵢ = k) = scoreₖ / Σ scores, and the label is its arg-max (ties: the first label in coding order, as in
/// `MajorityVote`). An item whose workers all weigh 0 falls back to plain vote shares.
///
/// Estimated weights follow iterative weighted majority voting (IWMV): start from v_w = 1 (majority vote);
/// repeat — estimate each worker's accuracy âᵥ as the share of their judgments equal to the current labels,
/// set v_w = max(0, L · âᵥ − 1) with L the number of labels (the weight that optimises the paper's error bound;
/// a worker at chance level L⁻¹ gets 0, and worse-than-chance workers are clipped to 0 rather than flipped),
/// and re-vote. Stops when no item's label changes, or after `maxIterations` rounds.
///
/// H. Li and B. Yu (2014), "Error Rate Bounds and Iterative Weighted Majority Voting for Crowdsourcing".
/// https://arxiv.org/abs/1411.4086
///
/// For example:
/// ```swift
/// let byQualification = WeightedMajorityVote(weights: .given(["ann": 3, "bob": 1]))
/// let estimated = WeightedMajorityVote(weights: .estimated, maxIterations: 10)
/// let result = try estimated.aggregate(judgments)
/// result.skill(of: "ann")?.score   // ann's estimated weight
/// ```
/// - Complexity: O(rounds × (judgments + items × labels)) time; O(items × labels + workers) memory.
public struct WeightedMajorityVote: LabelAggregator {
    /// Where the vote weights come from.
    public enum Weights: Sendable, Equatable {
        /// Fixed weights by worker name (each ≥ 0); workers not listed weigh `otherwise`.
        case given([String: Double], otherwise: Double = 1)
        /// Weights estimated from agreement with the weighted consensus (IWMV).
        case estimated
    }

    /// Where the weights come from.
    public let weights: Weights
    /// The cap on re-voting rounds for estimated weights.
    public let maxIterations: Int

    /// Creates the aggregator.
    ///
    /// - Parameters:
    ///   - weights: Given weights, or `.estimated` to learn them from the data.
    ///   - maxIterations: The cap on re-voting rounds when weights are estimated.
    public init(weights: Weights = .estimated, maxIterations: Int = 20) {
        self.weights = weights
        self.maxIterations = maxIterations
    }

    /// Votes with the given or estimated weights; gold items take their gold label and so shape the estimated
    /// weights.
    ///
    /// - Throws: `QualityError.empty` without judgments; `.invalidInput` for a negative or non-finite weight, a
    ///   negative iteration cap, or gold labels outside the coding.
    public func aggregate(_ judgments: JudgmentMatrix, gold: GoldLabels?) throws -> AggregationResult {
        let goldLabels = try checkedGold(judgments, gold)
        guard maxIterations >= 0 else { throw QualityError.invalidInput("maxIterations must be ≥ 0.") }
        if judgments.labelCount == 1 { return singleLabelResult(judgments) }
        var workerWeights = try initialWeights(judgments)
        var posteriors = voteShares(judgments, weights: workerWeights)
        clamp(&posteriors, to: goldLabels, labelCount: judgments.labelCount)
        var labels = mostProbableLabels(posteriors, labelCount: judgments.labelCount)
        var rounds = 0
        var converged = true
        if weights == .estimated {
            converged = false
            while rounds < maxIterations {
                rounds += 1
                let accuracies = agreementWithLabels(judgments, labels).accuracies
                workerWeights = accuracies.map { max(0, Double(judgments.labelCount) * $0 - 1) }
                posteriors = voteShares(judgments, weights: workerWeights)
                clamp(&posteriors, to: goldLabels, labelCount: judgments.labelCount)
                let next = mostProbableLabels(posteriors, labelCount: judgments.labelCount)
                let isStable = next == labels
                labels = next
                if isStable {
                    converged = true
                    break
                }
            }
        }
        let (counts, accuracies) = agreementWithLabels(judgments, labels)
        let skills = judgments.workerCoding.values.indices.map {
            WorkerSkill(judgmentCount: counts[$0], accuracy: accuracies[$0], score: workerWeights[$0])
        }
        return makeResult(
            judgments, posteriors: posteriors, labels: labels, skills: skills,
            iterations: rounds, converged: converged, logLikelihood: nil)
    }

    private func initialWeights(_ judgments: JudgmentMatrix) throws -> [Double] {
        guard case .given(let byName, let otherwise) = weights else {
            return [Double](repeating: 1, count: judgments.workerCount)
        }
        if let (name, weight) = byName.first(where: { !($0.value >= 0 && $0.value.isFinite) }) {
            throw QualityError.invalidInput("weight \(weight) of worker '\(name)' must be a finite number ≥ 0.")
        }
        guard otherwise >= 0, otherwise.isFinite else {
            throw QualityError.invalidInput("the default weight \(otherwise) must be a finite number ≥ 0.")
        }
        return judgments.workerCoding.values.map { byName[$0] ?? otherwise }
    }
}
