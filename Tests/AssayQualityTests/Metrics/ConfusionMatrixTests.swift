import AssayQuality
import Testing

@Suite struct ConfusionMatrixTests {
    @Test func docExample() throws {
        let matrix = try ConfusionMatrix(truth: ["a", "a", "b", "b"], predicted: ["a", "b", "b", "b"])
        #expect(matrix[truth: "a", predicted: "b"] == 1)
        #expect(matrix.correct == 3)
        #expect(matrix.total == 4)
        #expect(matrix.counts == [1, 1, 0, 2])
        #expect(matrix.truthCount(ofLabelAt: 1) == 2)
        #expect(matrix.predictionCount(ofLabelAt: 1) == 3)
    }

    @Test func byItemUsesItemsWithBothLabels() throws {
        let matrix = try ConfusionMatrix(
            truthByItem: ["1": "x", "2": "y", "3": "x"], predictedByItem: ["1": "x", "2": "x", "4": "y"])
        #expect(matrix.total == 2)
        #expect(matrix[truth: "y", predicted: "x"] == 1)
    }

    @Test func badInputsAreRejected() {
        #expect(throws: QualityError.self) { try ConfusionMatrix(truth: ["a"], predicted: []) }
        #expect(throws: QualityError.empty) { try ConfusionMatrix(truth: [], predicted: []) }
        #expect(throws: QualityError.self) { try ConfusionMatrix(truth: ["a"], predicted: ["z"], labels: ["a"]) }
    }
}
