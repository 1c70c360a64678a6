import AssayQuality
import Foundation

/// What a queue has learned about its annotators, for the skill-weighted consensus rules: vote weights
/// (``ConsensusRule/Kind/weighted``) or confusion matrices and class prior (``ConsensusRule/Kind/dawidSkene``).
///
/// Estimated over every judgment of the queue at once (``estimate(kind:labels:judgments:gold:now:)``), with gold
/// items clamped to their reference answer, then applied item by item as judgments complete
/// (``resolve(_:minimumConfidence:)``): an item is decided with the model as it stands, and re-decided when the
/// model is estimated again. Someone the model has not seen yet counts as the queue's average annotator.
///
/// ```swift
/// let model = try ConsensusModel.estimate(kind: .dawidSkene, labels: ["spam", "none"], judgments: rows,
///                                         gold: ["item-9": "spam"], now: Date())
/// model.resolve([(annotator: "ana", label: "spam"), (annotator: "bob", label: "none")], minimumConfidence: 0.9)
/// ```
public struct ConsensusModel: Codable, Sendable, Equatable {
    /// One judgment, as the estimation reads it.
    public struct Vote: Sendable, Equatable {
        public var item: String
        public var annotator: String
        public var label: String

        public init(item: String, annotator: String, label: String) {
            self.item = item
            self.annotator = annotator
            self.label = label
        }
    }

    public var kind: ConsensusRule.Kind
    /// The label order of every vector and matrix here.
    public var labels: [String]
    /// Dawid–Skene: P(true class = k), the mean posterior over items.
    public var prior: [Double]
    /// Dawid–Skene: each annotator's confusion matrix, truth × answer, row-major; weighted: empty.
    public var confusions: [String: [Double]]
    /// Weighted: each annotator's vote weight; Dawid–Skene: empty.
    public var weights: [String: Double]
    public var estimatedAt: Date
    /// Judgments the estimate was made from.
    public var judgmentCount: Int
    public var iterations: Int
    public var converged: Bool

    /// Estimates the model from all of a queue's judgments (one label each).
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for a rule that takes no model, or a label the
    ///   schema does not have.
    public static func estimate(
        kind: ConsensusRule.Kind, labels: [String], judgments: [Vote], gold: [String: String], now: Date
    ) throws -> ConsensusModel {
        var builder = try JudgmentMatrix.Builder(labelOrder: labels)
        for vote in judgments { try builder.append(item: vote.item, worker: vote.annotator, label: vote.label) }
        return try estimate(kind: kind, labels: labels, matrix: builder.build(), gold: gold, now: now)
    }

    /// Estimates the model from a judgment matrix built with `labels` as its label order (for callers that build
    /// the matrix as they read judgments, without an array of votes in between).
    public static func estimate(
        kind: ConsensusRule.Kind, labels: [String], matrix: JudgmentMatrix, gold: [String: String], now: Date
    ) throws -> ConsensusModel {
        guard kind.isModelBased else {
            throw AssayError.invalidInput(field: "consensus.kind", line: nil, reason: "\(kind.rawValue) needs no estimate")
        }
        var model = ConsensusModel(
            kind: kind, labels: labels, prior: Array(repeating: 1 / Double(labels.count), count: labels.count),
            confusions: [:], weights: [:], estimatedAt: now, judgmentCount: matrix.judgmentCount, iterations: 0,
            converged: true)
        guard !matrix.isEmpty else { return model }
        let knownGold = GoldLabels(gold.filter { matrix.itemCoding.index(of: $0.key) != nil && labels.contains($0.value) })
        let result: AggregationResult
        switch kind {
        case .dawidSkene:
            // A light additive prior keeps a rarely seen confusion from being certain (0 or 1) for someone with few
            // judgments, so one unusual answer cannot veto an item.
            result = try DawidSkene(maxIterations: 100, tolerance: 1e-5, smoothing: 0.01)
                .aggregate(matrix, gold: knownGold.count > 0 ? knownGold : nil)
            var prior = Array(repeating: 0.0, count: labels.count)
            for item in 0..<matrix.itemCount {
                for (k, p) in result.posterior(ofItemAt: item).enumerated() { prior[k] += p }
            }
            model.prior = prior.map { $0 / Double(max(matrix.itemCount, 1)) }
            for worker in 0..<matrix.workerCount {
                if let confusion = result.workerSkills[worker].confusion {
                    model.confusions[matrix.workerName(at: worker)] = confusion
                }
            }
        default:
            result = try WeightedMajorityVote(weights: .estimated)
                .aggregate(matrix, gold: knownGold.count > 0 ? knownGold : nil)
            for worker in 0..<matrix.workerCount {
                model.weights[matrix.workerName(at: worker)] = result.workerSkills[worker].score ?? 1
            }
        }
        model.iterations = result.iterations
        model.converged = result.converged
        return model
    }

