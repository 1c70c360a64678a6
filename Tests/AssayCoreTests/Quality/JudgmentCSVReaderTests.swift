import AssayCore
import AssayQuality
import Testing

/// Reads `text` fed as the given pieces (cut at `cuts`, byte offsets in increasing order).
private func read(
    _ text: String, cuts: [Int] = [], columns: JudgmentCSVReader.Columns = .init(), labelOrder: [String]? = nil,
    delimiter: UInt8 = UInt8(ascii: ",")
) throws -> JudgmentMatrix {
    let bytes = Array(text.utf8)
    var reader = try JudgmentCSVReader(columns: columns, labelOrder: labelOrder, delimiter: delimiter)
    var start = 0
    for cut in cuts + [bytes.count] {
        try reader.feed(bytes[start..<cut])
        start = cut
    }
    return try reader.finish()
}

/// Whether two matrices hold the same codings and columns (`JudgmentMatrix` is not `Equatable`).
private func same(_ a: JudgmentMatrix, _ b: JudgmentMatrix) -> Bool {
    a.itemCoding == b.itemCoding && a.workerCoding == b.workerCoding && a.labelCoding == b.labelCoding
        && a.itemIndices == b.itemIndices && a.workerIndices == b.workerIndices && a.labelIndices == b.labelIndices
        && a.itemOffsets == b.itemOffsets
}

@Suite("JudgmentCSVReader")
struct JudgmentCSVReaderTests {
    @Test("spaces around a value are not part of it: ' a' and 'a' are one label, as a spreadsheet's ', ' makes them")
    func trimsValues() throws {
        let spaced = try read("item,worker,label\ni1,w1,a\ni1, w2 , a\ni2,w1,b\ni2,w2,b \n")
        #expect(spaced.labelCoding.values == ["a", "b"] && Set(spaced.workerCoding.values) == ["w1", "w2"])
        #expect(throws: AssayError.invalidInput(field: "label", line: 2, reason: "is empty")) { try read("item,worker,label\ni1,w1,  \n") }
    }

    static let text = """
        item,worker,label\r
        post-1,ann,spam\r
        "post-2, the long one",ann,café\r
        post-1,bob,ham\r
        post-2,bob,"spam"\r
        "post-2, the long one",bob,café\r

        post-3,cat,ham\r

        """

    @Test func docExample() throws {
        var reader = try JudgmentCSVReader()
        try reader.feed(Array("item,worker,label\npost-1,ann,spam\npost-1,bob,ham\n".utf8))
        #expect(reader.count == 2)
        let judgments = try reader.finish()
        #expect(judgments.judgmentCount == 2)
        #expect(judgments.labelCoding.values == ["ham", "spam"])
    }

    @Test func readsWhatInitTriplesBuilds() throws {
        let judgments = try read(Self.text)
        let expected = try JudgmentMatrix(triples: [
            (item: "post-1", worker: "ann", label: "spam"), (item: "post-2, the long one", worker: "ann", label: "café"),
            (item: "post-1", worker: "bob", label: "ham"), (item: "post-2", worker: "bob", label: "spam"),
            (item: "post-2, the long one", worker: "bob", label: "café"), (item: "post-3", worker: "cat", label: "ham"),
        ])
        #expect(same(judgments, expected))
        #expect(judgments.itemCount == 4)
        #expect(judgments.labelCoding.values == ["café", "ham", "spam"])
    }

    @Test func chunksCutAtEveryByteGiveTheSameMatrix() throws {
        let whole = try read(Self.text)
        let size = Self.text.utf8.count
        for cut in 0...size {
            #expect(same(try read(Self.text, cuts: [cut]), whole), "cut at byte \(cut)")
        }
        #expect(same(try read(Self.text, cuts: Array(0...size)), whole), "one byte a chunk")
    }

    @Test func errorsNameTheSameLineWhereverTheInputIsCut() throws {
        let text = "item,worker,label\ni1,w1,cat\ni2,w1,dog\ni1,w1,dog\n"
        let expected = AssayError.invalidInput(
            field: "worker", line: 4, reason: "'w1' already judged item 'i1' on line 2; keep one of the two rows")
        for cut in 0...text.utf8.count {
            #expect(throws: expected, "cut at byte \(cut)") { try read(text, cuts: [cut]) }
        }
    }

    @Test func customColumnNamesAndExtraColumnsAreIgnored() throws {
        let text = "id,answer,annotator,task,seconds\n1,yes,ann,q1,3.5\n2,no,bob,q1,\n3,yes,ann,q2,9\n"
        let judgments = try read(text, columns: .init(item: "task", worker: "annotator", label: "answer"))
        let expected = try JudgmentMatrix(triples: [
            (item: "q1", worker: "ann", label: "yes"), (item: "q1", worker: "bob", label: "no"),
            (item: "q2", worker: "ann", label: "yes"),
        ])
        #expect(same(judgments, expected))
    }

