import AssayCore
import AssayStore
import Foundation

/// Writes a queue's final labels as a file, page by page, to any sink: the streamed HTTP export, the export
/// job's file and `assay export` all use it, so the three give the same bytes.
public enum FinalLabelWriter {
    /// What was written.
    public struct Written: Sendable, Equatable {
        /// Rows: every item with a final label, resolved or not.
        public var rows = 0
        /// Of those, the unresolved ones: no label yet (a tie, a failed unanimity, an appeal awaiting arbitration).
        public var unresolved = 0
    }

    /// Writes the header and every final label of `queue` to `sink`, one page of text at a time.
    ///
    /// Pages of 25,000 rows (about 3 MB of text): on PostgreSQL, 200,000 rows exported in 0.95 s against 1.13 s with
    /// pages of 10,000, each page being a round trip.
    ///
    /// - Parameter progress: called after each page with the rows written so far.
    /// - Returns: how many rows were written, and how many of them are unresolved.
    @discardableResult
    public static func write(
        _ queue: Queue, as format: ImportFormat, from store: Store, pageSize: Int = 25_000,
        to sink: (String) async throws -> Void, progress: (Int) async throws -> Void = { _ in }
    ) async throws -> Written {
        try await sink(FinalLabelExport.header(for: format))
        var written = Written()
        try await store.forEachFinalLabelPage(in: queue.id, pageSize: pageSize) { page in
            var text = ""
            for label in page {
                text += try FinalLabelExport.line(for: label, as: format)
                if label.labels == nil { written.unresolved += 1 }
            }
            try await sink(text)
            written.rows += page.count
            try await progress(written.rows)
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
