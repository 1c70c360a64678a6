import AssayQuality
import Testing

/// Whether two matrices hold the same codings and columns (`JudgmentMatrix` is not `Equatable`).
private func same(_ a: JudgmentMatrix, _ b: JudgmentMatrix) -> Bool {
    a.itemCoding == b.itemCoding && a.workerCoding == b.workerCoding && a.labelCoding == b.labelCoding
        && a.itemIndices == b.itemIndices && a.workerIndices == b.workerIndices && a.labelIndices == b.labelIndices
        && a.itemOffsets == b.itemOffsets
}

@Suite struct JudgmentMatrixBuilderTests {
    static let triples: [(item: String, worker: String, label: String)] = [
        (item: "b", worker: "w1", label: "spam"), (item: "a", worker: "w2", label: "ham"),
        (item: "b", worker: "w2", label: "ham"), (item: "c", worker: "w1", label: "eggs"),
        (item: "a", worker: "w1", label: "spam"), (item: "c", worker: "w3", label: "spam"),
    ]

    @Test func docExample() throws {
        var builder = try JudgmentMatrix.Builder()
        try builder.append(item: "post-1", worker: "ann", label: "spam")
        try builder.append(item: "post-1", worker: "bob", label: "ham")
        let judgments = builder.build()
        #expect(judgments.labelCoding.values == ["ham", "spam"])
        #expect(judgments.judgmentCount == 2)
    }

    @Test func buildsWhatInitTriplesBuilds() throws {
        var builder = try JudgmentMatrix.Builder()
        for triple in Self.triples {
            try builder.append(item: triple.item, worker: triple.worker, label: triple.label)
        }
        #expect(builder.count == Self.triples.count)
        let built = builder.build()
        let expected = try JudgmentMatrix(triples: Self.triples)
        #expect(same(built, expected))
        // And what the precoded initializer builds from the same columns, coded by hand.
        let precoded = try JudgmentMatrix(
            itemIndices: [0, 1, 0, 2, 1, 2], workerIndices: [0, 1, 1, 0, 0, 2], labelIndices: [2, 1, 1, 0, 2, 2],
            itemNames: ["b", "a", "c"], workerNames: ["w1", "w2", "w3"], labelNames: ["eggs", "ham", "spam"])
        #expect(same(built, precoded))
        #expect(built.itemOffsets == [0, 2, 4, 6])
        #expect(built.labelCoding.values == ["eggs", "ham", "spam"])
    }

    @Test func buildsWhatInitTriplesBuildsWithALabelOrder() throws {
        let order = ["spam", "ham", "eggs", "unused"]
        var builder = try JudgmentMatrix.Builder(labelOrder: order)
        for triple in Self.triples {
            try builder.append(item: triple.item, worker: triple.worker, label: triple.label)
        }
        #expect(same(builder.build(), try JudgmentMatrix(triples: Self.triples, labelOrder: order)))
    }

    @Test func sortsNumericLabelsByValue() throws {
        var builder = try JudgmentMatrix.Builder()
        for (worker, label) in ["10", "2", "1", "2"].enumerated() {
            try builder.append(item: "i", worker: "w\(worker)", label: label)
        }
        let judgments = builder.build()
        #expect(judgments.labelCoding.values == ["1", "2", "10"])
        #expect(judgments.labelIndices == [2, 1, 0, 1])
    }

    @Test func sortsLabelsByNameWhenNotAllAreNumbers() throws {
        var builder = try JudgmentMatrix.Builder()
        for label in ["b", "10", "a", "2"] { try builder.append(item: "i", worker: label, label: label) }
        #expect(builder.build().labelCoding.values == ["10", "2", "a", "b"])
    }

    @Test func aGivenLabelOrderKeepsUnusedLabels() throws {
        var builder = try JudgmentMatrix.Builder(labelOrder: ["low", "mid", "high"])
        try builder.append(item: "i", worker: "w1", label: "high")
        try builder.append(item: "i", worker: "w2", label: "low")
        let judgments = builder.build()
        #expect(judgments.labelCoding.values == ["low", "mid", "high"])
        #expect(judgments.labelCount == 3)
        #expect(judgments.labelIndices == [2, 0])
    }

