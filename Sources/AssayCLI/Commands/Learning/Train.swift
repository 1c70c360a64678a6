import ArgumentParser
import AssayCore
import AssayLearning
import AssayStore
import AssayQuality
import Foundation

/// `assay train DATA --text-column text --label-column label --out MODEL`: trains Assay's built-in text classifier
/// on a CSV or JSON Lines file, the way `fasttext supervised` does, and saves it as a model file. With `--queue`
/// instead of a file, it trains on the final labels a queue's people decided and scores the model on the queue's gold.
struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the built-in text classifier on a labelled CSV or JSON Lines file.",
        discussion: """
            The classifier hashes word and character n-grams, fits a multinomial logistic regression (averaged SGD, \
            L2, class weighting) and calibrates its probabilities on a held-out tenth of the examples. It prints what \
            it saw, its held-out figures, and with --test its scores on another file.

            With --queue Q instead of a file, the examples are the queue's items whose final label people decided \
            (the text of --text-field), and the test is the queue's gold, which never gets a final label and so is \
            held out by construction. `assay predict --queue` then makes the model a predictor of the queue.

            Examples:
              assay train posts.csv --text-column text --label-column label \\
                  --out posts.model
              assay train train.jsonl --label-column class --test test.jsonl \\
                  --out model.bin --json
              assay train --queue comments-en --out comments.model
            """)

    @Argument(help: "The training examples: a CSV with a header, or JSON Lines (or use --queue).")
    var data: String?

    @Option(help: "Train on this queue's final labels and test on its gold, instead of a file.")
    var queue: String?

    @Option(help: "With --queue: the item content field(s) to read as text (repeatable).")
    var textField: [String] = ["text"]

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The column holding the text.")
    var textColumn = "text"

    @Option(help: "The column holding the label.")
    var labelColumn = "label"

    @Option(help: "Where to write the model file.")
    var out: String

    @Option(help: "The input format, when the file name does not say (jsonl or csv).")
    var format: ImportFormat?

    @Option(help: "Labelled examples to score the trained model on (same columns).")
    var test: String?

    @Option(help: "Passes over the training data.")
    var epochs = TrainingOptions().epochs

    @Option(help: "The L2 penalty on the weights.")
    var l2 = TrainingOptions().l2

    @Option(help: "The initial SGD step size.")
    var learningRate = TrainingOptions().learningRate

    @Option(help: "Class weighting: balanced (every class counts alike; aims at macro-F1) or none (aims at accuracy).")
    var classWeight = TrainingOptions().classWeighting

    @Option(help: "Word n-gram lengths, as 1-2, or none.")
    var wordNgrams = "1-2"

    @Option(help: "Character n-gram lengths within words, as 3-5, or none.")
    var charNgrams = "3-5"

    @Option(help: "log2 of the number of hash buckets (10-22).")
    var bucketBits = TextFeatures().bucketBits

    @Option(help: "The share of examples held out to calibrate probabilities (0 for none).")
    var calibrationShare = TrainingOptions().calibrationShare

    @Flag(inversion: .prefixedNo, help: "Fit the model kept on every example, the held-out ones included (the calibration comes from a twin fitted without them, on another core); --no-refit keeps the model the calibration was fitted for.")
    var refit = TrainingOptions().refit

    @Option(help: "The random seed: the same data and seed give the same model.")
    var seed: UInt64 = 1

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        guard (data == nil) != (queue == nil) else { throw ValidationError("give a training file or --queue, not both or neither") }
        if queue != nil, test != nil { throw ValidationError("--queue tests on the queue's gold; leave out --test") }
        _ = try trainingOptions()
    }

    func run() async throws {
        let options = try trainingOptions()
        if let queue { return try await trainOnQueue(queue, options: options) }
        let data = self.data!
        var trainer: TextClassifier.Trainer
        do { trainer = try TextClassifier.Trainer(options: options) } catch let error as LearningError {
            throw CommandFailure(description: error.description)
        }
        let columns = TextExample.Columns(text: textColumn, label: labelColumn)
        // The test file is read first: a bad one stops the command before a model is trained or written (an
        // existing file at --out was replaced, then the command failed).
        var testTexts: [String] = [], testLabels: [String] = []
        if let test {
            try await CommandFailure.reporting(file: test) {
                try TextExampleFiles.forEachBatch(of: test, format: format, columns: columns) { batch in
                    for example in batch {
                        testTexts.append(example.text)
                        testLabels.append(example.label ?? "")
                    }
                }
            }
            guard !testTexts.isEmpty else { throw CommandFailure(description: "\(test): the file has no examples to test on") }
        }
        let start = ContinuousClock.now
        try await CommandFailure.reporting(file: data) {
            try TextExampleFiles.forEachBatch(of: data, format: format, columns: columns) { batch in
                try trainer.add(contentsOf: batch.map(\.text), labels: batch.map { $0.label ?? "" })
            }
        }
        let exampleCount = trainer.exampleCount
        let classifier: TextClassifier
        do {
            classifier = try QualityFiles.timed("Training on \(exampleCount) examples", quiet: json) {
                try trainer.train()
            }.value
        } catch let error as LearningError {
            throw CommandFailure(description: "\(data): \(error.description)")
        }
        let seconds = (ContinuousClock.now - start).seconds
        var evaluation: Evaluation?
        if test != nil { evaluation = try classifier.evaluate(texts: testTexts, labels: testLabels) }
        let bytes = classifier.encoded()
        let output = try OutputFile(path: out)
        output.write(Data(bytes))
        try output.finish()
        let summary = TrainSummary(
            classifier: classifier, seconds: seconds, model: out, modelBytes: bytes.count, evaluation: evaluation)
        if json { try QualityFiles.printJSON(summary) } else { print(summary.text) }
    }

    /// Trains on a queue's final labels, tests on its gold, and writes the model.
    private func trainOnQueue(_ name: String, options: TrainingOptions) async throws {
        let start = ContinuousClock.now
        let (classifier, gold, leftOut) = try await CommandFailure.reporting {
            try await database.withStore { store in
                let queue = try await store.queue(name)
                do {
                    return try await QueueClassifier.train(on: queue, in: store, fields: textField, options: options)
                } catch let error as LearningError {
                    throw CommandFailure(description: "queue '\(name)': \(error.description)")
                }
            }
        }
        let bytes = classifier.encoded()
        let output = try OutputFile(path: out)
        output.write(Data(bytes))
        try output.finish()
        var summary = TrainSummary(
            classifier: classifier, seconds: (ContinuousClock.now - start).seconds, model: out, modelBytes: bytes.count,
            evaluation: gold)
        summary.leftOut = leftOut
        if json {
            try QualityFiles.printJSON(summary)
        } else {
            print(summary.text.replacingOccurrences(of: "Test on", with: "Gold:"))
            print("Of the queue's final labels, \(leftOut.text).")
        }
    }

    private func trainingOptions() throws -> TrainingOptions {
        let options = TrainingOptions(
            features: TextFeatures(
                wordNGrams: try Self.range(wordNgrams, option: "--word-ngrams"),
                characterNGrams: try Self.range(charNgrams, option: "--char-ngrams"), bucketBits: bucketBits),
            epochs: epochs, l2: l2, learningRate: learningRate, classWeighting: classWeight,
            calibrationShare: calibrationShare, refit: refit, seed: seed)
        do { try options.validate() } catch let error as LearningError { throw ValidationError(error.description) }
        return options
    }

    /// "1-2" → 1...2, "3" → 3...3, "none" → nil.
    static func range(_ text: String, option: String) throws -> ClosedRange<Int>? {
        if text == "none" { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(parts.count), let low = parts.first ?? nil, let high = parts.last ?? nil, low <= high else {
            throw ValidationError("\(option) must be a length range such as 1-2, a single length, or none; not '\(text)'")
        }
        return low...high
    }
}

