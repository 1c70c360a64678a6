import AssayCore
import AssayFiles
import Foundation

/// Reads the text files of `assay train` and `assay predict` in chunks, so a file of millions of texts is never
/// held in memory whole.
enum TextExampleFiles {
    /// Calls `body` with every example of a JSON Lines or CSV file, in batches; the format comes from `format` or
    /// the file name.
    ///
    /// - Throws: ``AssayError`` naming the line and column of the first bad row, a missing column, or an unreadable
    ///   file; whatever `body` throws.
    static func forEachBatch(
        of path: String, format: ImportFormat?, columns: TextExample.Columns, _ body: ([TextExample]) throws -> Void
    ) throws {
        try ImportFile.requireReadable(path)
        let format = try ImportFormat.of(path, given: format)
        var reader = ImportRowReader(format: format, requiredColumns: format == .csv ? columns.required : [])
        var rowCount = 0
        try QualityFiles.forEachChunk(of: path, title: "Reading \(path)") { chunk in
            let rows = try reader.feed(chunk)
            rowCount += rows.count
            try body(try rows.map { try TextExample(row: $0, columns: columns, format: format) })
        }
        let rest = try reader.finish()
        rowCount += rest.count
        try body(try rest.map { try TextExample(row: $0, columns: columns, format: format) })
        guard rowCount > 0 else { throw AssayError.invalidInput(field: nil, line: nil, reason: "the file has no rows") }
    }
}
