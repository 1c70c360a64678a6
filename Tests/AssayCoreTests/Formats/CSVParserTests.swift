import AssayCore
import Foundation
import Testing

/// Parses `text` in chunks of `chunkSize` bytes (the whole input when `nil`) and returns the header and records.
private func parse(
    _ text: String,
    hasHeader: Bool = true,
    delimiter: UInt8 = UInt8(ascii: ","),
    chunkSize: Int? = nil
) throws -> (header: [String]?, records: [CSVRecord]) {
    try parse(Array(text.utf8), hasHeader: hasHeader, delimiter: delimiter, chunkSize: chunkSize)
}

private func parse(
    _ bytes: [UInt8],
    hasHeader: Bool = true,
    delimiter: UInt8 = UInt8(ascii: ","),
    chunkSize: Int? = nil
) throws -> (header: [String]?, records: [CSVRecord]) {
    var parser = CSVParser(delimiter: delimiter, hasHeader: hasHeader)
    var records: [CSVRecord] = []
    let size = max(chunkSize ?? bytes.count, 1)
    var start = 0
    while start < bytes.count {
        let end = min(start + size, bytes.count)
        records += try parser.feed(bytes[start..<end])
        start = end
    }
    records += try parser.finish()
    return (parser.header, records)
}

@Suite("CSVParser")
struct CSVParserTests {
    @Test func readsHeaderAndRecordsWithTheirLines() throws {
        let (header, records) = try parse("id,label\n1,spam\n2,ham\n")
        #expect(header == ["id", "label"])
        #expect(records == [CSVRecord(line: 2, fields: ["1", "spam"]), CSVRecord(line: 3, fields: ["2", "ham"])])
    }

    @Test func unquotesDelimitersQuotesAndEmptyFields() throws {
        let text = "a,b,c,d\n" + "\"x, y\",\"say \"\"hi\"\"\",\"\",\"\"\"\"\n" + "1,,3,\n"
        let (_, records) = try parse(text)
        #expect(records.map(\.fields) == [["x, y", #"say "hi""#, "", #"""#], ["1", "", "3", ""]])
    }

    @Test func keepsABareQuoteInsideAnUnquotedField() throws {
        let (_, records) = try parse("size,name\n5\" screen,tv\n")
        #expect(records.map(\.fields) == [[#"5" screen"#, "tv"]])
    }