extension TrainingOptions.ClassWeighting: ExpressibleByArgument {}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// What `assay train` prints, as JSON (snake_case keys) or text.
struct TrainSummary: Encodable {
    struct LabelCount: Encodable {
        let label: String
        let examples: Int
    }

    struct HeldOut: Encodable {
        let examples: Int
        let accuracy: Double
        let macroF1: Double
        let calibrationErrorBefore: Double
        let calibrationErrorAfter: Double

        enum CodingKeys: String, CodingKey {
            case examples, accuracy
            case macroF1 = "macro_f1"
            case calibrationErrorBefore = "calibration_error_before"
            case calibrationErrorAfter = "calibration_error_after"
        }
    }

    struct Test: Encodable {
        let examples: Int
        let accuracy: Double
        let macroF1: Double
        let weightedF1: Double
        let calibrationError: Double
        let perLabel: [LabelScores]

        enum CodingKeys: String, CodingKey {
            case examples, accuracy
            case macroF1 = "macro_f1"
            case weightedF1 = "weighted_f1"
            case calibrationError = "calibration_error"
            case perLabel = "per_label"
        }
    }

    struct LabelScores: Encodable {
        let label: String
        let precision: Double
        let recall: Double
        let f1: Double
        let support: Int
        /// How often the model predicted the label.
        let predicted: Int
    }

