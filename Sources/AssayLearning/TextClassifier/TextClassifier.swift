import AssayQuality
import Foundation

/// Assay's built-in text classifier: hashed word and character n-grams (``TextFeatures``), multinomial logistic
/// regression fitted by averaged SGD with L2 regularisation and class weighting (``SoftmaxRegression``), and
/// probabilities calibrated on held-out examples (``ProbabilityCalibration``).
///
/// It trains in about a second on tens of thousands of posts, needs no vocabulary, and its confidences can be
/// trusted as probabilities, which is what auto-accept thresholds, uncertainty ordering and label-error detection
/// rest on.
///
/// Decision rule: the predicted label is the one the trained model scores highest, so class weighting shapes the
/// decision (with balanced weights a rare class is predicted more readily, as the weighting intends). The
/// prediction's `confidence` is the calibrated probability of that label, so a rare-class prediction may honestly
/// say 0.4.
///
/// For example:
/// ```swift
/// let classifier = try TextClassifier.train(
///     texts: ["buy cheap pills now", "lovely weather today", "cheap pills!!", "see you at lunch"],
///     labels: ["spam", "none", "spam", "none"],
///     options: TrainingOptions(calibrationShare: 0))
/// let prediction = classifier.predict("cheap pills here")
/// prediction.label        // "spam"
/// prediction.confidence   // P(spam | text)
/// let bytes = classifier.encoded()                 // a model file
/// let again = try TextClassifier(decoding: bytes)  // the same classifier
/// ```
public struct TextClassifier: Sendable {
    /// The labels, in the order of every probability array.
    public let labels: [String]
    /// The settings it was trained with.
    public let options: TrainingOptions
    /// The calibration of its scores.
    public let calibration: ProbabilityCalibration
    /// What training saw and measured.
    public let summary: TrainingSummary
    let idf: [Float]
    let idfDocumentCount: Int
    let model: SoftmaxRegression

    init(
        labels: [String], options: TrainingOptions, calibration: ProbabilityCalibration,
        summary: TrainingSummary, idf: [Float], idfDocumentCount: Int, model: SoftmaxRegression
    ) {
        self.labels = labels
        self.options = options
        self.calibration = calibration
        self.summary = summary
        self.idf = idf
        self.idfDocumentCount = idfDocumentCount
        self.model = model
    }

    /// One prediction.
    public struct Prediction: Sendable, Equatable {
        /// The predicted label.
        public let label: String
        /// The calibrated probability of the predicted label.
        public let confidence: Double
        /// The calibrated probability of every label, in ``TextClassifier/labels`` order.
        public let probabilities: [Double]
    }

    /// Trains a classifier on texts and their labels.
    ///
    /// - Throws: ``LearningError`` for unequal lengths, invalid options, or data that cannot train a model.
    public static func train(
        texts: [String], labels: [String], options: TrainingOptions = TrainingOptions()
    ) throws -> TextClassifier {
        guard texts.count == labels.count else {
            throw LearningError.invalidInput("there are \(texts.count) texts and \(labels.count) labels; pair them one to one")
        }
        var trainer = try Trainer(options: options)
        try trainer.add(contentsOf: texts, labels: labels)
        return try trainer.train()
    }

    /// Predicts the label of one text.
    public func predict(_ text: String) -> Prediction {
        predict([text])[0]
    }

    /// Predicts the labels of many texts.
    public func predict(_ texts: some Sequence<String>) -> [Prediction] {
        var matrix = emptyMatrix()
        matrix.append(contentsOf: Array(texts))
        return (0..<matrix.rowCount).map { prediction(forRow: $0, in: matrix) }
    }

    /// Scores labelled texts: accuracy, per-label precision, recall and F1, and calibration.
    ///
    /// - Throws: ``LearningError/invalidInput(_:)`` for unequal lengths or no texts.
    public func evaluate(texts: [String], labels truth: [String]) throws -> Evaluation {
        guard texts.count == truth.count, !texts.isEmpty else {
            throw LearningError.invalidInput("evaluation needs as many labels as texts, and at least one (\(texts.count) texts, \(truth.count) labels)")
        }
        return try Evaluation(predictions: predict(texts), truth: truth, labels: labels)
    }

    /// A matrix that weights texts as this classifier's training did.
    func emptyMatrix() -> FeatureMatrix {
        FeatureMatrix(features: options.features, idf: idf, documentCount: idfDocumentCount)
    }

    func prediction(forRow row: Int, in matrix: FeatureMatrix) -> Prediction {
        let scores = model.logits(ofRow: row, in: matrix)
        let probabilities = calibration.probabilities(scores)
        let chosen = highestIndex(scores)
        return Prediction(label: labels[chosen], confidence: probabilities[chosen], probabilities: probabilities)
    }
}

/// What training saw and what it measured on the held-out examples.
public struct TrainingSummary: Sendable, Equatable, Codable {
    /// The number of training examples.
    public var exampleCount: Int
    /// Examples per label, in label order.
    public var labelCounts: [Int]
    /// Figures on the held-out calibration examples (nil when calibration was off).
    public var heldOut: HeldOutFigures?
    /// An identifier of this model's content: two files with the same version hold the same model.
    public var modelVersion: String

    /// Held-out figures, measured on the model trained without the held-out examples.
    public struct HeldOutFigures: Sendable, Equatable, Codable {
        /// The number of held-out examples.
        public var count: Int
        /// Share predicted right.
        public var accuracy: Double
        /// Unweighted mean F1 over labels.
        public var macroF1: Double
        /// Expected calibration error of the raw softmax scores.
        public var calibrationErrorBefore: Double
        /// Expected calibration error after calibration, each held-out row calibrated by a calibration fitted on
        /// the other held-out rows (five folds, or as many as there are rows under five), so that it is not
        /// measured on the rows it was fitted to. With `refit`, the model kept is fitted on every row; these figures
        /// are its twin's, fitted without the held-out rows.
        public var calibrationErrorAfter: Double
    }
}

/// A classifier's scores on labelled texts.
public struct Evaluation: Sendable {
    /// The predictions, parallel to the texts.
    public let predictions: [TextClassifier.Prediction]
    /// Accuracy, per-label precision, recall and F1, with intervals.
    public let report: ClassificationReport
    /// How well confidences match accuracy.
    public let calibration: CalibrationError

    init(predictions: [TextClassifier.Prediction], truth: [String], labels: [String]) throws {
        self.predictions = predictions
        let order = labels + Array(Set(truth).subtracting(labels)).sorted()
        do {
            report = ClassificationReport(try ConfusionMatrix(truth: truth, predicted: predictions.map(\.label), labels: order))
            calibration = try CalibrationError(
                confidences: predictions.map(\.confidence), correct: zip(predictions, truth).map { $0.label == $1 })
        } catch let error as QualityError {
            throw LearningError.invalidInput(error.description)
        }
    }
}
