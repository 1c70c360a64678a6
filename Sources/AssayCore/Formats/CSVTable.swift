/// A whole CSV file held in memory: its header and its records, for inputs small enough to read at once.
///
/// Imports of large files should feed a ``CSVParser`` chunk by chunk instead, so memory stays at one chunk.
///
/// For example:
/// ```swift
/// let table = try CSVTable(parsing: Array("id,text\n1,hello\n2,bye\n".utf8))
/// let text = try table.column(named: "text")
/// table.records.map { $0.fields[text] }  // ["hello", "bye"]
/// ```
public struct CSVTable: Sendable, Equatable {
    /// The header's fields, or an empty array when the input is empty.
    public let header: [String]
    /// The records after the header, each with the line it starts on.
    public let records: [CSVRecord]

    /// Parses a complete CSV input whose first record is the header.
    ///
    /// For example:
    /// ```swift
    /// let semicolons = try CSVTable(parsing: Array("id;text\n1;hello\n".utf8), delimiter: UInt8(ascii: ";"))
    /// ```
    /// - Parameters:
    ///   - bytes: The whole input as UTF-8, such as `Data` or `[UInt8]`.
    ///   - delimiter: The byte that separates fields.
    /// - Throws: A ``FormatError`` naming the line of the first problem.
    public init(parsing bytes: some Sequence<UInt8>, delimiter: UInt8 = UInt8(ascii: ",")) throws {
        var parser = CSVParser(delimiter: delimiter, hasHeader: true)
        var records = try parser.feed(bytes)
        records += try parser.finish()
        self.header = parser.header ?? []
        self.records = records
    }

    /// Finds the index of the first header field equal to `name` (exact, case-sensitive), to read that column.
    ///
    /// For example:
    /// ```swift
    /// let table = try CSVTable(parsing: Array("id,text\n1,hello\n".utf8))
    /// try table.column(named: "text")   // 1
    /// try table.column(named: "label")  // throws: no column named "label"; the header has "id", "text"
    /// ```
    /// - Throws: ``FormatError/missingColumn(_:available:)`` listing the header, so the message shows what exists.
    public func column(named name: String) throws -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw FormatError.missingColumn(name, available: header)
        }
        return index
    }
}
