import AssayCore
import Testing

@Suite("JSON objects from an array or from JSON Lines")
struct JSONObjectStreamTests {
    private func objects(_ text: String, chunk: Int = .max) throws -> [JSONLine] {
        var stream = JSONObjectStream()
        let bytes = Array(text.utf8)
        var result: [JSONLine] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            result += try stream.feed(bytes[start..<end])
            start = end
        }
        return result + (try stream.finish())
    }

    private func texts(_ lines: [JSONLine]) -> [String] { lines.map { String(decoding: $0.bytes, as: UTF8.self) } }

    @Test("the doc example: an array fed in two chunks gives its objects and their lines")
    func docExample() throws {
        var stream = JSONObjectStream()
        var objects = try stream.feed(Array("[\n  {\"id\": 1},\n  {\"id\": ".utf8))
        objects += try stream.feed(Array("2}\n]".utf8))
        objects += try stream.finish()
        #expect(objects.map(\.line) == [2, 3])
        #expect(texts(objects) == [#"{"id": 1}"#, #"{"id": 2}"#])
    }

    @Test("strings holding brackets, braces, quotes and escapes do not end an object; any chunking gives the same")
    func stringsAndChunks() throws {
        let text = """
            \u{FEFF}  [{"text": "a ] b } c [ {", "q": "say \\"hi\\" \\\\", "nested": {"list": [1, {"x": "}"}]}},
            {"text": "ünïcödé 🐍"}
            ,{"data": {}}]\n
            """
        let whole = try objects(text)
        #expect(whole.count == 3)
        #expect(whole.map(\.line) == [1, 2, 3])
        #expect(try JSONValue(parsing: whole[0].bytes)["nested"]?["list"]?[1]?["x"] == "}")
        for chunk in [1, 2, 3, 7, 64] { #expect(try objects(text, chunk: chunk) == whole, "chunks of \(chunk)") }
    }

    @Test("input starting with anything but '[' is JSON Lines; empty input and an empty array give nothing")
    func linesAndEmpty() throws {
        #expect(texts(try objects("{\"a\": 1}\n\n{\"a\": 2}\n", chunk: 3)) == [#"{"a": 1}"#, #"{"a": 2}"#])
        #expect(try objects("{\"a\": 1}\n\n{\"a\": 2}").map(\.line) == [1, 3])
        #expect(try objects("").isEmpty)
        #expect(try objects("  \n ").isEmpty)
        #expect(try objects("[]").isEmpty)
        #expect(try objects(" [ \n ] \n").isEmpty)
    }

    @Test("a malformed array is refused with the line at fault", arguments: [
        ("[{\"a\": 1}\n{\"a\": 2}]", 2, "expected ',' or ']'"),
        ("[{\"a\": 1},\n]", 2, "trailing comma"),
        ("[\n1, 2]", 2, "must be an object"),
        ("[{\"a\": 1}] x", 1, "after the JSON array"),
        ("[{\"a\": 1},\n{\"a\": ", 2, "never closed"),
        ("[{\"a\": 1}\n", 1, "never closed with ']'"),
        ("[\n{\"a\": 1},\n\n", 2, "never closed with ']'"),
    ])
    func malformed(text: String, line: Int, reason: String) throws {
        #expect {
            try objects(text)
        } throws: { error in
            guard case .invalidJSON(let at, let why) = error as? FormatError else { return false }
            return at == line && why.contains(reason)
        }
    }
}
