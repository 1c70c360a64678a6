import AssayCore
import AssayStore

/// Writes every judgment of a queue as a file, page by page, to any sink: `assay export --judgments` and
/// `GET /api/v1/queues/{queue}/export/judgments` give the same bytes (``JudgmentExport``).
public enum JudgmentWriter {
    /// Writes the header and every judgment of `queue` to `sink`, one page of text at a time.
    ///
    /// - Returns: how many judgments were written.
    @discardableResult
    public static func write(
        _ queue: Queue, as format: ImportFormat, from store: Store, to sink: (String) async throws -> Void
    ) async throws -> Int {
        try await sink(JudgmentExport.header(for: format))
        var written = 0
        try await store.forEachJudgmentPage(in: queue.id) { page in
            try await sink(page.map { JudgmentExport.line(for: $0, as: format) }.joined())
            written += page.count
        }
        return written
    }
}
