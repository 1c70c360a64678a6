import Foundation
import Synchronization

/// The file formats imports accept.
public enum ImportFormat: String, Codable, Sendable, CaseIterable, ClosedChoice {
    /// One JSON object per line, or one JSON array of objects — Label Studio's JSON export reads as it is (each
    /// task's `data` becomes the item's content, its `id` the external id).
    case jsonl
    /// Comma-separated values with a header row.
    case csv

    /// The format a file name's extension suggests (`.jsonl`, `.ndjson`, `.json`, `.csv`).
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".csv") {
            self = .csv
        } else if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") {
            self = .jsonl
        } else {
            return nil
        }
    }

    /// The format given, else the one the file name suggests.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` when neither says, asking for it.
    public static func of(_ fileName: String, given explicit: ImportFormat?) throws -> ImportFormat {
        guard let format = explicit ?? ImportFormat(fileName: fileName) else {
            throw AssayError.invalidInput(
                field: "format", line: nil,
                reason: "cannot tell the format from the file name (.csv, .jsonl, .ndjson, .json); say --format jsonl or csv")
        }
        return format
    }

    /// The format an HTTP content type names (`text/csv`, `application/x-ndjson`, `application/jsonl`,
    /// `application/json`).
    public init?(contentType: String) {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        switch type {
        case "text/csv", "application/csv": self = .csv
        case "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines",
            "application/json":
            self = .jsonl
        default: return nil
        }
    }
}

/// Reads import rows from a file fed in chunks, in either format, so a large file never sits in memory whole.
///
/// For example:
/// ```swift
/// var reader = ImportRowReader(format: .csv, requiredColumns: [["external_id", "id"]])
/// let rows = try reader.feed(Array("external_id,text\nc-1,hello\n".utf8)) + reader.finish()
/// let drafts = try rows.map(ItemRows.draft(from:))
/// ```
public struct ImportRowReader: Sendable {
    /// The format being read.
    public let format: ImportFormat
    private let requiredColumns: [[String]]
    private var csv: CSVParser
    private var jsonObjects = JSONObjectStream()
    private var checkedHeader = false
    /// The CSV header's names, trimmed of blanks (` market` is `market`), once the header has been read.
    private var header: [String]?
    private var sawFirstBytes = false

    /// Makes a reader.
    ///
    /// - Parameters:
    ///   - format: CSV or JSON Lines.
    ///   - requiredColumns: for CSV, columns the header must have; each entry lists alternative names.
    public init(format: ImportFormat, requiredColumns: [[String]] = []) {
        self.format = format
        self.requiredColumns = requiredColumns
        self.csv = CSVParser()
    }

    /// The rows completed by this chunk.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the line at fault.
    public mutating func feed(_ chunk: some Sequence<UInt8>) throws -> [ImportRow] {
        if !sawFirstBytes {
            let start = Array(chunk.prefix(2))
            sawFirstBytes = !start.isEmpty
            // Windows' "Unicode text" and PowerShell 5's `>` write UTF-16, whose bytes would read as broken UTF-8.
            if start == [0xFF, 0xFE] || start == [0xFE, 0xFF] {
                throw AssayError.invalidInput(
                    field: nil, line: 1, reason: "the file is UTF-16 text (it starts with a UTF-16 byte order mark); save it as UTF-8")
            }
        }
        do {
            switch format {
            case .csv: return try csvRows(try csv.feed(chunk))
            case .jsonl: return try Self.rows(parsing: try jsonObjects.feed(chunk))
            }
        } catch let error as FormatError {
            throw error.asAssayError(header: format == .csv ? csv.header : nil)
        }
    }

    /// The rows left when the input ends.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)``, e.g. for a quote left open, or a CSV with
    ///   no header.
    public mutating func finish() throws -> [ImportRow] {
        do {
            switch format {
            case .csv:
                let rows = try csvRows(try csv.finish())
                if csv.header == nil {
                    throw AssayError.invalidInput(field: nil, line: 1, reason: "the CSV is empty: it needs a header row")
                }
                if !checkedHeader { try checkHeader() }
                return rows
            case .jsonl:
                return try Self.rows(parsing: try jsonObjects.finish())
            }
        } catch let error as FormatError {
            throw error.asAssayError(header: format == .csv ? csv.header : nil)
        }
    }

