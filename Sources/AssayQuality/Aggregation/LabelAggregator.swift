/// Infers one label per item from several workers' judgments, and how much to trust each worker — the one shape
/// shared by majority vote, weighted vote, Dawid–Skene, one-coin Dawid–Skene, GLAD and MACE, so that a caller
/// (the CLI's `--method`, the server's consensus rule) picks an algorithm once and treats them alike after that.
///
/// Configuration lives in the aggregator's stored `let` properties; `aggregate` has no side effects and returns an
/// immutable `AggregationResult`.
///
/// For example:
/// ```swift
/// let judgments = try JudgmentMatrix(triples: [
///     (item: "post-1", worker: "ann", label: "spam"), (item: "post-1", worker: "bob", label: "spam"),
///     (item: "post-1", worker: "cat", label: "ham"),
/// ])
/// let method = "ds"
/// let aggregator: any LabelAggregator = switch method {
///     case "mv": MajorityVote()
///     case "ds": DawidSkene(maxIterations: 50)
///     default: MACE()
/// }
/// let result = try aggregator.aggregate(judgments, gold: nil)
/// result.label(of: "post-1")   // "spam"
/// ```
public protocol LabelAggregator: Sendable {
    /// Aggregates `judgments` into a label and a posterior per item and a skill per worker.
    ///
    /// - Parameters:
    ///   - judgments: The judgments to aggregate.
    ///   - gold: Known labels; those items are clamped to their gold label throughout, which also calibrates the
    ///     workers who judged them.
    /// - Returns: Per-item labels and posteriors, per-worker skills, and the fit's iteration count.
    /// - Throws: `QualityError.empty` without judgments; `.invalidInput` for bad configuration or gold labels.
    func aggregate(_ judgments: JudgmentMatrix, gold: GoldLabels?) throws -> AggregationResult
}

extension LabelAggregator {
    /// Aggregates `judgments` without gold labels.
    public func aggregate(_ judgments: JudgmentMatrix) throws -> AggregationResult {
        try aggregate(judgments, gold: nil)
    }
}

/// The outcome of label aggregation: a label and posterior per item, a skill estimate per worker, and how the fit
/// went.
///
/// Items and workers are indexed as in the judgment matrix it came from; the name-based accessors look them up.
/// `posteriors` is dense items × labels (the algorithms need one row per item anyway), never items × workers.
/// The shape follows crowd-kit's `labels_`, `probas_` and `skills_` (https://doi.org/10.21105/joss.06227), as one
/// immutable value instead of fitted state.
///
/// For example:
/// ```swift
/// let result = try MajorityVote().aggregate(judgments)
/// result.label(of: "post-1")        // "spam"
/// result.confidence(of: "post-1")   // 2/3: the share of votes
/// result.skill(of: "cat")?.accuracy // 0.5: cat agreed with the majority on post-2 only
/// ```
public struct AggregationResult: Sendable {
    /// Item names ↔ item indices.
    public let itemCoding: LabelCoding<String>
    /// Worker names ↔ worker indices.
    public let workerCoding: LabelCoding<String>
    /// Label names ↔ label indices.
    public let labelCoding: LabelCoding<String>
    /// The aggregated label index of each item.
    public let labelIndices: [Int32]
    /// P(true label = k | judgments) for item i at `posteriors[i * labelCount + k]`; each row sums to 1.
    public let posteriors: [Double]
    /// The skill estimate of each worker, by worker index.
    public let workerSkills: [WorkerSkill]
    /// The number of update rounds run (0 for one-pass methods).
    public let iterations: Int
    /// Whether the stopping rule was met before the iteration cap (always `true` for one-pass methods).
    public let converged: Bool
    /// The model's objective at the end, per judgment, for probabilistic models; `nil` for voting methods.
    public let logLikelihood: Double?

    /// Creates a result from its parts; `posteriors` must have `itemCoding.count × labelCoding.count` entries.
    public init(
        itemCoding: LabelCoding<String>, workerCoding: LabelCoding<String>, labelCoding: LabelCoding<String>,
        labelIndices: [Int32], posteriors: [Double], workerSkills: [WorkerSkill],
        iterations: Int, converged: Bool, logLikelihood: Double?
    ) {
        precondition(posteriors.count == itemCoding.count * labelCoding.count, "posteriors must be items × labels")
        self.itemCoding = itemCoding
        self.workerCoding = workerCoding
        self.labelCoding = labelCoding
        self.labelIndices = labelIndices
        self.posteriors = posteriors
        self.workerSkills = workerSkills
        self.iterations = iterations
        self.converged = converged
        self.logLikelihood = logLikelihood
    }

    /// The number of labels.
    public var labelCount: Int { labelCoding.count }

    /// The aggregated label of `item`, or `nil` for an unknown item.
    public func label(of item: String) -> String? {
        itemCoding.index(of: item).map { labelCoding.value(at: Int(labelIndices[$0])) }
    }

    /// The posterior probability of `item`'s aggregated label, or `nil` for an unknown item.
    public func confidence(of item: String) -> Double? {
        itemCoding.index(of: item).map(confidence(ofItemAt:))
    }

    /// The posterior probability of item `index`'s aggregated label.
    public func confidence(ofItemAt index: Int) -> Double {
        posteriors[index * labelCount + Int(labelIndices[index])]
    }

    /// The posterior over labels of item `index`, in label order.
    public func posterior(ofItemAt index: Int) -> ArraySlice<Double> {
        posteriors[(index * labelCount)..<((index + 1) * labelCount)]
    }

    /// The posterior over labels of `item`, keyed by label name, or `nil` for an unknown item.
    public func posterior(of item: String) -> [String: Double]? {
        guard let index = itemCoding.index(of: item) else { return nil }
        return Dictionary(uniqueKeysWithValues: zip(labelCoding.values, posterior(ofItemAt: index)))
    }

    /// The skill estimate of `worker`, or `nil` for an unknown worker.
    public func skill(of worker: String) -> WorkerSkill? {
        workerCoding.index(of: worker).map { workerSkills[$0] }
    }
}
