import AssayCore
import Foundation
import Testing

private func parse(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: Array(text.utf8))
}

/// The same value as Foundation reads it, for comparison.
private func foundation(_ text: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
}

@Suite("JSON text without Codable")
struct JSONValueTextTests {
    @Test(arguments: [
        #"{"text": "hello", "n": 3, "x": -0.25, "big": 12345678901, "e": 1.5e3, "ok": true, "no": false, "nil": null}"#,
        #"[1, [2, [3, {"a": []}]], {}, "", "\"quoted\" \\ / \b\f\n\r\t"]"#,
        #"{"emoji": "😀 \ud83d\ude00", "rtl": "مرحبا", "accents": "caf\u00e9", "nul": "a\u0000b"}"#,
        "  \n\t{\"spaced\" :\r\n [ 1 , 2 ] }  ",
        #""just a string""#, "0", "-0", "1E-7", "true", "null",
    ])
    func readsWhatFoundationReads(text: String) throws {
        #expect(try parse(text) == foundation(text))
    }

    @Test("a key given twice in one object is refused: parsers disagree on which value wins")
    func refusesARepeatedKey() throws {
        let error = #expect(throws: JSONValue.SyntaxError.self) { try parse(#"{"a": 1, "b": {"c": 1, "c": 2}}"#) }
        #expect(error?.reason == #"the key "c" appears twice in one object"#)
        #expect(try parse(#"{"a": {"c": 1}, "b": {"c": 2}}"#) == ["a": ["c": 1], "b": ["c": 2]], "one key in two objects is fine")
    }

    @Test(arguments: [
        ("", "unexpected end of text"), ("{", "expected a quoted key"), (#"{"a" 1}"#, "expected ':' after a key"),
        (#"{"a": 1,}"#, "expected a quoted key"), ("[1,]", "unexpected character"), ("[1 2]", "expected ',' or ']'"),
        (#"{"a": 1} x"#, "unexpected text after the value"), ("01", "unexpected text after the value"),
        ("1.", "invalid number"), ("-", "invalid number"), ("1e", "invalid number"), ("+1", "unexpected character"),
        ("NaN", "unexpected character"), ("tru", "unexpected character"), (#""abc"#, "unterminated string"),
        (#""a\x""#, "invalid escape in a string"), (#""\u12"#, "short \\u escape"), (#""\uzzzz""#, "invalid \\u escape"),
        (#""\ud83d""#, "unpaired surrogate in a \\u escape"), (#""\ude00""#, "unpaired surrogate in a \\u escape"),
        ("\"tab\there\"", "unescaped control character in a string"), ("1e999", "number 1e999 is out of range"),
    ])
    func rejectsWhatIsNotJSON(text: String, reason: String) throws {
        let error = #expect(throws: JSONValue.SyntaxError.self) { try parse(text) }
        #expect(error?.reason == reason)
        // Foundation's reader accepts a trailing comma; RFC 8259 does not, and neither does this one.
        if !["[1,]", #"{"a": 1,}"#].contains(text) {
            #expect(throws: (any Error).self) { try foundation(text) }
        }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        let bytes: [UInt8] = [UInt8(ascii: "\""), 0xC3, 0x28, UInt8(ascii: "\"")]
        let error = #expect(throws: JSONValue.SyntaxError.self) { try JSONValue(parsing: bytes) }
        #expect(error?.reason == "invalid UTF-8 in a string")
    }

    @Test func limitsNesting() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let error = #expect(throws: JSONValue.SyntaxError.self) { try parse(deep) }
        #expect(error?.reason == "nested deeper than 512 levels")
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        _ = try parse(fine)
    }

    @Test func namesTheByteWhereItStopped() {
        let error = #expect(throws: JSONValue.SyntaxError.self) { try parse(#"{"a": tx}"#) }
        #expect(error?.offset == 6)
        #expect(error?.description == "unexpected character at byte 7")
    }

    @Test func writesCanonicalText() {
        let value: JSONValue = [
            "z": 1, "a": [true, false, nil], "m": ["y": 2.5, "b": "x"], "n": -3, "f": 0.1, "huge": 1e300,
        ]
        #expect(value.canonicalJSON == #"{"a":[true,false,null],"f":0.1,"huge":1e+300,"m":{"b":"x","y":2.5},"n":-3,"z":1}"#)
    }

    @Test func escapesOnlyWhatJSONNeeds() {
        let value = JSONValue.string("a\"b\\c/d\n\r\t\u{08}\u{0C}\u{01}\u{1F} é 😀")
        #expect(value.canonicalJSON == #""a\"b\\c/d\n\r\t\b\f\u0001\u001f é 😀""#)
    }

    @Test func roundTripsThroughFoundation() throws {
        let value: JSONValue = [
            "text": "line one\nline two \"quoted\"", "scores": [1, 2.75, -1e-7], "meta": ["rtl": "שלום", "nested": [[]]],
            "flag": true, "nothing": nil,
        ]
        let text = value.canonicalJSON
        #expect(try foundation(text) == value)
        #expect(try parse(text) == value)
        #expect(try parse(text).canonicalJSON == text)
    }

    @Test func readsFromStringViewsAndSlices() throws {
        let text = #"{"a": [1, "b"]}"#
        #expect(try JSONValue(parsing: text.utf8) == ["a": [1, "b"]])
        let bytes = Array("xx\(text)yy".utf8)
        #expect(try JSONValue(parsing: bytes[2..<(bytes.count - 2)]) == ["a": [1, "b"]])
    }
}
