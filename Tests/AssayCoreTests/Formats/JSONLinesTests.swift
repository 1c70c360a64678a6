import AssayCore
import Foundation
import Testing

/// Splits `bytes` in chunks of `chunkSize` bytes (the whole input when `nil`).
private func split(_ bytes: [UInt8], chunkSize: Int? = nil) -> [JSONLine] {
    var splitter = JSONLinesSplitter()
    var lines: [JSONLine] = []
    let size = max(chunkSize ?? bytes.count, 1)
    for start in stride(from: 0, to: bytes.count, by: size) {
        lines += splitter.feed(bytes[start..<min(start + size, bytes.count)])
    }
    return lines + splitter.finish()
}

private func split(_ text: String, chunkSize: Int? = nil) -> [JSONLine] {
    split(Array(text.utf8), chunkSize: chunkSize)
}

private func texts(_ lines: [JSONLine]) -> [String] {
    lines.map { String(decoding: $0.bytes, as: UTF8.self) }
}

@Suite("JSON Lines")
struct JSONLinesTests {
    @Test func skipsBlankLinesAndKeepsLineNumbers() {
        let lines = split("{\"a\":1}\n\n   \n{\"b\":2}\r\n\t\r\n\n[3]")
        #expect(lines.map(\.line) == [1, 4, 7])
        #expect(texts(lines) == [#"{"a":1}"#, #"{"b":2}"#, "[3]"])
    }

    @Test func dropsCarriageReturnsAndAByteOrderMark() {
        let lines = split([0xEF, 0xBB, 0xBF] + Array("{}\r\n{\"x\":\"\u{FEFF}\"}\r\n".utf8), chunkSize: 1)
        #expect(texts(lines) == ["{}", "{\"x\":\"\u{FEFF}\"}"])
    }

    @Test(arguments: 1...5)
    func chunkedSplittingMatchesWholeBufferSplitting(chunkSize: Int) {
        let text = "\u{FEFF}{\"t\":\"é\"}\r\n\r\n\n  {\"n\": 1} \n[]\r\n\"last\""
        #expect(split(text, chunkSize: chunkSize) == split(text))
        #expect(split(text).map(\.line) == [1, 4, 5, 6])
    }

    @Test func emitsNothingForEmptyOrBlankInput() {
        #expect(split("").isEmpty)
        #expect(split("\n\r\n  \n").isEmpty)
        #expect(split([0xEF, 0xBB]) == [JSONLine(line: 1, bytes: [0xEF, 0xBB])])
    }

    @Test func decodesLinesAndReportsFailuresWithTheirLine() throws {
        struct Row: Decodable, Equatable {
            let id: String
            let labels: [String]
        }
        let lines = split("{\"id\":\"a\",\"labels\":[\"x\"]}\n\n{\"id\":\"b\",\"labels\":[1]}\n{\"labels\":[]}\n{oops\n")
        #expect(try lines[0].decode(Row.self) == Row(id: "a", labels: ["x"]))
        #expect(throws: FormatError.invalidJSON(line: 3, reason: "expected String at labels[0]")) {
            try lines[1].decode(Row.self)
        }
        #expect(throws: FormatError.invalidJSON(line: 4, reason: #"missing key "id""#)) {
            try lines[2].decode(Row.self)
        }
        do {
            _ = try lines[3].decode(Row.self)
            Issue.record("expected a decoding error")
        } catch let error as FormatError {
            #expect(error.description.hasPrefix("line 5: invalid JSON: "))
        }
    }

    @Test func writesOneCompactValuePerLine() throws {
        struct Row: Codable, Equatable {
            let id: String
            let text: String
        }
        let rows = [Row(id: "a", text: "two\nlines"), Row(id: "b", text: "tab\tand \"quotes\"")]
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted, .sortedKeys]
        for encoder in [JSONEncoder(), pretty] {
            let data = try JSONLinesWriter.lines(rows, using: encoder)
            let lines = split(Array(data))
            #expect(lines.map(\.line) == [1, 2])
            #expect(try lines.map { try $0.decode(Row.self) } == rows)
            #expect(data.last == UInt8(ascii: "\n"))
        }
        #expect(try JSONLinesWriter.line(["id": "a"]) == Data("{\"id\":\"a\"}\n".utf8))
    }
}
