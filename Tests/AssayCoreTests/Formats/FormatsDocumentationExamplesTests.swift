import AssayCore
import Foundation
import Testing

/// The `For example:` blocks of the Formats doc comments, copied here so they keep compiling and stay true.
@Suite("Formats documentation examples")
struct FormatsDocumentationExamplesTests {
    @Test func formatError() throws {
        do {
            _ = try CSVTable(parsing: Array("id,text\n1,hello,extra\n".utf8))
            Issue.record("expected an error")
        } catch let error as FormatError {
            #expect(error.description == "line 2: expected 2 fields, found 3")
        }
    }

    @Test func csvRecord() {
        let record = CSVRecord(line: 2, fields: ["item-1", "spam"])
        #expect(record.fields[1] == "spam")
        let expected = CSVRecord(line: 2, fields: ["1", "hello"])
        #expect(expected.line == 2)
    }

    @Test func csvParser() throws {
        var parser = CSVParser()
        var records = try parser.feed(Array("id,text\n1,\"Hello, \"\"world\"\"\"\n2,".utf8))
        records += try parser.feed(Array("bye\n".utf8))
        records += try parser.finish()
        #expect(parser.header == ["id", "text"])
        #expect(records[0].fields == ["1", "Hello, \"world\""])
        #expect(records[1].line == 3)

        let tsv = CSVParser(delimiter: UInt8(ascii: "\t"), hasHeader: false)
        #expect(tsv.delimiter == 9 && !tsv.hasHeader)

        var headerless = CSVParser(hasHeader: false)
        #expect(try headerless.feed(Array("a,b\nc,".utf8)) == [CSVRecord(line: 1, fields: ["a", "b"])])

        var last = CSVParser(hasHeader: false)
        _ = try last.feed(Array("a,b".utf8))
        #expect(try last.finish() == [CSVRecord(line: 1, fields: ["a", "b"])])
    }

    @Test func csvTable() throws {
        let table = try CSVTable(parsing: Array("id,text\n1,hello\n2,bye\n".utf8))
        let text = try table.column(named: "text")
        #expect(table.records.map { $0.fields[text] } == ["hello", "bye"])

        let semicolons = try CSVTable(parsing: Array("id;text\n1;hello\n".utf8), delimiter: UInt8(ascii: ";"))
        #expect(semicolons.records[0].fields == ["1", "hello"])

        let small = try CSVTable(parsing: Array("id,text\n1,hello\n".utf8))
        #expect(try small.column(named: "text") == 1)
        #expect {
            try small.column(named: "label")
        } throws: { error in
            String(describing: error) == #"no column named "label"; the header has "id", "text""#
        }
    }

    @Test func csvWriter() {
        var csv = CSVWriter.row(["id", "text"])
        csv += CSVWriter.row(["1", "Hello, \"world\""])
        csv += CSVWriter.row(["2", "=1+1"], neutralizingFormulas: true)
        #expect(csv == "id,text\n1,\"Hello, \"\"world\"\"\"\n2,'=1+1\n")
        #expect(CSVWriter.row(["a", "b,c", "line\nbreak"]) == "a,\"b,c\",\"line\nbreak\"\n")
        #expect(CSVWriter.escaped("say \"hi\"") == #""say ""hi""""#)
        #expect(CSVWriter.escaped("@admin", neutralizingFormulas: true) == "'@admin")
    }

    @Test func jsonLine() throws {
        let line = JSONLine(line: 3, bytes: Array(#"{"id": "item-1"}"#.utf8))
        #expect(try line.decode(JSONValue.self) == ["id": "item-1"])
        #expect(JSONLine(line: 1, bytes: Array("{}".utf8)).bytes == [123, 125])

        struct Row: Decodable { let id: String }
        let row = try JSONLine(line: 1, bytes: Array(#"{"id": "a"}"#.utf8)).decode(Row.self)
        #expect(row.id == "a")
    }

    @Test func jsonLinesSplitter() {
        var splitter = JSONLinesSplitter()
        var lines = splitter.feed(Array("{\"id\": 1}\n\n{\"i".utf8))
        lines += splitter.feed(Array("d\": 2}".utf8))
        lines += splitter.finish()
        #expect(lines.map(\.line) == [1, 3])

        var another = JSONLinesSplitter()
        #expect(another.feed(Array("{}\n{".utf8)).count == 1)

        var last = JSONLinesSplitter()
        _ = last.feed(Array("{}".utf8))
        #expect(last.finish() == [JSONLine(line: 1, bytes: Array("{}".utf8))])
    }

    @Test func jsonLinesWriter() throws {
        struct Row: Encodable {
            let id: String
            let label: String
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try JSONLinesWriter.lines([Row(id: "a", label: "spam")], using: encoder)
        #expect(data == Data("{\"id\":\"a\",\"label\":\"spam\"}\n".utf8))
        #expect(try JSONLinesWriter.line(["id": "a"]) == Data("{\"id\":\"a\"}\n".utf8))
        #expect(try JSONLinesWriter.lines([1, 2, 3]) == Data("1\n2\n3\n".utf8))
    }

    @Test func jsonValue() throws {
        let payload = try JSONDecoder().decode(
            JSONValue.self,
            from: Data(#"{"text": "hi", "tags": ["a"], "n": 2}"#.utf8)
        )
        #expect(payload["text"]?.stringValue == "hi")
        #expect(payload["n"]?.doubleValue == 2.0)
        #expect(payload == ["text": "hi", "tags": ["a"], "n": 2])

        let value = try JSONDecoder().decode(JSONValue.self, from: Data("[1, true, null]".utf8))
        #expect(value == [1, true, nil])
        #expect(try JSONEncoder().encode(JSONValue.array([1, "a", nil])) == Data(#"[1,"a",null]"#.utf8))

        #expect(JSONValue.string("spam").stringValue == "spam")
        #expect(JSONValue.number(1).stringValue == nil)
        #expect(JSONValue.number(0.5).doubleValue == 0.5)
        #expect(JSONValue.bool(true).boolValue == true)
        #expect(JSONValue.array(["a", "b"]).arrayValue?.count == 2)
        #expect(JSONValue.object(["id": "a"]).objectValue?.keys.sorted() == ["id"])
        #expect(JSONValue.null.isNull)
        let nested: JSONValue = ["meta": ["source": "web"]]
        #expect(nested["meta"]?["source"]?.stringValue == "web")
        let tags: JSONValue = ["a", "b"]
        #expect(tags[1]?.stringValue == "b")
    }
}