    /// The final label for one item's votes, or why there is none: a tie, or a winner below `minimumConfidence`.
    public func resolve(_ votes: [(annotator: String, label: String)], minimumConfidence: Double?) -> ConsensusOutcome {
        guard !votes.isEmpty else { return ConsensusOutcome(labels: nil, agreement: 0, reason: .noJudgments) }
        let shares = kind == .dawidSkene ? posterior(votes) : voteShares(votes)
        let ranked = shares.indices.sorted { shares[$0] > shares[$1] }
        let best = shares[ranked[0]]
        if ranked.count > 1, abs(shares[ranked[1]] - best) < 1e-9 {
            return ConsensusOutcome(labels: nil, agreement: best, reason: .tie)
        }
        if let minimumConfidence, best + 1e-12 < minimumConfidence {
            return ConsensusOutcome(labels: nil, agreement: best, reason: .belowMinimumAgreement)
        }
        return ConsensusOutcome(labels: [labels[ranked[0]]], agreement: best, reason: nil)
    }

    /// P(true class = k | votes) ∝ πₖ Πⱼ e_{wⱼ}[lⱼ | k], in log space.
    private func posterior(_ votes: [(annotator: String, label: String)]) -> [Double] {
        let count = labels.count
        var logs = prior.map { log(max($0, 1e-12)) }
        for vote in votes {
            guard let answer = labels.firstIndex(of: vote.label) else { continue }
            let confusion = confusions[vote.annotator] ?? averageConfusion
            for truth in 0..<count { logs[truth] += log(max(confusion[truth * count + answer], 1e-12)) }
        }
        let top = logs.max() ?? 0
        let unnormalised = logs.map { exp($0 - top) }
        let total = unnormalised.reduce(0, +)
        return unnormalised.map { $0 / total }
    }

    /// Each label's share of the weighted votes; plain shares when every voter weighs 0.
    private func voteShares(_ votes: [(annotator: String, label: String)]) -> [Double] {
        var scores = Array(repeating: 0.0, count: labels.count)
        var plain = scores
        for vote in votes {
            guard let index = labels.firstIndex(of: vote.label) else { continue }
            scores[index] += weights[vote.annotator] ?? averageWeight
            plain[index] += 1
        }
        let total = scores.reduce(0, +)
        guard total > 0 else { return plain.map { $0 / Double(votes.count) } }
        return scores.map { $0 / total }
    }

    /// The confusion matrix of someone the model has not met: the mean of everyone's (uniform before anyone).
    private var averageConfusion: [Double] {
        let size = labels.count * labels.count
        guard !confusions.isEmpty else {
            return (0..<size).map { _ in 1 / Double(labels.count) }
        }
        var sum = Array(repeating: 0.0, count: size)
        for matrix in confusions.values where matrix.count == size {
            for index in 0..<size { sum[index] += matrix[index] }
        }
        return sum.map { $0 / Double(confusions.count) }
    }

    private var averageWeight: Double {
        weights.isEmpty ? 1 : weights.values.reduce(0, +) / Double(weights.count)
    }

    enum CodingKeys: String, CodingKey {
        case kind, labels, prior, confusions, weights, iterations, converged
        case estimatedAt = "estimated_at", judgmentCount = "judgment_count"
    }
}
