import Foundation

/// How a queue's judgments are written to files: every person's answer, not the final label, in the columns a
/// judgments import reads (``JudgmentRows``), so the file goes back into Assay, or into `assay agree` and
/// `assay aggregate`, as it is.
///
/// The time spent is not a column: an import takes it as `submitted_at − started_at`, so a judgment made in Assay,
/// whose time spent is measured in the browser, comes back with its lease-to-submit time instead.
///
/// For example:
/// ```swift
/// var out = JudgmentExport.header(for: .csv)   // item_external_id,annotator_external_id,labels,…
/// for judgment in page { out += JudgmentExport.line(for: judgment, as: .csv) }
/// ```
public enum JudgmentExport {
    /// The CSV columns, in order.
    public static let csvColumns = ["item_external_id", "annotator_external_id", "labels", "rationale", "started_at", "submitted_at", "ranking"]

    /// What goes before the first row: the header for CSV, nothing for JSON Lines.
    public static func header(for format: ImportFormat) -> String {
        format == .csv ? CSVWriter.row(csvColumns) : ""
    }

    /// One judgment as a line of the file, newline included. CSV puts several labels in one cell separated by `|`,
    /// and writes every value as it is (the final-labels export, made for spreadsheets, neutralises formulas; this
    /// one goes back into Assay, where `'-x1` would not name the item `-x1`); JSON Lines keeps lists as arrays and
    /// leaves out what is absent.
    public static func line(for judgment: JudgmentRecord, as format: ImportFormat) -> String {
        switch format {
        case .csv:
            return CSVWriter.row(
                [
                    judgment.itemExternalID, judgment.annotatorExternalID, judgment.labels.joined(separator: "|"),
                    judgment.rationale ?? "", judgment.startedAt.map(Timestamp.format) ?? "", Timestamp.format(judgment.submittedAt),
                    judgment.ranking?.joined(separator: "|") ?? "",
                ])
        case .jsonl:
            var fields: [String: JSONValue] = [
                "item_external_id": .string(judgment.itemExternalID), "annotator_external_id": .string(judgment.annotatorExternalID),
                "labels": .array(judgment.labels.map(JSONValue.string)), "submitted_at": .string(Timestamp.format(judgment.submittedAt)),
            ]
            if let rationale = judgment.rationale { fields["rationale"] = .string(rationale) }
            if let started = judgment.startedAt { fields["started_at"] = .string(Timestamp.format(started)) }
            if let ranking = judgment.ranking { fields["ranking"] = .array(ranking.map(JSONValue.string)) }
            return JSONValue.object(fields).canonicalJSON + "\n"
        }
    }
}
