import AssayLearning
import Foundation
import Testing

@Suite("Label errors and uncertainty")
struct LabelErrorTests {
    @Test("the doc example of confident learning flags the one contradicted label")
    func docExample() throws {
        let flags = try ConfidentLearning().labelIssues(
            givenLabels: ["spam", "spam", "none", "none"], labels: ["none", "spam"],
            probabilities: [[0.1, 0.9], [0.95, 0.05], [0.9, 0.1], [0.8, 0.2]])
        #expect(flags.map(\.index) == [1])
        #expect(flags.first?.suggestedLabel == "none" && flags.first?.givenLabel == "spam")
        #expect(flags.first?.selfConfidence == 0.05)
    }

    @Test("a row of the wrong length or an unknown label is refused")
    func refusals() {
        #expect(throws: LearningError.self) {
            try ConfidentLearning().labelIssues(givenLabels: ["a"], labels: ["a", "b"], probabilities: [[1]])
        }
        #expect(throws: LearningError.self) {
            try ConfidentLearning().labelIssues(givenLabels: ["c"], labels: ["a", "b"], probabilities: [[0.5, 0.5]])
        }
        #expect(throws: LearningError.self) {
            try OutOfFoldPredictions(folds: 5).probabilities(texts: ["x", "y"], labels: ["a", "b"])
        }
    }

    @Test("out-of-fold confident learning finds most labels planted wrong in 3,000 posts, and few right ones")
    func plantedErrors() throws {
        let posts = SyntheticPosts(count: 3_000, seed: 11, ambiguity: 0.1, flips: 0.05)
        let planted = Set(posts.labels.indices.filter { posts.labels[$0] != posts.trueLabels[$0] })
        #expect(planted.count > 100)
        let probabilities = try OutOfFoldPredictions(folds: 5).probabilities(texts: posts.texts, labels: posts.labels)
        #expect(probabilities.rows.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-6 })
        let flagged = try ConfidentLearning().labelIssues(
            givenLabels: posts.labels, labels: probabilities.labels, probabilities: probabilities.rows)
        let found = Set(flagged.map(\.index))
        let recall = Double(found.intersection(planted).count) / Double(planted.count)
        let precision = Double(found.intersection(planted).count) / Double(max(1, found.count))
        #expect(recall > 0.7, "found \(found.intersection(planted).count) of \(planted.count) planted errors")
        #expect(precision > 0.7, "\(found.count) flagged, \(found.intersection(planted).count) of them planted")
        // The suggested label of a planted error is, nearly always, the label before the flip.
        let restored = flagged.filter { planted.contains($0.index) && $0.suggestedLabel == posts.trueLabels[$0.index] }
        #expect(Double(restored.count) / Double(max(1, found.intersection(planted).count)) > 0.9)
        // Most suspect first.
        #expect(zip(flagged, flagged.dropFirst()).allSatisfy { $0.selfConfidence <= $1.selfConfidence })
    }

    @Test("the doc examples of uncertainty, and its range")
    func uncertainty() {
        #expect(abs(Uncertainty.entropy.score([0.5, 0.5]) - 1) < 1e-12)
        #expect(abs(Uncertainty.margin.score([0.7, 0.2, 0.1]) - 0.5) < 1e-12)
        #expect(abs(Uncertainty.leastConfidence.score([0.9, 0.1]) - 0.1) < 1e-12)
        #expect(Uncertainty.entropy.score([1, 0, 0]) == 0)
        for measure in Uncertainty.allCases {
            #expect(measure.score([0.98, 0.01, 0.01]) < measure.score([0.4, 0.35, 0.25]), "\(measure)")
        }
    }
}
