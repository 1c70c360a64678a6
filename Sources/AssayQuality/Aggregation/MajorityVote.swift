/// Majority vote: each item gets the label most of its workers chose — the baseline every other aggregator must
/// beat, and the right choice when items have few judgments from similar workers.
///
/// Model: none; each judgment is one vote. The posterior of item i is the vote share
/// P(zᵢ = k) = nᵢₖ / nᵢ, and the label is its arg-max.
///
/// **Tie rule.** When labels tie for the most votes, the one that comes first in the label coding wins — by
/// default the smallest label name (numerically smallest when labels are numbers); see `JudgmentMatrix`. The tie
/// still shows in the confidence (for example 0.5 for a 1–1 split), so ties can be routed to review.
///
/// Worker skill: `accuracy` is the share of the worker's judgments that match the aggregated label (crowd-kit's
/// `MajorityVote.skills_`). Gold items take their gold label, so on gold items this is accuracy against gold.
///
/// Reference: the baseline of crowd-kit's benchmarks, D. Ustalov, N. Pavlichenko and B. Tseitlin (2024),
/// "Learning from Crowds with Crowd-Kit", Journal of Open Source Software 9(96):6227.
/// https://doi.org/10.21105/joss.06227
///
/// For example:
/// ```swift
/// let judgments = try JudgmentMatrix(triples: [
///     (item: "q1", worker: "ann", label: "cat"), (item: "q1", worker: "bob", label: "dog"),
/// ])
/// let result = try MajorityVote().aggregate(judgments)
/// result.label(of: "q1")        // "cat": a 1–1 tie goes to the first label in order
/// result.confidence(of: "q1")   // 0.5
/// ```
/// - Complexity: O(judgments + items × labels) time; O(items × labels) memory for the posteriors.
public struct MajorityVote: LabelAggregator {
    /// Creates the aggregator.
    public init() {}

    /// Counts votes per item; gold items take their gold label.
    ///
    /// - Throws: `QualityError.empty` without judgments; `.invalidInput` for gold labels outside the coding.
    public func aggregate(_ judgments: JudgmentMatrix, gold: GoldLabels?) throws -> AggregationResult {
        let goldLabels = try checkedGold(judgments, gold)
        var posteriors = voteShares(judgments)
        clamp(&posteriors, to: goldLabels, labelCount: judgments.labelCount)
        let labels = mostProbableLabels(posteriors, labelCount: judgments.labelCount)
        let (counts, accuracies) = agreementWithLabels(judgments, labels)
        let skills = zip(counts, accuracies).map { WorkerSkill(judgmentCount: $0, accuracy: $1) }
        return makeResult(
            judgments, posteriors: posteriors, labels: labels, skills: skills,
            iterations: 0, converged: true, logLikelihood: nil)
    }
}
