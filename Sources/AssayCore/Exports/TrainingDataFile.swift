import Foundation

/// How training rows are written: JSON Lines (labels as an array) or CSV (labels joined by `|`, spreadsheet formulas
/// neutralised), each row with its split and provenance.
///
/// For example:
/// ```swift
/// var text = TrainingDataFile.header(for: .csv)
/// text += try TrainingDataFile.line(example, part: .train, as: .csv)
/// ```
public enum TrainingDataFile {
    /// The CSV columns, in order.
    public static let csvColumns = [
        "external_id", "text", "labels", "split", "provenance", "confidence", "judgment_count", "decided_at",
    ]

    /// What goes before the first row: the header for CSV, nothing for JSON Lines.
    public static func header(for format: ImportFormat) -> String {
        format == .csv ? CSVWriter.row(csvColumns) : ""
    }

    /// One row, newline included.
    public static func line(_ example: TrainingSplit.Example, part: TrainingSplit.Part, as format: ImportFormat) throws -> String {
        switch format {
        case .csv:
            return CSVWriter.row(
                [
                    example.externalID, example.text, example.labels.joined(separator: "|"), part.rawValue, example.provenance,
                    String(format: "%.4f", example.confidence), String(example.judgmentCount), Timestamp.format(example.decidedAt),
                ])
        case .jsonl:
            let object: JSONValue = .object([
                "external_id": .string(example.externalID), "text": .string(example.text),
                "labels": .array(example.labels.map(JSONValue.string)), "split": .string(part.rawValue),
                "provenance": .string(example.provenance), "confidence": .number(example.confidence),
                "judgment_count": .number(Double(example.judgmentCount)), "decided_at": .string(Timestamp.format(example.decidedAt)),
            ])
            return object.canonicalJSON + "\n"
        }
    }
}
