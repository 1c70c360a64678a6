/// One CSV record (a row) with the line it starts on, so errors and review notes can point back into the file.
///
/// For example:
/// ```swift
/// let record = CSVRecord(line: 2, fields: ["item-1", "spam"])
/// record.fields[1]  // "spam"
/// ```
public struct CSVRecord: Sendable, Equatable {
    /// The 1-based physical line the record starts on, counting the header as line 1.
    ///
    /// A record whose quoted field holds a newline spans several lines; the next record's `line` counts them all.
    public let line: Int
    /// The record's fields, unquoted and decoded from UTF-8.
    public let fields: [String]

    /// Makes a record, usually to compare with a parsed one in tests.
    ///
    /// For example:
    /// ```swift
    /// let expected = CSVRecord(line: 2, fields: ["1", "hello"])
    /// ```
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}
