@testable import AssayLearning
import AssayQuality
import Foundation
import Testing

@Suite struct ProbabilityCalibrationTests {
    /// Labels drawn from softmax(2z + c): the fit recovers the slope and the offsets' differences.
    @Test func recoversAKnownCalibration() {
        var random = SplitMix64(seed: 3)
        let offsets = [0.5, -0.3, 0.0]
        var scores: [[Double]] = [], labels: [Int] = []
        for _ in 0..<20_000 {
            let z = (0..<3).map { _ in Double.random(in: -2...2, using: &random) }
            let p = softmax(z.indices.map { 2 * z[$0] + offsets[$0] })
            var draw = Double.random(in: 0..<1, using: &random)
            var label = 2
            for k in 0..<3 { if draw < p[k] { label = k; break }; draw -= p[k] }
            scores.append(z)
            labels.append(label)
        }
        let fit = ProbabilityCalibration.fit(scores: scores, labels: labels, classCount: 3)
        #expect(abs(fit.slope - 2) < 0.1)
        #expect(abs((fit.offsets[0] - fit.offsets[2]) - 0.5) < 0.08)
        #expect(abs((fit.offsets[1] - fit.offsets[2]) + 0.3) < 0.08)
        let p = fit.probabilities([1, 0, -1])
        #expect(abs(p.reduce(0, +) - 1) < 1e-12)
    }

    @Test func topLabelMapIsIncreasingAndSmoothed() {
        let pairs: [(probability: Double, right: Bool)] =
            [(0.9, true), (0.8, false), (0.7, true), (0.6, false), (0.95, true), (0.5, false)]
        let knots = ProbabilityCalibration.isotonicKnots(pairs)
        #expect(zip(knots, knots.dropFirst()).allSatisfy { $0.input < $1.input && $0.output <= $1.output })
        #expect(knots.allSatisfy { $0.output > 0 && $0.output < 1 })
        let calibration = ProbabilityCalibration(slope: 1, offsets: [0, 0], topLabel: knots)
        let p = calibration.probabilities([3, 0])
        #expect(abs(p.reduce(0, +) - 1) < 1e-12 && p[0] == knots.last!.output)
    }

    @Test func staysFiniteWhenAClassIsMissing() {
        let fit = ProbabilityCalibration.fit(scores: [[2, 0, 0], [0, 2, 0]], labels: [0, 1], classCount: 3)
        #expect(fit.slope.isFinite && fit.offsets.allSatisfy(\.isFinite))
        #expect(ProbabilityCalibration.fit(scores: [], labels: [], classCount: 2) == .identity(classCount: 2))
    }

    /// The error after calibration is measured on rows the calibration did not see: a row's calibrated
    /// probabilities do not move when its own label does, and on scores that say nothing, the in-sample error the
    /// trainer used to report is well below the cross-fitted one (0.023 against 0.041 here).
    @Test func heldOutErrorAfterCalibrationIsCrossFitted() throws {
        var random = SplitMix64(seed: 9)
        let scores = (0..<400).map { _ in (0..<3).map { _ in Double.random(in: -3...3, using: &random) } }
        let truth = scores.map { _ in Int.random(in: 0..<3, using: &random) }
        let crossFitted = TextClassifier.Trainer.crossFittedProbabilities(scores: scores, truth: truth, classCount: 3, seed: 1)
        #expect(crossFitted.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-9 })
        for row in [0, 17, 399] {
            var changed = truth
            changed[row] = (truth[row] + 1) % 3
            let again = TextClassifier.Trainer.crossFittedProbabilities(scores: scores, truth: changed, classCount: 3, seed: 1)
            #expect(again[row] == crossFitted[row])
        }
        func error(_ probabilities: [[Double]]) throws -> Double {
            let chosen = scores.map { row in row.indices.max { row[$0] < row[$1] }! }
            return try CalibrationError(
                confidences: zip(probabilities, chosen).map { $0[$1] }, correct: zip(chosen, truth).map { $0 == $1 }).expected
        }
        let inSample = ProbabilityCalibration.fit(scores: scores, labels: truth, classCount: 3)
        let flattering = try error(scores.map(inSample.probabilities))
        let honest = try error(crossFitted)
        #expect(flattering < 0.03)
        #expect(honest > 1.5 * flattering)
    }
}
