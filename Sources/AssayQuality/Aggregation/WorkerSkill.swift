/// How reliable one worker looks to an aggregator, for leaderboards, routing and pay decisions.
///
/// `accuracy` is comparable across aggregators; `score` and `confusion` are the model's own parameters. The confusion
/// matrix is Dawid and Skene's observer error-rate matrix (https://doi.org/10.2307/2346806).
///
/// For example:
/// ```swift
/// let skill = try DawidSkene().aggregate(judgments).skill(of: "ann")!
/// skill.accuracy                                              // estimated share of correct judgments
/// skill.probability(ofAnswer: 1, givenTruth: 0)               // P(ann says label 1 | truth is label 0)
/// ```
public struct WorkerSkill: Sendable, Equatable {
    /// The number of judgments the worker gave.
    public let judgmentCount: Int
    /// The estimated share of the worker's judgments that are correct: against the aggregated labels for voting
    /// methods, and the expected share under the posteriors, (1/n) Σ P(zᵢ = answer), for probabilistic models.
    /// 0 when the worker has no judgments.
    public let accuracy: Double
    /// The model's own skill parameter: the vote weight (weighted majority vote), the skill s (one-coin
    /// Dawid–Skene), the ability α (GLAD) or the competence θ (MACE); `nil` where the model has none.
    public let score: Double?
    /// The estimated confusion matrix, labels × labels row-major: `confusion[t * labelCount + a]` is
    /// P(answer a | true label t), each row summing to 1; `nil` for models without one.
    public let confusion: [Double]?

    /// Creates a skill estimate.
    public init(judgmentCount: Int, accuracy: Double, score: Double? = nil, confusion: [Double]? = nil) {
        self.judgmentCount = judgmentCount
        self.accuracy = accuracy
        self.score = score
        self.confusion = confusion
    }

    /// P(the worker answers label index `answer` | the true label index is `truth`), from the confusion matrix.
    public func probability(ofAnswer answer: Int, givenTruth truth: Int) -> Double? {
        guard let confusion else { return nil }
        let labelCount = Int(Double(confusion.count).squareRoot().rounded())
        return confusion[truth * labelCount + answer]
    }
}
