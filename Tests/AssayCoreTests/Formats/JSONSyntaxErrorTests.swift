import AssayCore
import Foundation
import Testing

@Suite("JSON syntax errors and decoding reasons")
struct JSONSyntaxErrorTests {
    @Test func wellFormedDocumentsHaveNoError() {
        #expect(JSONSyntaxError(in: Data(#"{"name": "a", "labels": [1, 2]}"#.utf8)) == nil)
        #expect(JSONSyntaxError(in: Data("7".utf8)) == nil)
    }

    @Test func placesTheErrorByLineAndColumn() throws {
        let error = try #require(JSONSyntaxError(in: Data("{\n  \"name\": \"a\",\n  x}".utf8)))
        #expect(error == JSONSyntaxError(line: 3, column: 3, problem: "invalid value"), "\(error)")
        #expect(error.description == "line 3, column 3: invalid value")

        let trailing = try #require(JSONSyntaxError(in: Data(#"{"a": 1}}"#.utf8)))
        #expect((trailing.line, trailing.column) == (1, 9), "\(trailing)")
    }

    @Test func aTruncatedDocumentIsPlacedAtItsEnd() throws {
        let error = try #require(JSONSyntaxError(in: Data("{\"labels\": [\n  \"spam\",".utf8)))
        #expect((error.line, error.column) == (2, 10), "\(error)")
        #expect(error.problem.contains("end of file"), "\(error)")
    }

    @Test func columnsCountCharactersNotBytes() throws {
        // "é" and "ü" are two bytes each in UTF-8; an editor shows them as one column.
        let error = try #require(JSONSyntaxError(in: Data(#"{"café": "grüß", x}"#.utf8)))
        #expect(error.column == 18, "\(error)")
    }

    struct Queue: Decodable {
        struct Label: Decodable { let code: String }
        let name: String
        let overlap: Int
        let labels: [Label]
    }

    struct Person: Decodable {
        let status: PersonStatus
        let vendor: UUID?
        let since: Date?
    }

    @Test func closedChoicesIdsAndTimesSayWhatTheyAccept() {
        func reason(_ text: String) -> String {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            do {
                _ = try decoder.decode(Person.self, from: Data(text.utf8))
                return "decoded"
            } catch let error as DecodingError {
                return error.reason()
            } catch {
                return "\(error)"
            }
        }
        #expect(reason(#"{"status": "banned"}"#) == "status: must be one of active, in_training, suspended; not 'banned'")
        #expect(reason(#"{"status": "active", "vendor": "Acme"}"#)
            == "vendor: must be an id (a UUID such as 3F2504E0-4F89-41D3-9A0C-0305E82C3301)")
        // Foundation names no field for a bad time.
        #expect(reason(#"{"status": "active", "since": "yesterday"}"#) == "a time must be ISO 8601, such as 2026-12-01T00:00:00Z")
        #expect(reason(#"{"status": "suspended"}"#) == "decoded")
    }

    @Test func decodingReasonsNameTheFieldInJSONWords() {
        func reason(_ text: String) -> String {
            do {
                _ = try JSONDecoder().decode(Queue.self, from: Data(text.utf8))
                return "decoded"
            } catch let error as DecodingError {
                return error.reason(decoding: Data(text.utf8))
            } catch {
                return "\(error)"
            }
        }
        #expect(reason(#"{"name": 7, "overlap": 1, "labels": []}"#) == "name: must be text")
        // Foundation names no field here, and calls the document "not valid JSON"; it is valid.
        #expect(reason(#"{"name": "q", "overlap": 1.5, "labels": []}"#).hasPrefix("a number does not fit its field"))
        #expect(reason(#"{"name": "q", "overlap": 1, "labels": [{"code": "a"}, {}]}"#) == "labels[1].code: is required")
        #expect(reason(#"{"name": null, "overlap": 1, "labels": []}"#) == "name: must not be null")
        #expect(reason("null") == "the JSON must not be null at its top level", "\(reason("null"))")
        #expect(reason(#"{"name": "q", "overlap": 1, "labels": {}}"#) == "labels: must be a list")
        // The end of the data is one column past its last character.
        #expect(reason(#"{"name": "q", "#) == "not valid JSON: line 1, column 15: unexpected end of file")
    }
}
