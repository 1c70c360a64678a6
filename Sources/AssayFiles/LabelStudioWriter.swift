import AssayCore
import AssayStore
import Foundation

/// Writes a queue's decided items as one JSON array of Label Studio tasks (``LabelStudioTask``), page by page, to
/// any sink: `GET /api/v1/queues/{queue}/export/label-studio` and `assay export --label-studio` both use it, so the
/// two give the same bytes.
public enum LabelStudioWriter {
    /// Writes `[`, every decided item of `queue` as a task, and `]` to `sink`, one page of text at a time.
    ///
    /// - Parameters:
    ///   - fromName: the name of the Label Studio project's choices or rating control.
    ///   - toName: the name of the object tag it labels.
    /// - Returns: the number of tasks written.
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for a control name that is empty, or a rating label
    ///   that is not a whole number.
    @discardableResult
    public static func write(
        _ queue: Queue, from store: Store, fromName: String = "label", toName: String = "text", pageSize: Int = 2_000,
        to sink: (String) async throws -> Void
    ) async throws -> Int {
        try checkNames(fromName: fromName, toName: toName)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var after: Int64?
        var written = 0
        try await sink("[")
        while true {
            let page = try await store.decidedItems(in: queue, after: after, limit: pageSize)
            guard let last = page.last else { break }
            var text = ""
            for (item, label) in page {
                let task = try LabelStudioTask(
                    content: item.content, externalID: item.externalID, itemID: item.id, labels: label.labels ?? [],
                    provenance: label.provenance.rawValue, agreement: label.confidence, schema: queue.schema,
                    market: item.market, language: item.language, fromName: fromName, toName: toName)
                text += (written == 0 ? "\n" : ",\n") + String(decoding: try encoder.encode(task), as: UTF8.self)
                written += 1
            }
            try await sink(text)
            after = last.item.id
        }
        try await sink(written == 0 ? "]\n" : "\n]\n")
        return written
    }

    /// Checks the two tag names before anything is written.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming `from_name` or `to_name` when it is empty.
    public static func checkNames(fromName: String, toName: String) throws {
        for (field, name) in [("from_name", fromName), ("to_name", toName)] where name.trimmingBlanksAndNewlines.isEmpty {
            throw AssayError.invalidInput(field: field, line: nil, reason: "must name a tag of the Label Studio project")
        }
    }
}
