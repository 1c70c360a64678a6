/// A problem found while reading CSV or JSON Lines input, with the line a person should open to fix it.
///
/// Line numbers are 1-based physical lines of the input as an editor shows them, counting a CSV header as line 1.
/// For a record that spans several lines (a quoted field holding a newline), `line` is the line the record starts on.
/// The `description` is written for the person who supplied the file; the CLI prefixes it with the file name.
///
/// For example:
/// ```swift
/// do {
///     _ = try CSVTable(parsing: Array("id,text\n1,hello,extra\n".utf8))
/// } catch let error as FormatError {
///     print(error)  // line 2: expected 2 fields, found 3
/// }
/// ```
public enum FormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A quoted field was still open when the input ended; `line` is where its record starts.
    case unterminatedQuote(line: Int)
    /// A closing quote was followed by something other than a delimiter or a line break, as in `"abc"x`.
    case unexpectedCharacterAfterQuote(line: Int)
    /// A field's bytes are not valid UTF-8; `line` is where its record starts.
    case invalidUTF8(line: Int, field: Int)
    /// A record has a different number of fields from the header (or, without a header, from the first record).
    case fieldCountMismatch(line: Int, expected: Int, found: Int)
    /// A column the caller asked for is not in the header; `available` lists the header so the message can help.
    case missingColumn(String, available: [String])
    /// A JSON Lines line could not be decoded; `reason` says what the decoder expected and where.
    case invalidJSON(line: Int, reason: String)

    /// What a field that is not UTF-8 gets, with the way out: such bytes almost always come from a file saved as
    /// Latin-1 or Windows-1252 (a spreadsheet's "CSV" on Windows).
    public static let notUTF8 = "text is not valid UTF-8; save the file as UTF-8 (these bytes look like Latin-1 or Windows-1252)"

    /// A one-line message in the form "line N: reason", ready to show after a file name.
    public var description: String {
        switch self {
        case .unterminatedQuote(let line):
            "line \(line): quoted field is not closed before the end of the input"
        case .unexpectedCharacterAfterQuote(let line):
            "line \(line): unexpected character after a closing quote (write a quote inside a quoted field as \"\")"
        case .invalidUTF8(let line, let field):
            "line \(line), field \(field + 1): \(Self.notUTF8)"
        case .fieldCountMismatch(let line, let expected, let found):
            "line \(line): expected \(expected) fields, found \(found)"
        case .missingColumn(let name, let available) where available.isEmpty:
            "no column named \"\(name)\"; the input has no header"
        case .missingColumn(let name, let available):
            "no column named \"\(name)\"; the header has \(available.map { "\"\($0)\"" }.joined(separator: ", "))"
        case .invalidJSON(let line, let reason):
            "line \(line): invalid JSON: \(reason)"
        }
    }
}
