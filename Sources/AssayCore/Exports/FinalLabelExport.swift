import Foundation

/// How final labels are written to files: JSON Lines or CSV, the same from the API and the CLI.
///
/// CSV puts multiple labels in one cell separated by `|` and neutralises spreadsheet formulas; JSON Lines keeps
/// labels as an array.
///
/// For example:
/// ```swift
/// var out = FinalLabelExport.header(for: .csv)
/// for label in page { out += try FinalLabelExport.line(for: label, as: .csv) }
/// ```
public enum FinalLabelExport {
    /// The CSV columns, in order.
    public static let csvColumns = [
        "external_id", "item_id", "labels", "provenance", "confidence", "judgment_count", "unresolved_reason",
        "decided_at",
    ]

    /// What goes before the first row: the header for CSV, nothing for JSON Lines.
    public static func header(for format: ImportFormat) -> String {
        format == .csv ? CSVWriter.row(csvColumns) : ""
    }

    /// One final label as a line of the file, newline included.
    public static func line(for label: FinalLabel, as format: ImportFormat) throws -> String {
        switch format {
        case .csv:
            return CSVWriter.row(
                [
                    label.externalID, String(label.itemID), (label.labels ?? []).joined(separator: "|"),
                    label.provenance.rawValue, String(format: "%.4f", label.confidence), String(label.judgmentCount),
                    label.unresolvedReason?.rawValue ?? "", Timestamp.format(label.decidedAt),
                ], neutralizingFormulas: true)
        case .jsonl:
            return String(decoding: try encoder.encode(label), as: UTF8.self) + "\n"
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }()
}