    let model: String
    let modelVersion: String
    let modelBytes: Int
    let examples: Int
    let labels: [LabelCount]
    let seconds: Double
    let heldOut: HeldOut?
    let test: Test?
    /// Trained on a queue: what of its final labels was left out.
    var leftOut: QueueClassifier.LeftOut?

    enum CodingKeys: String, CodingKey {
        case model, examples, labels, seconds, test
        case modelVersion = "model_version"
        case modelBytes = "model_bytes"
        case heldOut = "held_out"
        case leftOut = "left_out"
    }

    init(classifier: TextClassifier, seconds: Double, model: String, modelBytes: Int, evaluation: Evaluation?) {
        self.model = model
        modelVersion = classifier.summary.modelVersion
        self.modelBytes = modelBytes
        examples = classifier.summary.exampleCount
        labels = zip(classifier.labels, classifier.summary.labelCounts).map { LabelCount(label: $0, examples: $1) }
        self.seconds = seconds
        heldOut = classifier.summary.heldOut.map {
            HeldOut(
                examples: $0.count, accuracy: $0.accuracy, macroF1: $0.macroF1,
                calibrationErrorBefore: $0.calibrationErrorBefore, calibrationErrorAfter: $0.calibrationErrorAfter)
        }
        test = evaluation.map { evaluation in
            Test(
                examples: evaluation.predictions.count, accuracy: evaluation.report.accuracy.value,
                macroF1: evaluation.report.macroF1, weightedF1: evaluation.report.weightedF1,
                calibrationError: evaluation.calibration.expected,
                perLabel: evaluation.report.perLabel.map {
                    LabelScores(
                        label: $0.label, precision: $0.precision.value, recall: $0.recall.value, f1: $0.f1,
                        support: $0.support, predicted: $0.precision.trials)
                })
        }
    }

    var text: String {
        var lines = [
            "Trained \(modelVersion) on \(examples) examples in \(String(format: "%.2f", seconds)) s; "
                + "wrote \(model) (\(modelBytes) bytes).",
            "Labels: " + labels.map { "\($0.label) (\($0.examples))" }.joined(separator: ", "),
        ]
        if let heldOut {
            lines.append(String(
                format: "Held out %d examples: accuracy %.3f, macro-F1 %.3f, calibration error %.3f before, %.3f after.",
                heldOut.examples, heldOut.accuracy, heldOut.macroF1, heldOut.calibrationErrorBefore,
                heldOut.calibrationErrorAfter))
        }
        if let test {
            lines.append(String(
                format: "Test on %d examples: accuracy %.3f, macro-F1 %.3f, weighted F1 %.3f, calibration error %.3f.",
                test.examples, test.accuracy, test.macroF1, test.weightedF1, test.calibrationError))
            // The label column is as wide as the longest label: `padding(toLength:)` alone would cut
            // "monetisation_abuse" to "monetisation_".
            let width = max(13, test.perLabel.map(\.label.count).max() ?? 0)
            func column(_ text: String) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
            lines.append(column("label") + " precision  recall  F1     support")
            for label in test.perLabel {
                // A label neither in the test set nor predicted has no scores (and no part in macro-F1): not zeros.
                lines.append(
                    column(label.label)
                        + (label.support == 0 && label.predicted == 0
                            ? " —          —       —      0 (not in the test set, never predicted)"
                            : String(format: " %.3f      %.3f   %.3f  %d", label.precision, label.recall, label.f1, label.support)))
            }
        }
        return lines.joined(separator: "\n")
    }
}