    @Test func anUnknownLabelIsRejectedAndLeavesTheBuilderUnchanged() throws {
        var builder = try JudgmentMatrix.Builder(labelOrder: ["low", "high"])
        try builder.append(item: "i", worker: "w1", label: "low")
        #expect(throws: QualityError.self) {
            try builder.append(item: "j", worker: "w2", label: "huge")
        }
        #expect(builder.count == 1)
        let indices = try builder.append(item: "k", worker: "w3", label: "high")
        // The rejected row coded neither its item nor its worker.
        #expect([indices.item, indices.worker] == [1, 1])
        let judgments = builder.build()
        #expect(judgments.itemCoding.values == ["i", "k"])
        #expect(judgments.workerCoding.values == ["w1", "w3"])
        #expect(judgments.labelIndices == [0, 1])
    }

    @Test func anUnknownLabelNamesItselfAndTheOrder() throws {
        var builder = try JudgmentMatrix.Builder(labelOrder: ["low", "high"])
        let error = #expect(throws: QualityError.self) {
            try builder.append(item: "post-9", worker: "w", label: "huge")
        }
        #expect(
            error == .invalidInput(
                #"label 'huge' of item 'post-9' is not in the label order ["low", "high"]; "#
                    + "add it to the order or fix the row."))
    }

    @Test func aRepeatedLabelInTheOrderIsRejected() {
        #expect(throws: QualityError.self) { try JudgmentMatrix.Builder(labelOrder: ["a", "b", "a"]) }
    }

    @Test func appendReturnsTheItemAndWorkerIndices() throws {
        var builder = try JudgmentMatrix.Builder()
        let first = try builder.append(item: "a", worker: "ann", label: "x")
        let second = try builder.append(item: "b", worker: "ann", label: "y")
        let third = try builder.append(item: "a", worker: "bob", label: "x")
        let fourth = try builder.append(item: "b", worker: "bob", label: "x")
        #expect([first.item, first.worker] == [0, 0])
        #expect([second.item, second.worker] == [1, 0])
        #expect([third.item, third.worker] == [0, 1])
        #expect([fourth.item, fourth.worker] == [1, 1])
        let judgments = builder.build()
        #expect(judgments.itemName(at: 1) == "b")
        #expect(judgments.workerName(at: 1) == "bob")
    }

    @Test func anEmptyBuilderBuildsAnEmptyMatrix() throws {
        let builder = try JudgmentMatrix.Builder()
        #expect(builder.count == 0)
        let judgments = builder.build()
        #expect(judgments.isEmpty)
        #expect(judgments.itemOffsets == [0])
    }

    @Test func findsTheEarliestRepeatedJudgment() throws {
        var builder = try JudgmentMatrix.Builder()
        try builder.append(item: "a", worker: "ann", label: "x")  // 0
        try builder.append(item: "b", worker: "ann", label: "x")  // 1
        try builder.append(item: "b", worker: "bob", label: "x")  // 2
        #expect(builder.firstRepeatedJudgment() == nil)
        try builder.append(item: "a", worker: "bob", label: "y")  // 3
        try builder.append(item: "b", worker: "bob", label: "y")  // 4: repeats 2
        try builder.append(item: "a", worker: "ann", label: "y")  // 5: repeats 0, but later
        let repeated = try #require(builder.firstRepeatedJudgment())
        #expect(repeated.earlier == 2 && repeated.later == 4)
        #expect(repeated.item == "b" && repeated.worker == "bob")
    }

    @Test func findsARepeatAmongManyJudgmentsOfOneItem() throws {
        // Over 64 judgments of one item take the sorting path instead of pairwise comparison.
        var builder = try JudgmentMatrix.Builder()
        for worker in 0..<100 { try builder.append(item: "busy", worker: "w\(worker)", label: "x") }
        #expect(builder.firstRepeatedJudgment() == nil)
        try builder.append(item: "busy", worker: "w42", label: "y")
        let repeated = try #require(builder.firstRepeatedJudgment())
        #expect(repeated.earlier == 42 && repeated.later == 100 && repeated.worker == "w42")
    }
}
