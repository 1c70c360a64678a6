/// How far a model's confidence is from its accuracy: the expected calibration error (ECE) and the reliability
/// table it is computed from.
///
/// Method (Naeini et al. 2015; Guo et al. 2017, §2): the predictions are put into `binCount` equal-width bins by
/// confidence. In bin b with nᵦ predictions, accuracy accᵦ is the share that are right and confᵦ the mean
/// confidence; ECE = Σᵦ (nᵦ / n) · |accᵦ − confᵦ|. A calibrated model has ECE near 0: of the predictions it makes
/// with confidence 0.8, about 80 % are right. Each bin's accuracy carries its Wilson interval.
///
/// References: M. P. Naeini, G. F. Cooper and M. Hauskrecht (2015), "Obtaining Well Calibrated Probabilities Using
/// Bayesian Binning", AAAI. C. Guo, G. Pleiss, Y. Sun and K. Q. Weinberger (2017), "On Calibration of Modern Neural
/// Networks", ICML.
///
/// For example:
/// ```swift
/// let calibration = try CalibrationError(confidences: [0.9, 0.9, 0.6, 0.6], correct: [true, true, true, false])
/// calibration.expected          // 0.1: (2/4)·|1.0 − 0.9| + (2/4)·|0.5 − 0.6|
/// calibration.bins.count        // 2 non-empty bins
/// ```
/// - Complexity: O(n).
public struct CalibrationError: Sendable, Equatable {
    /// One confidence bin.
    public struct Bin: Sendable, Equatable {
        /// The bin's confidence range: lower bound inclusive (except the first bin, which includes 0), upper
        /// bound inclusive.
        public let range: ClosedRange<Double>
        /// The mean confidence of the predictions in the bin.
        public let meanConfidence: Double
        /// The share of them that are right.
        public let accuracy: Rate
    }

    /// The expected calibration error, in [0, 1].
    public let expected: Double
    /// The largest gap between accuracy and confidence over non-empty bins (maximum calibration error).
    public let maximum: Double
    /// The non-empty bins, in order of confidence.
    public let bins: [Bin]

    /// Measures calibration from each prediction's confidence and whether it was right.
    ///
    /// - Parameters:
    ///   - confidences: The confidence of each prediction, in [0, 1].
    ///   - correct: Whether each prediction was right, parallel to `confidences`.
    ///   - binCount: The number of equal-width bins (15, as Guo et al.).
    /// - Throws: `QualityError.invalidInput` for unequal lengths, a confidence outside [0, 1] or fewer than one
    ///   bin; `.empty` for no predictions.
    public init(confidences: [Double], correct: [Bool], binCount: Int = 15) throws {
        guard confidences.count == correct.count else {
            throw QualityError.invalidInput(
                "there are \(confidences.count) confidences and \(correct.count) outcomes; pair them one to one.")
        }
        guard !confidences.isEmpty else { throw QualityError.empty }
        guard binCount >= 1 else { throw QualityError.invalidInput("the bin count must be at least 1, not \(binCount).") }
        var totals = [Double](repeating: 0, count: binCount)
        var counts = [Int](repeating: 0, count: binCount)
        var rights = [Int](repeating: 0, count: binCount)
        for (confidence, isRight) in zip(confidences, correct) {
            guard (0...1).contains(confidence) else {
                throw QualityError.invalidInput("confidence \(confidence) is outside [0, 1].")
            }
            // Bin b holds (b/B, (b+1)/B]; a confidence of 0 goes to the first bin.
            let bin = max(0, min(binCount - 1, Int((confidence * Double(binCount)).rounded(.up)) - 1))
            totals[bin] += confidence
            counts[bin] += 1
            if isRight { rights[bin] += 1 }
        }
        var bins: [Bin] = []
        var expected = 0.0, maximum = 0.0
        for bin in 0..<binCount where counts[bin] > 0 {
            let accuracy = Rate(successes: rights[bin], trials: counts[bin])
            let meanConfidence = totals[bin] / Double(counts[bin])
            let gap = abs(accuracy.value - meanConfidence)
            expected += Double(counts[bin]) / Double(confidences.count) * gap
            maximum = max(maximum, gap)
            bins.append(Bin(
                range: Double(bin) / Double(binCount)...Double(bin + 1) / Double(binCount),
                meanConfidence: meanConfidence, accuracy: accuracy))
        }
        self.expected = expected
        self.maximum = maximum
        self.bins = bins
    }
}
