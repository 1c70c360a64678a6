import AssayCore
import Testing

@Suite("CSVWriter")
struct CSVWriterTests {
    @Test func quotesOnlyFieldsThatNeedIt() {
        #expect(
            CSVWriter.row(["plain", "a,b", #"say "hi""#, "line\nbreak", "cr\rhere", ""])
                == "plain,\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",\"cr\rhere\",\n"
        )
        #expect(CSVWriter.escaped(" spaced ") == " spaced ")
        #expect(CSVWriter.escaped("a;b", delimiter: UInt8(ascii: ";")) == "\"a;b\"")
        #expect(CSVWriter.escaped("a,b", delimiter: UInt8(ascii: ";")) == "a,b")
    }

    @Test func writesARowOfOneEmptyFieldSoItIsNotABlankLine() throws {
        #expect(CSVWriter.row([""]) == "\"\"\n")
        var parser = CSVParser(hasHeader: false)
        let records = try parser.feed(Array((CSVWriter.row(["x"]) + CSVWriter.row([""])).utf8)) + parser.finish()
        #expect(records.map(\.fields) == [["x"], [""]])
    }

    @Test func neutralizesFormulasOnlyWhenAsked() {
        let risky = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "=HYPERLINK(\"http://x\",\"y\")"]
        #expect(CSVWriter.row(risky) == "=1+1,+cmd,-2+3,@SUM(A1),\tx,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n")
        #expect(
            CSVWriter.row(risky, neutralizingFormulas: true)
                == "'=1+1,'+cmd,'-2+3,'@SUM(A1),'\tx,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n"
        )
        #expect(CSVWriter.escaped("\r=1", neutralizingFormulas: true) == "\"'\r=1\"")
    }

    @Test(arguments: ["-3", "+0.5", "-1.5e-3", "-.5", "+2E10", "=1", "-", "-1e", "-1.2.3", "- 1", "-0x1F"])
    func leavesPlainNumbersAloneWhenNeutralizing(field: String) {
        let isNumber = ["-3", "+0.5", "-1.5e-3", "-.5", "+2E10"].contains(field)
        #expect(CSVWriter.escaped(field, neutralizingFormulas: true) == (isNumber ? field : "'" + field))
    }

    @Test func roundTripsThroughTheParser() throws {
        let rows: [[String]] = [
            ["id", "text", "label"],
            ["1", "Hello, \"world\"", "spam"],
            ["2", "multi\nline\r\nwith \"quotes\", commas", ""],
            ["3", "\"", "\"\""],
            ["4", "日本語 😀", " padded "],
            ["", "", ""],
            ["5", "\r", "trailing\n"],
        ]
        let text = rows.map { CSVWriter.row($0) }.joined()
        for chunkSize in [1, 3, text.utf8.count] {
            var parser = CSVParser(hasHeader: false)
            var records: [CSVRecord] = []
            let bytes = Array(text.utf8)
            for start in stride(from: 0, to: bytes.count, by: chunkSize) {
                records += try parser.feed(bytes[start..<min(start + chunkSize, bytes.count)])
            }
            records += try parser.finish()
            #expect(records.map(\.fields) == rows)
            #expect(records.map(\.line) == [1, 2, 3, 6, 7, 8, 9])
        }
    }
}
