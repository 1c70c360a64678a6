/// Reads one label per item — gold labels, ground truth, a model's or an aggregator's predictions — from an
/// `item,label` CSV fed in chunks.
///
/// Rules: both columns must be in the header (others are ignored); neither field may be empty; an item appears
/// once (a second row for it is an error naming both lines, even with the same label, since it usually means two
/// files were concatenated). Errors are `AssayError.invalidInput` with the line and column.
///
/// For example:
/// ```swift
/// var reader = ItemLabelCSVReader()
/// try reader.feed(Array("item,label\npost-1,spam\npost-2,ham\n".utf8))
/// let truth = try reader.finish()
/// truth.labels["post-1"]   // "spam"
/// truth.items               // ["post-1", "post-2"]: file order
/// ```
public struct ItemLabelCSVReader {
    /// The rows read: labels by item, and the items in file order.
    public struct Table: Sendable, Equatable {
        public var labels: [String: String] = [:]
        public var items: [String] = []
        /// The line each item's row is on, for errors found later (a gold label the judgments never use).
        public var lines: [String: Int] = [:]
    }

    private let itemColumn: String
    private let labelColumn: String
    private var parser: CSVParser
    private var positions: (item: Int, label: Int)?
    private var table = Table()
    private var lines: [String: Int] = [:]

    /// Makes a reader for one file.
    ///
    /// - Parameters:
    ///   - itemColumn: The header name of the item column.
    ///   - labelColumn: The header name of the label column.
    ///   - delimiter: The field separator.
    public init(itemColumn: String = "item", labelColumn: String = "label", delimiter: UInt8 = UInt8(ascii: ",")) {
        self.itemColumn = itemColumn
        self.labelColumn = labelColumn
        self.parser = CSVParser(delimiter: delimiter)
    }

    /// Reads the next chunk of the file, cut anywhere.
    ///
    /// - Throws: `AssayError.invalidInput` naming the line (and column) of the first bad row.
    public mutating func feed(_ chunk: some Sequence<UInt8>) throws {
        try add(try parsing { try parser.feed(chunk) })
    }

    /// Ends the file and returns its rows.
    ///
    /// - Throws: `AssayError.invalidInput` for a bad last row or a missing column. A file with a header and no
    ///   rows is not an error: it holds no labels.
    public mutating func finish() throws -> Table {
        try add(try parsing { try parser.finish() })
        if positions == nil {
            positions = (try parser.column(named: itemColumn), try parser.column(named: labelColumn))
        }
        table.lines = lines
        return table
    }

    private mutating func add(_ records: [CSVRecord]) throws {
        guard !records.isEmpty else { return }
        if positions == nil {
            positions = (try parser.column(named: itemColumn), try parser.column(named: labelColumn))
        }
        let (itemPosition, labelPosition) = positions!
        for record in records {
            // Spaces around a value are not part of it, as in the judgments files (``JudgmentCSVReader``).
            let item = record.fields[itemPosition].trimmingBlanks
            let label = record.fields[labelPosition].trimmingBlanks
            for (name, value) in [(itemColumn, item), (labelColumn, label)] where value.isEmpty {
                throw AssayError.invalidInput(field: name, line: record.line, reason: "is empty")
            }
            if let first = lines.updateValue(record.line, forKey: item) {
                // Named as the file names it: a weights file's rows are workers, not items.
                throw AssayError.invalidInput(
                    field: itemColumn, line: record.line,
                    reason: "'\(item)' already has a row on line \(first); keep one of the two")
            }
            table.labels[item] = label
            table.items.append(item)
        }
    }
}
