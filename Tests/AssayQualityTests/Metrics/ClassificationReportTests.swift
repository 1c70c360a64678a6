import AssayQuality
import Testing

@Suite struct ClassificationReportTests {
    @Test func docExample() throws {
        let report = try ClassificationReport(
            truth: ["cat", "cat", "cat", "dog", "dog"], predicted: ["cat", "cat", "dog", "dog", "dog"])
        #expect(isClose(report.accuracy.value, 0.8))
        #expect(report["cat"]?.precision.value == 1)
        #expect(isClose(report["cat"]?.recall.value ?? 0, 2.0 / 3))
        #expect(isClose(report["dog"]?.f1 ?? 0, 0.8))
        #expect(isClose(report.macroF1, 0.8))
        #expect(report.accuracy.interval.lower < 0.8 && report.accuracy.interval.upper > 0.8)
    }

    /// scikit-learn's `f1_score` example: y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 2, 1, 0, 0, 1];
    /// macro 0.267, micro 0.333, weighted 0.267.
    @Test func matchesScikitLearnsExample() throws {
        let report = try ClassificationReport(
            truth: ["0", "1", "2", "0", "1", "2"], predicted: ["0", "2", "1", "0", "0", "1"])
        #expect(isClose(report.macroF1, 0.8 / 3))
        #expect(isClose(report.microF1.value, 1.0 / 3))
        #expect(isClose(report.weightedF1, 0.8 / 3))
        let zero = try #require(report["0"])
        #expect(zero.support == 2 && isClose(zero.precision.value, 2.0 / 3) && zero.recall.value == 1)
        #expect(isClose(zero.f1, 0.8))
        #expect(report["1"]?.f1 == 0 && report["2"]?.f1 == 0)
        #expect(isClose(report.macroPrecision, 2.0 / 9))
        #expect(isClose(report.macroRecall, 1.0 / 3))
    }

    @Test func macroAveragesSkipLabelsNeitherSideUses() throws {
        // A model that knows "bird" scored on a test set with no birds, and never predicting one: scikit-learn's
        // f1_score(average="macro") averages over cat and dog only: (0.8 + 0.8) / 2, not (0 + 0.8 + 0.8) / 3.
        let truth = ["cat", "cat", "cat", "dog", "dog"]
        let predicted = ["cat", "cat", "dog", "dog", "dog"]
        let listed = try ClassificationReport(truth: truth, predicted: predicted, labels: ["bird", "cat", "dog"])
        let plain = try ClassificationReport(truth: truth, predicted: predicted)
        #expect(isClose(listed.macroF1, 0.8), "\(listed.macroF1)")
        #expect(listed.macroF1 == plain.macroF1 && listed.macroPrecision == plain.macroPrecision)
        #expect(listed.macroRecall == plain.macroRecall && listed.weightedF1 == plain.weightedF1)
        #expect(listed["bird"]?.f1 == 0, "the label is still listed, with its zeros")
        // A label predicted but never true does count: the predictions were wrong about it.
        let wrongBird = try ClassificationReport(truth: ["cat", "dog"], predicted: ["cat", "bird"], labels: ["bird", "cat", "dog"])
        #expect(isClose(wrongBird.macroF1, 1.0 / 3))
    }

    @Test func undefinedRatesAreZeroAndMarked() throws {
        // Nobody predicts "b": its precision has no trials.
        let report = try ClassificationReport(truth: ["a", "b"], predicted: ["a", "a"])
        let b = try #require(report["b"])
        #expect(!b.precision.isDefined && b.precision.value == 0)
        #expect(b.precision.interval.lower == 0 && b.precision.interval.upper == 1)
        #expect(b.f1 == 0)
        #expect(report["zzz"] == nil)
    }

    @Test func everyRateCarriesItsWilsonInterval() throws {
        let report = try ClassificationReport(
            truth: ["a", "a", "b", "b", "c"], predicted: ["a", "b", "b", "b", "c"], z: 2.576)
        for scores in report.perLabel {
            #expect(
                scores.precision.interval
                    == WilsonInterval(
                        successes: scores.precision.successes, trials: scores.precision.trials, z: 2.576))
            #expect(scores.recall.interval.z == 2.576)
        }
        #expect(report.accuracy.interval.z == 2.576)
    }
}
