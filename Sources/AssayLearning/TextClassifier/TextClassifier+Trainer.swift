import AssayQuality
import Foundation

extension TextClassifier {
    /// Collects training examples one at a time, so a large file is featurised as it is read and its texts are
    /// never held in memory, then trains.
    ///
    /// For example:
    /// ```swift
    /// var trainer = try TextClassifier.Trainer()
    /// for (text, label) in rows { try trainer.add(text, label: label) }
    /// let classifier = try trainer.train { share in print(share) }
    /// ```
    public struct Trainer: Sendable {
        /// The training settings.
        public let options: TrainingOptions
        private var matrix: FeatureMatrix
        private var labelIndex: [String: Int] = [:]
        private var labelNames: [String] = []
        private var rowLabels: [Int] = []

        /// Starts an empty trainer.
        ///
        /// - Throws: ``LearningError/invalidOptions(_:)`` for settings out of range.
        public init(options: TrainingOptions = TrainingOptions()) throws {
            try options.validate()
            self.options = options
            matrix = FeatureMatrix(features: options.features)
        }

        /// The number of examples added.
        public var exampleCount: Int { rowLabels.count }

        /// Adds one example.
        ///
        /// - Throws: ``LearningError/invalidInput(_:)`` for an empty label.
        public mutating func add(_ text: String, label: String) throws {
            guard !label.isEmpty else { throw LearningError.invalidInput("a training example has an empty label") }
            matrix.append(text)
            rowLabels.append(index(of: label))
        }

        /// Adds many examples, featurising them on all the processor's cores: the same model as adding them one by
        /// one, faster.
        ///
        /// - Throws: ``LearningError/invalidInput(_:)`` for unequal counts or an empty label; then nothing is added.
        public mutating func add(contentsOf texts: [String], labels: [String]) throws {
            guard texts.count == labels.count else {
                throw LearningError.invalidInput("there are \(texts.count) texts and \(labels.count) labels; pair them one to one")
            }
            guard !labels.contains(where: \.isEmpty) else {
                throw LearningError.invalidInput("a training example has an empty label")
            }
            matrix.append(contentsOf: texts)
            for label in labels { rowLabels.append(index(of: label)) }
        }

        private mutating func index(of label: String) -> Int {
            if let known = labelIndex[label] { return known }
            labelIndex[label] = labelNames.count
            labelNames.append(label)
            return labelNames.count - 1
        }

        /// Trains the classifier on the examples added.
        ///
        /// Steps: weight the features (idf from every example); hold out `calibrationShare` of each class; fit on the
        /// rest; fit the calibration on the held-out scores and measure them. With `refit` (the default) the model
        /// kept is fitted on every example at the same time, on a second core, and takes that calibration.
        ///
        /// - Parameter progress: Called with the share of training done, from 0 to 1.
        /// - Throws: ``LearningError/notEnoughData(_:)`` for fewer than two labels or too few examples.
        public consuming func train(progress: (Double) -> Void = { _ in }) throws -> TextClassifier {
            guard labelNames.count >= 2 else {
                throw LearningError.notEnoughData(
                    "training needs examples of at least two labels, and found \(labelNames.count == 0 ? "none" : "only '\(labelNames[0])'")")
            }
            // Labels in a stable order whatever order the examples came in.
            let labels = JudgmentMatrix.sortedLabelNames(labelNames)
            let recode = labelNames.map { labels.firstIndex(of: $0)! }
            let targets = rowLabels.map { recode[$0] }
            let classCount = labels.count
            var counts = [Int](repeating: 0, count: classCount)
            for target in targets { counts[target] += 1 }

            matrix.finishWeighting()
            let classWeights: [Double] = switch options.classWeighting {
            case .none: [Double](repeating: 1, count: classCount)
            case .balanced: counts.map { Double(targets.count) / (Double(classCount) * Double($0)) }
            }
            let fitOptions = SoftmaxRegression.Options(
                epochs: options.epochs, l2: options.l2, learningRate: options.learningRate, seed: options.seed)
            let (fitRows, heldOutRows) = Self.stratifiedSplit(
                targets: targets, classCount: classCount, share: options.calibrationShare, seed: options.seed)
            // The fits: on the rows not held out, for calibration and the held-out figures; with `refit`, also on
            // every row, for the model kept. They share nothing but the matrix they read, so they run side by side.
            var fits = [(rows: fitRows, seed: options.seed)]
            if options.refit && !heldOutRows.isEmpty { fits.append((Array(0..<matrix.rowCount), options.seed &+ 1)) }
            let models = Self.fitConcurrently(fits.count) { index in
                var fitOptions = fitOptions
                fitOptions.seed = fits[index].seed
                return SoftmaxRegression.fit(
                    matrix, rows: fits[index].rows, labels: targets, classCount: classCount, classWeights: classWeights,
                    options: fitOptions, progress: index == fits.count - 1 ? progress : { _ in })
            }
            var calibration = ProbabilityCalibration.identity(classCount: classCount)
            var heldOut: TrainingSummary.HeldOutFigures?
            if !heldOutRows.isEmpty {
                let scores = heldOutRows.map { models[0].logits(ofRow: $0, in: matrix) }
                let truth = heldOutRows.map { targets[$0] }
                calibration = ProbabilityCalibration.fit(scores: scores, labels: truth, classCount: classCount)
                heldOut = try Self.heldOutFigures(
                    scores: scores, truth: truth, labels: labels, seed: options.seed)
            }
            let model = models[models.count - 1]
            let summary = TrainingSummary(
                exampleCount: targets.count, labelCounts: counts, heldOut: heldOut,
                modelVersion: Self.version(of: model, labels: labels))
            return TextClassifier(
                labels: labels, options: options, calibration: calibration,
                summary: summary, idf: matrix.bucketIDF, idfDocumentCount: matrix.idfDocumentCount, model: model)
        }

