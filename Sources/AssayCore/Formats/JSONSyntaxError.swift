import Foundation

/// Where a JSON document stops being JSON, as a person finds the place in an editor: line and column, from 1.
///
/// `JSONDecoder` reports every syntax error as "The given data was not valid JSON." with no place. Foundation's
/// parser does know the place ("Invalid value around character 16."), and this turns it into a line and a column.
///
/// ```swift
/// JSONSyntaxError(in: Data("{\n  \"name\": \"a\",\n  x}".utf8))?.description
/// // "line 3, column 3: invalid value"
/// ```
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line of the error, from 1.
    public let line: Int
    /// The column of the error in characters, from 1.
    public let column: Int
    /// What the parser found wrong, in its words, lower case and without the place.
    public let problem: String

    public var description: String { "line \(line), column \(column): \(problem)" }

    public init(line: Int, column: Int, problem: String) {
        (self.line, self.column, self.problem) = (line, column, problem)
    }

    /// Assay's own parser's error (``JSONValue/SyntaxError``, which also refuses a key given twice), placed by line
    /// and column in `data`.
    public init(_ error: JSONValue.SyntaxError, in data: Data) {
        let position = Self.position(ofByte: error.offset, in: data)
        (line, column, problem) = (position.line, position.column, error.reason)
    }

    /// The first syntax error in `data`, or nil when `data` is well-formed JSON.
    public init?(in data: Data) {
        let message: String
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            message = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
        }
        let (problem, offset) = Self.split(message)
        let position = Self.position(ofByte: offset ?? data.count, in: data)
        (line, column, self.problem) = (position.line, position.column, problem)
    }

    /// "Invalid value around character 16." → ("invalid value", 16); a message without a place keeps its words and
    /// points at the end of the data, which is where "Unexpected end of file" happens.
    private static func split(_ message: String) -> (problem: String, offset: Int?) {
        var text = message.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix(".") { text.removeLast() }
        var offset: Int?
        if let range = text.range(of: " around character ") {
            offset = Int(text[range.upperBound...])
            text = String(text[..<range.lowerBound])
        }
        text = text.replacingOccurrences(of: " during JSON parse", with: "")
        return (text.prefix(1).lowercased() + text.dropFirst(), offset)
    }

    /// The line and column of the byte at `offset`, counting columns in characters so that accented text lines up.
    private static func position(ofByte offset: Int, in data: Data) -> (line: Int, column: Int) {
        let before = data.prefix(max(0, min(offset, data.count)))
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? before.startIndex
        let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        return (line, String(decoding: before[lineStart...], as: UTF8.self).count + 1)
    }
}
