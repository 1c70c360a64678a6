import AssayQuality
import Testing

@Suite struct JudgmentMatrixTests {
    @Test func docExample() throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "post-1", worker: "ann", label: "spam"),
            (item: "post-1", worker: "bob", label: "spam"),
            (item: "post-2", worker: "ann", label: "ham"),
        ])
        #expect(judgments.itemCount == 2)
        #expect(judgments.labelCoding.values == ["ham", "spam"])
        #expect(judgments.judgments(ofItemAt: 0).count == 2)
    }

    @Test func groupsJudgmentsByItemKeepingInputOrder() throws {
        let judgments = try JudgmentMatrix(triples: [
            (item: "a", worker: "w1", label: "x"), (item: "b", worker: "w1", label: "y"),
            (item: "a", worker: "w2", label: "y"), (item: "b", worker: "w3", label: "x"),
        ])
        #expect(judgments.itemIndices == [0, 0, 1, 1])
        #expect(judgments.itemOffsets == [0, 2, 4])
        #expect(
            judgments.judgments(ofItemAt: 0).map { judgments.workerName(at: Int(judgments.workerIndices[$0])) }
                == ["w1", "w2"])
        #expect(
            judgments.judgments(ofItemAt: 1).map { judgments.labelName(at: Int(judgments.labelIndices[$0])) }
                == ["y", "x"])
        #expect(judgments.workerCount == 3)
        #expect(judgments.judgmentCount == 4)
        #expect(judgments.itemName(at: 1) == "b")
    }

    @Test func labelsSortNumericallyWhenAllAreNumbers() throws {
        let judgments = try JudgmentMatrix(triples: ["10", "2", "1"].map { (item: "i", worker: $0, label: $0) })
        #expect(judgments.labelCoding.values == ["1", "2", "10"])
        let names = try JudgmentMatrix(triples: ["b", "10", "a"].map { (item: "i", worker: $0, label: $0) })
        #expect(names.labelCoding.values == ["10", "a", "b"])
    }

    @Test func labelOrderIsRespectedAndChecked() throws {
        let judgments = try JudgmentMatrix(
            triples: [(item: "i", worker: "w", label: "high")], labelOrder: ["low", "mid", "high"])
        #expect(judgments.labelCoding.values == ["low", "mid", "high"])
        #expect(judgments.labelCount == 3)
        #expect(throws: QualityError.self) {
            try JudgmentMatrix(triples: [(item: "i", worker: "w", label: "huge")], labelOrder: ["low"])
        }
        #expect(throws: QualityError.self) {
            try JudgmentMatrix(triples: [(item: "i", worker: "w", label: "low")], labelOrder: ["low", "low"])
        }
    }

    @Test func emptyTriplesGiveAnEmptyMatrix() throws {
        let judgments = try JudgmentMatrix(triples: [])
        #expect(judgments.isEmpty)
        #expect(judgments.itemCount == 0)
        #expect(judgments.itemOffsets == [0])
    }

    @Test func precodedColumnsAreSortedAndValidated() throws {
        let judgments = try JudgmentMatrix(
            itemIndices: [1, 0, 1], workerIndices: [0, 1, 1], labelIndices: [1, 0, 0],
            itemNames: ["a", "b"], workerNames: ["w0", "w1"], labelNames: ["no", "yes"])
        #expect(judgments.itemIndices == [0, 1, 1])
        #expect(judgments.workerIndices == [1, 0, 1])
        #expect(judgments.labelIndices == [0, 1, 0])
        #expect(judgments.itemOffsets == [0, 1, 3])

        #expect(throws: QualityError.invalidInput("label index 2 is outside 0..<2.")) {
            try JudgmentMatrix(
                itemIndices: [0], workerIndices: [0], labelIndices: [2],
                itemNames: ["a"], workerNames: ["w"], labelNames: ["no", "yes"])
        }
        #expect(throws: QualityError.self) {
            try JudgmentMatrix(
                itemIndices: [0], workerIndices: [0], labelIndices: [0, 1],
                itemNames: ["a"], workerNames: ["w"], labelNames: ["no", "yes"])
        }
        #expect(throws: QualityError.invalidInput("item 'b' has no judgments; leave it out of itemNames.")) {
            try JudgmentMatrix(
                itemIndices: [0], workerIndices: [0], labelIndices: [0],
                itemNames: ["a", "b"], workerNames: ["w"], labelNames: ["no"])
        }
        #expect(throws: QualityError.self) {
            try JudgmentMatrix(
                itemIndices: [0], workerIndices: [0], labelIndices: [0],
                itemNames: ["a"], workerNames: ["w", "w"], labelNames: ["no"])
        }
    }
}