        /// Runs `count` fits, each on a core of its own while there are cores enough, and returns their models in
        /// order. `progress`-reporting closures run on the fits' threads while the caller waits.
        static func fitConcurrently(_ count: Int, _ fit: (Int) -> SoftmaxRegression) -> [SoftmaxRegression] {
            guard count > 1, ProcessInfo.processInfo.activeProcessorCount > 1 else { return (0..<count).map(fit) }
            var models = [SoftmaxRegression?](repeating: nil, count: count)
            withoutActuallyEscaping(fit) { fit in
                models.withUnsafeMutableBufferPointer { slots in
                    let shared = UncheckedSendable((slots: slots, fit: fit))
                    DispatchQueue.concurrentPerform(iterations: count) { index in
                        shared.value.slots[index] = shared.value.fit(index)
                    }
                }
            }
            return models.map { $0! }
        }

        /// Splits rows into fitting and held-out rows, taking `share` of each class (at least one of a class with
        /// two or more examples) so every class is seen by both.
        static func stratifiedSplit(targets: [Int], classCount: Int, share: Double, seed: UInt64)
            -> (fit: [Int], heldOut: [Int])
        {
            guard share > 0 else { return (Array(targets.indices), []) }
            var byClass = [[Int]](repeating: [], count: classCount)
            for (row, target) in targets.enumerated() { byClass[target].append(row) }
            var random = SplitMix64(seed: seed ^ 0x5EED)
            var fit: [Int] = [], heldOut: [Int] = []
            for var rows in byClass {
                rows.shuffle(using: &random)
                let take = rows.count < 2 ? 0 : max(1, Int((Double(rows.count) * share).rounded()))
                heldOut += rows.prefix(take)
                fit += rows.dropFirst(take)
            }
            return (fit.sorted(), heldOut.sorted())
        }

        static func heldOutFigures(
            scores: [[Double]], truth: [Int], labels: [String], seed: UInt64
        ) throws -> TrainingSummary.HeldOutFigures {
            let raw = scores.map(softmax)
            let calibrated = crossFittedProbabilities(scores: scores, truth: truth, classCount: labels.count, seed: seed)
            let chosen = scores.map(highestIndex)
            do {
                let report = ClassificationReport(try ConfusionMatrix(
                    truth: truth.map { labels[$0] }, predicted: chosen.map { labels[$0] }, labels: labels))
                let correct = zip(chosen, truth).map { $0 == $1 }
                let before = try CalibrationError(confidences: zip(raw, chosen).map { $0[$1] }, correct: correct)
                let after = try CalibrationError(confidences: zip(calibrated, chosen).map { $0[$1] }, correct: correct)
                return .init(
                    count: truth.count, accuracy: report.accuracy.value, macroF1: report.macroF1,
                    calibrationErrorBefore: before.expected, calibrationErrorAfter: after.expected)
            } catch let error as QualityError {
                throw LearningError.invalidInput(error.description)
            }
        }

        /// Each held-out row's probabilities under a calibration fitted on the other held-out rows, in
        /// `folds` folds (cross-fitting). The calibration kept is fitted on every held-out row; its error measured on
        /// those same rows would flatter it (the top-label isotonic step all but memorises them), so the error after
        /// calibration is measured on rows each fold's calibration did not see.
        static func crossFittedProbabilities(
            scores: [[Double]], truth: [Int], classCount: Int, folds: Int = 5, seed: UInt64
        ) -> [[Double]] {
            let folds = min(folds, scores.count)
            guard folds >= 2 else {
                return scores.map(ProbabilityCalibration.fit(scores: scores, labels: truth, classCount: classCount).probabilities)
            }
            var order = Array(scores.indices)
            var random = SplitMix64(seed: seed ^ 0xCA11_B2A7)
            order.shuffle(using: &random)
            var fold = [Int](repeating: 0, count: scores.count)
            for (position, row) in order.enumerated() { fold[row] = position % folds }
            var calibrated = [[Double]](repeating: [], count: scores.count)
            for held in 0..<folds {
                let fitting = scores.indices.filter { fold[$0] != held }
                let calibration = ProbabilityCalibration.fit(
                    scores: fitting.map { scores[$0] }, labels: fitting.map { truth[$0] }, classCount: classCount)
                for row in scores.indices where fold[row] == held { calibrated[row] = calibration.probabilities(scores[row]) }
            }
            return calibrated
        }

        /// A short content hash of the fitted model.
        static func version(of model: SoftmaxRegression, labels: [String]) -> String {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            func add(_ value: UInt32) {
                hash = (hash ^ UInt64(value)) &* 0x0000_0100_0000_01B3
            }
            for label in labels { for byte in label.utf8 { add(UInt32(byte)) }; add(0) }
            for weight in model.bias { add(weight.bitPattern) }
            for weight in model.weights where weight != 0 { add(weight.bitPattern) }
            return "tc1-" + String(TextFeatures.mix(hash), radix: 16).leftPadded(to: 16).prefix(12)
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
