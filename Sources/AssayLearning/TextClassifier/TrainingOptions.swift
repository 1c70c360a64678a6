/// The settings of ``TextClassifier`` training. The defaults suit short user-generated text from a few thousand to
/// millions of examples; `bench/learning` shows how they compare.
public struct TrainingOptions: Sendable, Equatable, Codable {
    /// How classes are weighted in the loss.
    public enum ClassWeighting: String, Sendable, Equatable, Codable, CaseIterable {
        /// Every example counts once: the model aims at accuracy and favours common classes.
        case none
        /// A class's examples weigh n / (K · nₖ), so every class counts alike: the model aims at macro-F1 and
        /// finds more of the rare, often most harmful, classes.
        case balanced
    }

    /// The features of a text.
    public var features: TextFeatures
    /// Passes over the training data.
    public var epochs: Int
    /// The L2 penalty λ on the weights (per example; larger is smoother).
    public var l2: Double
    /// The initial step size η₀ of stochastic gradient descent.
    public var learningRate: Double
    /// The class weighting of the loss, and of the decision.
    public var classWeighting: ClassWeighting
    /// The share of examples held out, stratified by class, to calibrate probabilities and report held-out
    /// figures (0 turns calibration off).
    public var calibrationShare: Double
    /// Whether the model kept learns from every example, the held-out ones included. The calibration and the
    /// held-out figures then come from a twin fitted without the held-out examples (at the same time, on another
    /// core), and describe the kept model closely rather than exactly. On by default: on five folds of the Davidson
    /// et al. tweets it raised macro-F1 from 0.7472 to 0.7490 (`bench/learning/run.sh crossval`), since a tenth of
    /// the examples is no longer lost to calibration; the calibration error on a test fold rose from 0.013 to 0.015
    /// (means of three seeds).
    public var refit: Bool
    /// The seed of the shuffles and the held-out draw: the same data and seed give the same model.
    public var seed: UInt64

    /// Makes training settings.
    public init(
        features: TextFeatures = TextFeatures(), epochs: Int = 10, l2: Double = 1e-5, learningRate: Double = 1,
        classWeighting: ClassWeighting = .balanced, calibrationShare: Double = 0.1, refit: Bool = true,
        seed: UInt64 = 1
    ) {
        self.features = features
        self.epochs = epochs
        self.l2 = l2
        self.learningRate = learningRate
        self.classWeighting = classWeighting
        self.calibrationShare = calibrationShare
        self.refit = refit
        self.seed = seed
    }

    /// Checks every setting.
    ///
    /// - Throws: ``LearningError/invalidOptions(_:)`` naming the setting at fault.
    public func validate() throws {
        try features.validate()
        guard (1...1_000).contains(epochs) else { throw LearningError.invalidOptions("epochs must be 1…1000, not \(epochs)") }
        guard l2 >= 0, l2 < 1 else { throw LearningError.invalidOptions("the L2 penalty must be in [0, 1), not \(l2)") }
        guard learningRate > 0, learningRate <= 100 else {
            throw LearningError.invalidOptions("the learning rate must be in (0, 100], not \(learningRate)")
        }
        guard calibrationShare >= 0, calibrationShare < 0.5 else {
            throw LearningError.invalidOptions("the calibration share must be in [0, 0.5), not \(calibrationShare)")
        }
    }
}
