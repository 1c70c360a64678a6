import AssayQuality

/// Predicted probabilities for every example from a classifier that never saw it: the examples are split into k
/// folds stratified by label, and each fold is predicted by a ``TextClassifier`` trained on the other k − 1.
///
/// Label-error detection needs these: a model asked about its own training examples agrees with their labels, wrong
/// ones included, because it has fitted them. Out of fold, a label that contradicts what the rest of the data teaches
/// stands out.
///
/// For example:
/// ```swift
/// let probabilities = try OutOfFoldPredictions(folds: 5).probabilities(texts: texts, labels: labels)
/// probabilities.labels          // the label order of every row
/// probabilities.rows[0]         // P(label | text 0), from a model trained without text 0
/// ```
/// - Complexity: k trainings on (k − 1)/k of the data each.
public struct OutOfFoldPredictions: Sendable {
    /// The probabilities: one row per example, in ``labels`` order.
    public struct Probabilities: Sendable, Equatable {
        /// The labels, sorted, in the order of each row.
        public let labels: [String]
        /// One row per example, in input order.
        public let rows: [[Double]]
    }

    /// How many folds (2 to 20).
    public let folds: Int
    /// How each fold's classifier is trained (its seed also shuffles the folds).
    public let options: TrainingOptions

    /// Makes the procedure.
    public init(folds: Int = 5, options: TrainingOptions = TrainingOptions()) {
        self.folds = folds
        self.options = options
    }

    /// Predicts every example out of fold.
    ///
    /// - Throws: ``LearningError/invalidInput(_:)`` for unequal lengths; ``LearningError/invalidOptions(_:)`` for a
    ///   fold count out of range; ``LearningError/notEnoughData(_:)`` with fewer than two labels or fewer examples of
    ///   a label than folds.
    public func probabilities(texts: [String], labels: [String]) throws -> Probabilities {
        guard texts.count == labels.count else {
            throw LearningError.invalidInput("there are \(texts.count) texts and \(labels.count) labels; pair them one to one")
        }
        guard (2...20).contains(folds) else { throw LearningError.invalidOptions("folds must be 2…20, not \(folds)") }
        let names = Array(Set(labels)).sorted()
        guard names.count >= 2 else { throw LearningError.notEnoughData("label-error detection needs two labels or more") }
        var byLabel: [String: [Int]] = [:]
        for (index, label) in labels.enumerated() { byLabel[label, default: []].append(index) }
        if let scarce = byLabel.first(where: { $0.value.count < folds }) {
            throw LearningError.notEnoughData(
                "label '\(scarce.key)' has \(scarce.value.count) examples, fewer than the \(folds) folds")
        }
        // Stratified: each label's examples, shuffled, are dealt round-robin to the folds.
        var rng = SplitMix64(seed: options.seed)
        var fold = [Int](repeating: 0, count: texts.count)
        for label in names {
            var members = byLabel[label]!
            members.shuffle(using: &rng)
            for (position, index) in members.enumerated() { fold[index] = position % folds }
        }
        var rows = [[Double]](repeating: [], count: texts.count)
        for held in 0..<folds {
            var trainer = try TextClassifier.Trainer(options: options)
            let fitting = texts.indices.filter { fold[$0] != held }
            try trainer.add(contentsOf: fitting.map { texts[$0] }, labels: fitting.map { labels[$0] })
            let classifier = try trainer.train()
            let heldOut = texts.indices.filter { fold[$0] == held }
            let predictions = classifier.predict(heldOut.map { texts[$0] })
            // Map the fold model's label order (it saw every label: each fold holds every label) onto `names`.
            let order = names.map { name in classifier.labels.firstIndex(of: name) }
            for (index, prediction) in zip(heldOut, predictions) {
                rows[index] = order.map { $0.map { prediction.probabilities[$0] } ?? 0 }
            }
        }
        return Probabilities(labels: names, rows: rows)
    }
}
