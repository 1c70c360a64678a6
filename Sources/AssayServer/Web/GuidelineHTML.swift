import AssayCore
import NIOConcurrencyHelpers

/// Guideline passages as page HTML (``MarkdownHTML``), rendered once per text: every workbench, review, arbitration
/// and training page shows them, a guideline may be a megabyte, and it changes only when a version is published.
///
/// ```swift
/// GuidelineHTML.render(guideline.passages["spam"] ?? "")   // rendered the first time, then from memory
/// ```
enum GuidelineHTML {
    /// Texts rendered lately; a guideline version has a passage per label and a preamble, for a few queues.
    private static let cache = NIOLockedValueBox<[String: String]>([:])
    private static let capacity = 512

    static func render(_ markdown: String) -> String {
        if let html = cache.withLockedValue({ $0[markdown] }) { return html }
        let html = MarkdownHTML.render(markdown)
        cache.withLockedValue { cache in
            // Dropped whole when full: versions come and go rarely, and a page renders them again at once.
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[markdown] = html
        }
        return html
    }
}
