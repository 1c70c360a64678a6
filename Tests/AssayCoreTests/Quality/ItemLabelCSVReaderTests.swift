import AssayCore
import Testing

/// Reads `text` fed as the given pieces (cut at `cuts`, byte offsets in increasing order).
private func read(
    _ text: String, cuts: [Int] = [], itemColumn: String = "item", labelColumn: String = "label",
    delimiter: UInt8 = UInt8(ascii: ",")
) throws -> ItemLabelCSVReader.Table {
    let bytes = Array(text.utf8)
    var reader = ItemLabelCSVReader(itemColumn: itemColumn, labelColumn: labelColumn, delimiter: delimiter)
    var start = 0
    for cut in cuts + [bytes.count] {
        try reader.feed(bytes[start..<cut])
        start = cut
    }
    return try reader.finish()
}

@Suite("ItemLabelCSVReader")
struct ItemLabelCSVReaderTests {
    static let text = "item,label,confidence\r\npost-2,spam,0.9\r\n\"post-1, again\",\"ham\nor eggs\",1.0\r\n\r\npost-3,café,\n"

    @Test func spacesAroundAValueAreNotPartOfIt() throws {
        let table = try read("item,label\npost-1 , spam\npost-2,ham \n")
        #expect(table.labels == ["post-1": "spam", "post-2": "ham"])
    }

    @Test func docExample() throws {
        var reader = ItemLabelCSVReader()
        try reader.feed(Array("item,label\npost-1,spam\npost-2,ham\n".utf8))
        let truth = try reader.finish()
        #expect(truth.labels == ["post-1": "spam", "post-2": "ham"])
        #expect(truth.items == ["post-1", "post-2"])
    }

    @Test func readsLabelsByItemInFileOrderIgnoringOtherColumns() throws {
        let table = try read(Self.text)
        #expect(table.items == ["post-2", "post-1, again", "post-3"])
        #expect(table.labels == ["post-2": "spam", "post-1, again": "ham\nor eggs", "post-3": "café"])
    }

    @Test func chunksCutAtEveryByteGiveTheSameTable() throws {
        let whole = try read(Self.text)
        let size = Self.text.utf8.count
        for cut in 0...size {
            #expect(try read(Self.text, cuts: [cut]) == whole, "cut at byte \(cut)")
        }
        #expect(try read(Self.text, cuts: Array(0...size)) == whole, "one byte a chunk")
    }

    @Test func customColumnNames() throws {
        let table = try read(
            "worker,weight,note\nann,0.5,x\nbob,2,\n", itemColumn: "worker", labelColumn: "weight")
        #expect(table.items == ["ann", "bob"])
        #expect(table.labels == ["ann": "0.5", "bob": "2"])
    }

    @Test func otherDelimiters() throws {
        let table = try read("item;label\na,b;c\n", delimiter: UInt8(ascii: ";"))
        #expect(table.labels == ["a,b": "c"])
    }

    @Test func aRepeatedItemNamesBothLinesEvenWithTheSameLabel() {
        #expect(
            throws: AssayError.invalidInput(
                field: "item", line: 4, reason: "'a' already has a row on line 2; keep one of the two")
        ) {
            try read("item,label\na,x\nb,y\na,x\n")
        }
    }

    @Test func errorsNameTheSameLineWhereverTheInputIsCut() {
        let text = "task,answer\nq1,yes\nq2,no\n\nq1,no\n"
        let expected = AssayError.invalidInput(
            field: "task", line: 5, reason: "'q1' already has a row on line 2; keep one of the two")
        for cut in 0...text.utf8.count {
            #expect(throws: expected, "cut at byte \(cut)") {
                try read(text, cuts: [cut], itemColumn: "task", labelColumn: "answer")
            }
        }
    }

    @Test func anEmptyFieldNamesItsLineAndColumn() {
        #expect(throws: AssayError.invalidInput(field: "label", line: 3, reason: "is empty")) {
            try read("item,label\na,x\nb,\n")
        }
        #expect(throws: AssayError.invalidInput(field: "item", line: 2, reason: "is empty")) {
            try read("item,label\n,x\n")
        }
    }

    @Test func aMissingColumnIsReportedOnLineOneWithTheHeader() {
        let expected = AssayError.invalidInput(
            field: "label", line: 1, reason: #"no column named "label"; the header has "item", "answer""#)
        #expect(throws: expected) { try read("item,answer\na,x\n") }
        #expect(throws: expected, "also without rows") { try read("item,answer\n") }
    }

    @Test func aHeaderWithoutRowsIsAnEmptyTable() throws {
        for text in ["item,label\n", "item,label", "item,label\r\n\r\n"] {
            let table = try read(text)
            #expect(table.items.isEmpty && table.labels.isEmpty, "\(text.debugDescription)")
        }
    }

    @Test func anEmptyFileNeedsAHeader() {
        #expect(
            throws: AssayError.invalidInput(field: nil, line: 1, reason: "the CSV is empty: it needs a header row")
        ) {
            try read("")
        }
    }
}
