import AssayQuality

/// Reads crowd judgments — one `item,worker,label` row each — from CSV fed in chunks, straight into a
/// `JudgmentMatrix`, the way crowd-kit reads a `task,worker,label` DataFrame.
///
/// Rules: the three columns must be in the header (other columns are ignored); no field may be empty; a worker
/// judges an item at most once (a repeated pair is almost always a duplicated export, and would count twice in
/// every coefficient). Errors are `AssayError.invalidInput` with the line and the column; reading stops at the
/// first bad row, and a repeated pair is found when the file ends.
///
/// For example:
/// ```swift
/// var reader = JudgmentCSVReader()
/// try reader.feed(Array("item,worker,label\npost-1,ann,spam\npost-1,bob,ham\n".utf8))
/// let judgments = try reader.finish()
/// judgments.judgmentCount   // 2
/// ```
/// - Complexity: O(bytes); memory is the matrix (12 bytes a judgment) plus 4 bytes a judgment for line numbers.
public struct JudgmentCSVReader {
    /// The header names of the three columns read.
    public struct Columns: Sendable, Equatable {
        public var item: String
        public var worker: String
        public var label: String

        /// Names the columns; the defaults are `item`, `worker` and `label`.
        public init(item: String = "item", worker: String = "worker", label: String = "label") {
            self.item = item
            self.worker = worker
            self.label = label
        }
    }

    private let columns: Columns
    private var parser: CSVParser
    private var builder: JudgmentMatrix.Builder
    private var positions: (item: Int, worker: Int, label: Int)?
    /// The line of each judgment, in the order appended, to name both lines when a pair repeats.
    private var lines: [Int32] = []

    /// Makes a reader for one file.
    ///
    /// - Parameters:
    ///   - columns: The header names to read.
    ///   - labelOrder: The labels in order (an ordinal scale, for example); `nil` sorts them by name, or by
    ///     value when all are numbers. A label outside a given order is an error on its line.
    ///   - delimiter: The field separator.
    /// - Throws: `AssayError.invalidInput` if `labelOrder` repeats a label.
    public init(columns: Columns = Columns(), labelOrder: [String]? = nil, delimiter: UInt8 = UInt8(ascii: ",")) throws {
        self.columns = columns
        self.parser = CSVParser(delimiter: delimiter)
        do {
            self.builder = try JudgmentMatrix.Builder(labelOrder: labelOrder)
        } catch let error as QualityError {
            throw AssayError.invalidInput(field: "order", line: nil, reason: error.description)
        }
    }

    /// The number of judgments read so far.
    public var count: Int { builder.count }

    /// Reads the next chunk of the file, cut anywhere.
    ///
    /// - Throws: `AssayError.invalidInput` naming the line (and column) of the first bad row.
    public mutating func feed(_ chunk: some Sequence<UInt8>) throws {
        try add(try parsing { try parser.feed(chunk) })
    }

    /// Ends the file and returns its judgments.
    ///
    /// - Throws: `AssayError.invalidInput` for a bad last row, a missing column, or a file without judgments.
    public mutating func finish() throws -> JudgmentMatrix {
        try add(try parsing { try parser.finish() })
        _ = try columnPositions()
        guard builder.count > 0 else {
            throw AssayError.invalidInput(field: nil, line: nil, reason: "the file has no judgments, only a header")
        }
        if let repeated = builder.firstRepeatedJudgment() {
            throw AssayError.invalidInput(
                field: columns.worker, line: Int(lines[repeated.later]),
                reason: "'\(repeated.worker)' already judged item '\(repeated.item)' on line "
                    + "\(lines[repeated.earlier]); keep one of the two rows")
        }
        return builder.build()
    }

    private mutating func add(_ records: [CSVRecord]) throws {
        guard !records.isEmpty else { return }
        let (itemColumn, workerColumn, labelColumn) = try columnPositions()
        for record in records {
            // Spaces around a value are not part of it: a spreadsheet saved with ", " would otherwise make " spam"
            // another label than "spam", and every agreement figure wrong.
            let item = record.fields[itemColumn].trimmingBlanks
            let worker = record.fields[workerColumn].trimmingBlanks
            let label = record.fields[labelColumn].trimmingBlanks
            for (name, value) in [(columns.item, item), (columns.worker, worker), (columns.label, label)]
            where value.isEmpty {
                throw AssayError.invalidInput(field: name, line: record.line, reason: "is empty")
            }
            do {
                try builder.append(item: item, worker: worker, label: label)
            } catch let error as QualityError {
                throw AssayError.invalidInput(field: columns.label, line: record.line, reason: error.description)
            }
            lines.append(Int32(clamping: record.line))
        }
    }

    private mutating func columnPositions() throws -> (item: Int, worker: Int, label: Int) {
        if let positions { return positions }
        let found = (
            item: try parser.column(named: columns.item), worker: try parser.column(named: columns.worker),
            label: try parser.column(named: columns.label)
        )
        positions = found
        return found
    }
}

extension CSVParser {
    /// The position of a header column, for readers that pick columns by name.
    ///
    /// - Throws: `AssayError.invalidInput` on line 1 naming the missing column and the ones there are, or saying
    ///   the input is empty.
    func column(named name: String) throws -> Int {
        guard let header else {
            throw AssayError.invalidInput(field: nil, line: 1, reason: "the CSV is empty: it needs a header row")
        }
        guard let index = header.firstIndex(of: name) else {
            throw FormatError.missingColumn(name, available: header).asAssayError
        }
        // Two columns of one name: which one holds the answers is anyone's guess (the imports refuse it too).
        guard header.lastIndex(of: name) == index else {
            throw AssayError.invalidInput(
                field: name, line: 1, reason: "the CSV header names this column twice; each column needs a name of its own")
        }
        return index
    }
}

/// Runs a CSV parser step, turning its `FormatError` into the domain's line-numbered error.
func parsing<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as FormatError {
        throw error.asAssayError
    }
}