    @Test func aColumnNamedTwiceIsRefused() throws {
        #expect(throws: AssayError.invalidInput(
            field: "label", line: 1, reason: "the CSV header names this column twice; each column needs a name of its own")
        ) { try read("item,worker,label,label\nq1,ann,yes,no\n") }
    }

    @Test func readsOtherDelimiters() throws {
        let judgments = try read("item\tworker\tlabel\ni1\tw1\ta,b\n", delimiter: UInt8(ascii: "\t"))
        #expect(judgments.labelCoding.values == ["a,b"])
    }

    @Test func aGivenLabelOrderIsKeptWithUnusedLabels() throws {
        let judgments = try read("item,worker,label\ni1,w1,3\ni1,w2,1\n", labelOrder: ["1", "2", "3"])
        #expect(judgments.labelCoding.values == ["1", "2", "3"])
        #expect(judgments.labelIndices == [2, 0])
    }

    @Test func numericLabelsSortByValue() throws {
        let judgments = try read("item,worker,label\ni1,w1,10\ni1,w2,2\ni2,w1,1\n")
        #expect(judgments.labelCoding.values == ["1", "2", "10"])
    }

    @Test func anEmptyFieldNamesItsLineAndColumn() {
        #expect(throws: AssayError.invalidInput(field: "worker", line: 3, reason: "is empty")) {
            try read("item,worker,label\ni1,w1,cat\ni1,,dog\n")
        }
        #expect(throws: AssayError.invalidInput(field: "label", line: 2, reason: "is empty")) {
            try read("item,worker,label\ni1,w1,\n")
        }
        #expect(throws: AssayError.invalidInput(field: "task", line: 2, reason: "is empty")) {
            try read("task,annotator,answer\n,w1,x\n", columns: .init(item: "task", worker: "annotator", label: "answer"))
        }
    }

    @Test func aRecordSpanningLinesIsReportedAtItsFirstLine() {
        #expect(throws: AssayError.invalidInput(field: "label", line: 4, reason: "is empty")) {
            try read("item,worker,label\n\"i\n1\",w1,cat\ni2,w1,\n")
        }
    }

    @Test func aMissingColumnIsReportedOnLineOneWithTheHeader() {
        let expected = AssayError.invalidInput(
            field: "worker", line: 1, reason: #"no column named "worker"; the header has "item", "annotator", "label""#)
        #expect(throws: expected) { try read("item,annotator,label\ni1,w1,cat\n") }
        #expect(throws: expected, "also without rows") { try read("item,annotator,label\n") }
    }

    @Test func aRepeatedPairNamesBothLines() {
        #expect(
            throws: AssayError.invalidInput(
                field: "worker", line: 5,
                reason: "'ann' already judged item 'post-1' on line 2; keep one of the two rows")
        ) {
            try read("item,worker,label\npost-1,ann,spam\npost-1,bob,spam\npost-2,ann,ham\npost-1,ann,ham\n")
        }
    }

    @Test func aLabelOutsideTheOrderIsAnErrorOnItsLine() {
        #expect(
            throws: AssayError.invalidInput(
                field: "label", line: 3,
                reason: #"label 'bird' of item 'i2' is not in the label order ["cat", "dog"]; "#
                    + "add it to the order or fix the row.")
        ) {
            try read("item,worker,label\ni1,w1,cat\ni2,w1,bird\n", labelOrder: ["cat", "dog"])
        }
    }

    @Test func aRepeatedLabelInTheOrderIsAnErrorOfTheOrder() {
        let error = #expect(throws: AssayError.self) {
            try JudgmentCSVReader(labelOrder: ["cat", "dog", "cat"])
        }
        guard case .invalidInput(let field, let line, _)? = error else {
            Issue.record("expected invalidInput, got \(String(describing: error))")
            return
        }
        #expect(field == "order")
        #expect(line == nil)
    }

    @Test func aHeaderWithoutRowsHasNoJudgments() {
        let expected = AssayError.invalidInput(field: nil, line: nil, reason: "the file has no judgments, only a header")
        #expect(throws: expected) { try read("item,worker,label\n") }
        #expect(throws: expected) { try read("item,worker,label") }
        #expect(throws: expected, "blank lines are not rows") { try read("item,worker,label\n\n\n") }
    }

    @Test func anEmptyFileNeedsAHeader() {
        let expected = AssayError.invalidInput(field: nil, line: 1, reason: "the CSV is empty: it needs a header row")
        #expect(throws: expected) { try read("") }
        #expect(throws: expected) { try read("\n\n") }
    }

    @Test func aBadlyQuotedRowIsAnErrorOnItsLine() {
        let error = #expect(throws: AssayError.self) { try read("item,worker,label\ni1,w1,cat\ni2,w1,\"dog\n") }
        guard case .invalidInput(_, let line, _)? = error else {
            Issue.record("expected invalidInput, got \(String(describing: error))")
            return
        }
        #expect(line == 3)
    }
}