    @Test func acceptsCRLFAndLoneCRLineEndings() throws {
        let (header, records) = try parse("a,b\r\n1,2\r\n3,4\r5,6\r\n")
        #expect(header == ["a", "b"])
        #expect(
            records == [
                CSVRecord(line: 2, fields: ["1", "2"]), CSVRecord(line: 3, fields: ["3", "4"]),
                CSVRecord(line: 4, fields: ["5", "6"]),
            ]
        )
    }

    @Test func countsLinesInsideQuotedFields() throws {
        let text = "id,text\n1,\"first\nsecond\r\nthird\"\n2,\"a\rb\"\n3,after\n"
        let (_, records) = try parse(text)
        #expect(
            records == [
                CSVRecord(line: 2, fields: ["1", "first\nsecond\r\nthird"]),
                CSVRecord(line: 5, fields: ["2", "a\rb"]),
                CSVRecord(line: 7, fields: ["3", "after"]),
            ]
        )
    }

    @Test func skipsBlankLinesButCountsThem() throws {
        let (header, records) = try parse("\n\r\nid,x\n\n1,a\r\n\r\n\n2,b\n\n")
        #expect(header == ["id", "x"])
        #expect(records == [CSVRecord(line: 5, fields: ["1", "a"]), CSVRecord(line: 8, fields: ["2", "b"])])
    }

    @Test func dropsAByteOrderMark() throws {
        let (header, records) = try parse([0xEF, 0xBB, 0xBF] + Array("id,x\n1,a\n".utf8), chunkSize: 1)
        #expect(header == ["id", "x"])
        #expect(records == [CSVRecord(line: 2, fields: ["1", "a"])])
    }

    @Test(arguments: ["a", "ab", "ab,c", "\"q\""])
    func readsInputsShorterThanAByteOrderMark(text: String) throws {
        let (_, records) = try parse(text, hasHeader: false, chunkSize: 1)
        #expect(records.count == 1)
    }

    @Test func readsAFinalRecordWithoutALineBreak() throws {
        #expect(try parse("a,b\n1,2").records == [CSVRecord(line: 2, fields: ["1", "2"])])
        #expect(try parse("a,b\n1,").records == [CSVRecord(line: 2, fields: ["1", ""])])
        #expect(try parse("a,b\n1,\"x\"").records == [CSVRecord(line: 2, fields: ["1", "x"])])
        #expect(try parse("a,b\n1,\"\"").records == [CSVRecord(line: 2, fields: ["1", ""])])
    }

    @Test func readsEmptyAndHeaderOnlyInputs() throws {
        #expect(try parse("").header == nil)
        #expect(try parse("").records.isEmpty)
        #expect(try parse("id,x\r\n").header == ["id", "x"])
        #expect(try parse("id,x\r\n").records.isEmpty)
    }

    @Test func withoutAHeaderTheFirstRecordSetsTheFieldCount() throws {
        let (header, records) = try parse("1,a\n2,b\n", hasHeader: false)
        #expect(header == nil)
        #expect(records == [CSVRecord(line: 1, fields: ["1", "a"]), CSVRecord(line: 2, fields: ["2", "b"])])
        #expect(throws: FormatError.fieldCountMismatch(line: 2, expected: 2, found: 1)) {
            try parse("1,a\n2\n", hasHeader: false)
        }
    }

    @Test func readsOtherDelimiters() throws {
        let (header, records) = try parse("id\ttext\n1\t\"a\tb\"\n", delimiter: UInt8(ascii: "\t"))
        #expect(header == ["id", "text"])
        #expect(records.map(\.fields) == [["1", "a\tb"]])
    }

    @Test func decodesMultiByteCharactersSplitAcrossChunks() throws {
        let text = "id,text\n1,naïve café 😀\n2,\"日本語, テキスト\"\n"
        let (_, records) = try parse(text, chunkSize: 1)
        #expect(records.map(\.fields) == [["1", "naïve café 😀"], ["2", "日本語, テキスト"]])
    }

    @Test func readsDataAndNonContiguousSequences() throws {
        let text = "id,x\n1,\"a\"\"b\"\n"
        var fromData = CSVParser()
        let dataRecords = try fromData.feed(Data(text.utf8)) + fromData.finish()
        var fromLazy = CSVParser()
        let lazyRecords = try fromLazy.feed(text.utf8.lazy.map { $0 }) + fromLazy.finish()
        #expect(dataRecords == [CSVRecord(line: 2, fields: ["1", "a\"b"])])
        #expect(lazyRecords == dataRecords)
    }

    // MARK: - Chunk boundaries

    static let trickyInputs = [
        "id,text\r\n1,\"a,b\"\r\n2,\"say \"\"hi\"\"\"\r\n",
        "id,text\n1,\"multi\r\nline\r\n\"\"quoted\"\"\"\r\n\r\n2,plain\r3,\"\"\n",
        "\u{FEFF}id,text,z\n\n1,\"\"\"\",\n2,é\"x,\n3,\"\",\n",
        "id,text,n\n\"a\"\"\",\"\n\",\"\"\"\"\"\"\"\"\nb,c,d",
        "a,b\r\n\"\r\",\"\r\n\"\r\n,\r\n",
    ]

    @Test(arguments: trickyInputs, 1...7)
    func chunkedParsingMatchesWholeBufferParsing(text: String, chunkSize: Int) throws {
        let whole = try parse(text)
        let chunked = try parse(text, chunkSize: chunkSize)
        #expect(chunked.header == whole.header)
        #expect(chunked.records == whole.records)
        #expect(!whole.records.isEmpty)
    }

    @Test func chunkedParsingKeepsLinesAndFieldsOfTheTrickyInputs() throws {
        let (_, records) = try parse(Self.trickyInputs[1], chunkSize: 1)
        #expect(
            records == [
                CSVRecord(line: 2, fields: ["1", "multi\r\nline\r\n\"quoted\""]),
                CSVRecord(line: 6, fields: ["2", "plain"]),
                CSVRecord(line: 7, fields: ["3", ""]),
            ]
        )
    }

    // MARK: - Errors

    @Test func reportsAFieldCountMismatchWithItsLine() throws {
        let text = "a,b,c\n1,2,3\n4,\"5\n6\",7\n\n\n8,9\n"
        #expect(throws: FormatError.fieldCountMismatch(line: 7, expected: 3, found: 2)) { try parse(text) }
        #expect(
            FormatError.fieldCountMismatch(line: 7, expected: 3, found: 2).description
                == "line 7: expected 3 fields, found 2"
        )
    }

    @Test(arguments: [nil, 1, 2])
    func reportsAnUnterminatedQuoteAtTheLineItStarts(chunkSize: Int?) throws {
        #expect(throws: FormatError.unterminatedQuote(line: 3)) {
            try parse("a,b\n1,2\n3,\"never\nclosed\n", chunkSize: chunkSize)
        }
    }

    @Test(arguments: [nil, 1])
    func rejectsTextAfterAClosingQuote(chunkSize: Int?) throws {
        #expect(throws: FormatError.unexpectedCharacterAfterQuote(line: 2)) {
            try parse("a,b\n\"x\"y,2\n", chunkSize: chunkSize)
        }
    }

    @Test(arguments: [nil, 1])
    func reportsInvalidUTF8WithItsLine(chunkSize: Int?) throws {
        let bytes = Array("a,b\n1,2\n3,".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        #expect(throws: FormatError.invalidUTF8(line: 3, field: 1)) { try parse(bytes, chunkSize: chunkSize) }
    }

    @Test func describesErrorsForPeople() {
        #expect(
            FormatError.unterminatedQuote(line: 4).description
                == "line 4: quoted field is not closed before the end of the input"
        )
        #expect(FormatError.invalidUTF8(line: 2, field: 0).description
                == "line 2, field 1: text is not valid UTF-8; save the file as UTF-8 (these bytes look like Latin-1 or Windows-1252)")
        #expect(FormatError.invalidUTF8(line: 2, field: 1).asAssayError(header: ["id", "label"])
                == .invalidInput(field: "label", line: 2, reason: FormatError.notUTF8))
        #expect(
            FormatError.missingColumn("label", available: ["id", "text"]).description
                == #"no column named "label"; the header has "id", "text""#
        )
        #expect(
            FormatError.missingColumn("label", available: []).description
                == #"no column named "label"; the input has no header"#
        )
    }
}

@Suite("CSVTable")
struct CSVTableTests {
    @Test func findsColumnsByName() throws {
        let table = try CSVTable(parsing: Data("id,text,label\n1,hi,spam\n".utf8))
        #expect(table.header == ["id", "text", "label"])
        #expect(try table.column(named: "label") == 2)
        #expect(table.records[0].fields[try table.column(named: "text")] == "hi")
    }

    @Test func namesTheAvailableColumnsWhenOneIsMissing() throws {
        let table = try CSVTable(parsing: Array("id,text\n".utf8))
        #expect(throws: FormatError.missingColumn("Label", available: ["id", "text"])) {
            try table.column(named: "Label")
        }
    }

    @Test func readsAnEmptyInputAsAnEmptyTable() throws {
        let table = try CSVTable(parsing: [UInt8]())
        #expect(table.header.isEmpty)
        #expect(table.records.isEmpty)
    }
}
