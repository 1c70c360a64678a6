import AssayQuality
import Testing

@Suite struct CalibrationErrorTests {
    @Test func docExample() throws {
        let calibration = try CalibrationError(confidences: [0.9, 0.9, 0.6, 0.6], correct: [true, true, true, false])
        #expect(isClose(calibration.expected, 0.1))
        #expect(isClose(calibration.maximum, 0.1))
        #expect(calibration.bins.count == 2)
        #expect(calibration.bins[0].accuracy.value == 0.5 && isClose(calibration.bins[0].meanConfidence, 0.6))
    }

    /// Outcomes drawn with the stated probability: the error shrinks towards 0 as n grows.
    @Test func calibratedPredictionsScoreNearZero() throws {
        var random = SplitMix64(seed: 4)
        var confidences: [Double] = [], correct: [Bool] = []
        for _ in 0..<40_000 {
            let confidence = Double.random(in: 0.3...1, using: &random)
            confidences.append(confidence)
            correct.append(Double.random(in: 0..<1, using: &random) < confidence)
        }
        let calibration = try CalibrationError(confidences: confidences, correct: correct)
        #expect(calibration.expected < 0.01)
        // The same outcomes stated with confidence 1 are overconfident by the mean miss rate, about 0.35.
        let overconfident = try CalibrationError(confidences: confidences.map { _ in 1 }, correct: correct)
        #expect(abs(overconfident.expected - 0.35) < 0.01)
    }

    @Test func binsAreClosedAbove() throws {
        // 1/15 belongs to the first bin, a hair above it to the second; 0 to the first.
        let calibration = try CalibrationError(confidences: [0, 1.0 / 15, 1.0 / 15 + 1e-9], correct: [false, false, false])
        #expect(calibration.bins.count == 2)
        #expect(calibration.bins[0].accuracy.trials == 2)
    }

    @Test func refusesBadInput() {
        #expect(throws: QualityError.empty) { try CalibrationError(confidences: [], correct: []) }
        #expect(throws: QualityError.self) { try CalibrationError(confidences: [0.5], correct: []) }
        #expect(throws: QualityError.self) { try CalibrationError(confidences: [1.5], correct: [true]) }
        #expect(throws: QualityError.self) { try CalibrationError(confidences: [0.5], correct: [true], binCount: 0) }
    }
}
