/// One row of a text file for the classifier (`assay train`, `assay predict`): its line, optional id, text and
/// optional label, read from columns the user names.
///
/// For example:
/// ```swift
/// let columns = TextExample.Columns(text: "tweet", label: "class", id: nil)
/// var reader = ImportRowReader(format: .csv, requiredColumns: columns.required)
/// let rows = try reader.feed(Array("tweet,class\nhello,2\n".utf8)) + reader.finish()
/// let example = try TextExample(row: rows[0], columns: columns, format: .csv)   // text "hello", label "2", line 2
/// ```
public struct TextExample: Sendable, Equatable {
    /// The columns to read.
    public struct Columns: Sendable, Equatable {
        /// The text column (required in every row; an empty CSV cell is an empty text).
        public var text: String
        /// The label column, when labels are needed.
        public var label: String?
        /// The id column, when ids are needed.
        public var id: String?

        /// Names the columns.
        public init(text: String, label: String? = nil, id: String? = nil) {
            self.text = text
            self.label = label
            self.id = id
        }

        /// The columns a CSV header must have.
        public var required: [[String]] {
            [[text]] + [label, id].compactMap { $0.map { [$0] } }
        }
    }

    /// The line where the row starts.
    public var line: Int
    /// The row's id, when an id column was named.
    public var id: String?
    /// The text.
    public var text: String
    /// The label, when a label column was named.
    public var label: String?

    /// Reads an example from a row of a file in `format`.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the line and column: a JSON line without the
    ///   text field, a text that is not a string, or an empty label or id where one is needed.
    public init(row: ImportRow, columns: Columns, format: ImportFormat) throws {
        line = row.line
        // A CSV leaves empty cells out of the row, and its header already has the column; a JSON line must have it.
        if row.fields[columns.text] == nil, format == .jsonl {
            throw AssayError.invalidInput(field: columns.text, line: row.line, reason: "is required")
        }
        text = try row.optionalText(columns.text) ?? ""
        label = try columns.label.map { try Self.label($0, of: row) }
        id = try columns.id.map { try row.requiredText($0) }
    }

    /// The label in `column`: text, or a list of one label, as `assay export --training` writes `labels`.
    private static func label(_ column: String, of row: ImportRow) throws -> String {
        guard case .array(let labels) = row.fields[column] else { return try row.requiredText(column) }
        guard labels.count == 1, case .string(let label) = labels[0], !label.trimmingBlanksAndNewlines.isEmpty else {
            throw AssayError.invalidInput(
                field: column, line: row.line, reason: "must be one label (the classifier learns one per example); has \(labels.count)")
        }
        return label.trimmingBlanksAndNewlines
    }
}
