import AssayCore
import Foundation
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    private func decode(_ json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }

    private func encode(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func decodesEveryKindOfValue() throws {
        let value = try decode(#"{"s":"hi","n":42,"f":-0.25,"t":true,"z":null,"a":[1,"x",false,[]],"o":{}}"#)
        #expect(
            value == [
                "s": "hi", "n": 42, "f": -0.25, "t": true, "z": nil, "a": [1, "x", false, []], "o": [:],
            ]
        )
    }

    @Test func keepsBooleansAndNumbersApart() throws {
        #expect(try decode("true") == .bool(true))
        #expect(try decode("1") == .number(1))
        #expect(try decode("0") != .bool(false))
    }

    @Test(arguments: [
        #"{"a":[1,2.5,-3,1e+20],"b":{"c":null,"d":"é\n"},"e":true}"#,
        "[]", "{}", "null", "\"text\"", "0", "-7", "[[[\"deep\"]]]",
    ])
    func roundTripsThroughJSONEncoder(json: String) throws {
        let value = try decode(json)
        #expect(try decode(try encode(value)) == value)
    }

    @Test func writesWholeNumbersWithoutAFraction() throws {
        #expect(try encode([1, 2.0, 2.5, -3, 1_000_000]) == "[1,2,2.5,-3,1000000]")
        #expect(try encode(["count": 7]) == #"{"count":7}"#)
    }

    @Test func readsFieldsThroughAccessors() throws {
        let value = try decode(#"{"text":"hi","score":0.5,"ok":false,"tags":["a","b"],"meta":{"src":"web"},"x":null}"#)
        #expect(value["text"]?.stringValue == "hi")
        #expect(value["score"]?.doubleValue == 0.5)
        #expect(value["ok"]?.boolValue == false)
        #expect(value["tags"]?[1]?.stringValue == "b")
        #expect(value["tags"]?[2] == nil)
        #expect(value["tags"]?.arrayValue?.count == 2)
        #expect(value["meta"]?["src"] == "web")
        #expect(value["meta"]?.objectValue == ["src": .string("web")])
        #expect(value["x"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["text"]?.doubleValue == nil)
        #expect(JSONValue.string("a")["key"] == nil)
    }

    @Test func rejectsNonJSON() {
        #expect(throws: DecodingError.self) { try decode("{oops") }
    }

    @Test func keepsTheLastValueOfARepeatedLiteralKey() {
        let value = JSONValue(dictionaryLiteral: ("a", 1), ("a", 2))
        #expect(value["a"] == 2)
    }
}
