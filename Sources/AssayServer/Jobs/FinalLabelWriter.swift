import AssayCore
import AssayStore
import Foundation

/// Writes a queue's final labels as a file, page by page, to any sink: the streamed HTTP export, the export
/// job's file and `assay export` all use it, so the three give the same bytes.
public enum FinalLabelWriter {
    /// Writes the header and every final label of `queue` to `sink`, one page of text at a time.
    ///
    /// Pages of 25,000 rows (about 3 MB of text): on PostgreSQL, 200,000 rows exported in 0.95 s against 1.13 s with
    /// pages of 10,000, each page being a round trip.
    ///
    /// - Parameter progress: called after each page with the rows written so far.
    /// - Returns: the number of final labels written.
    @discardableResult
    public static func write(
        _ queue: Queue, as format: ImportFormat, from store: Store, pageSize: Int = 25_000,
        to sink: (String) async throws -> Void, progress: (Int) async throws -> Void = { _ in }
    ) async throws -> Int {
        try await sink(FinalLabelExport.header(for: format))
        var written = 0
        try await store.forEachFinalLabelPage(in: queue.id, pageSize: pageSize) { page in
            var text = ""
            for label in page { text += try FinalLabelExport.line(for: label, as: format) }
            try await sink(text)
            written += page.count
            try await progress(written)
        }
        return written
    }
}

extension ImportFormat {
    /// The format named by a `format` parameter (JSON Lines when absent).
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for anything but `jsonl` or `csv`.
    public static func named(_ name: String?) throws -> ImportFormat {
        let name = name ?? "jsonl"
        guard let format = ImportFormat(rawValue: name) else {
            throw AssayError.invalidInput(field: "format", line: nil, reason: "must be jsonl or csv, got '\(name)'")
        }
        return format
    }
}