    /// JSON Lines as rows. Parsing is most of the work of reading an import and lines do not depend on each other,
    /// so many lines are parsed on every core, a slice each; the error reported is still the first in file order.
    static func rows(parsing lines: [JSONLine]) throws -> [ImportRow] {
        let cores = min(ProcessInfo.processInfo.activeProcessorCount, 8)
        guard cores > 1, lines.count >= 2_048 else { return try lines.map { try ImportRow(jsonLine: $0.bytes, line: $0.line) } }
        let slices = Mutex([[Result<ImportRow, any Error>]](repeating: [], count: cores))
        DispatchQueue.concurrentPerform(iterations: cores) { slice in
            let parsed = lines[slice * lines.count / cores ..< (slice + 1) * lines.count / cores].map { line in
                Result { try ImportRow(jsonLine: line.bytes, line: line.line) }
            }
            slices.withLock { $0[slice] = parsed }
        }
        return try slices.withLock { $0 }.joined().map { try $0.get() }
    }

    private mutating func csvRows(_ records: [CSVRecord]) throws -> [ImportRow] {
        guard csv.header != nil else { return [] }
        if !checkedHeader { try checkHeader() }
        guard let header else { return [] }
        // A row of empty cells (`,,`, as spreadsheets leave below the data) is a blank line.
        return try records.filter { !$0.fields.allSatisfy(\.isEmpty) }.map { try ImportRow(csv: $0, header: header) }
    }

    private mutating func checkHeader() throws {
        // Spaces around a name (`external_id, market`) are a spreadsheet's, not the name's: kept, ` market` would be
        // content and the item go without its market.
        guard let header = csv.header?.map(\.trimmingBlanks) else { return }
        self.header = header
        checkedHeader = true
        // Each column becomes a field by its name: a second column of one name would overwrite the first's values.
        // (A column without a name, as a trailing comma makes, is read only while its cells are empty: see
        // `ImportRow(csv:header:)`.)
        var seen = Set<String>()
        if let repeated = header.first(where: { !$0.isEmpty && !seen.insert($0).inserted }) {
            throw AssayError.invalidInput(
                field: repeated, line: 1, reason: "the CSV header names this column twice; each column needs a name of its own")
        }
        for alternatives in requiredColumns where !alternatives.contains(where: header.contains) {
            throw AssayError.invalidInput(
                field: alternatives[0], line: 1,
                reason: "the CSV header has no '\(alternatives.joined(separator: "' or '"))' column "
                    + "(columns: \(header.joined(separator: ", ")))")
        }
    }
}

extension FormatError {
    /// The same problem as a domain error, keeping its line.
    var asAssayError: AssayError { asAssayError(header: nil) }

    /// The same problem as a domain error, keeping its line, and with the CSV's header, naming the column.
    public func asAssayError(header: [String]?) -> AssayError {
        switch self {
        case .invalidUTF8(let line, let field) where header.map { $0.indices.contains(field) } == true:
            return .invalidInput(field: header![field], line: line, reason: Self.notUTF8)
        case .unterminatedQuote(let line), .unexpectedCharacterAfterQuote(let line), .invalidUTF8(let line, _),
            .fieldCountMismatch(let line, _, _), .invalidJSON(let line, _):
            let text = description
            // The line goes into the error's own field; what else the description says of the place stays.
            let reason = text.hasPrefix("line \(line): ") ? String(text.dropFirst("line \(line): ".count))
                : text.hasPrefix("line \(line), ") ? String(text.dropFirst("line \(line), ".count)) : text
            return .invalidInput(field: nil, line: line, reason: reason)
        case .missingColumn(let name, _):
            return .invalidInput(field: name, line: 1, reason: description)
        }
    }
}
