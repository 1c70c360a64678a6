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
                ])
        case .jsonl:
            var output: [UInt8] = []
            output.reserveCapacity(192)
            write(label, to: &output)
            output.append(UInt8(ascii: "\n"))
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// One JSON object per label, written by hand because an export writes millions: the text `JSONEncoder`
    /// gives with sorted keys (absent optionals left out), in a fraction of the time.
    static func write(_ label: FinalLabel, to output: inout [UInt8]) {
        func key(_ name: StaticString, first: Bool = false) {
            if !first { output.append(UInt8(ascii: ",")) }
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            output.append(contentsOf: "\":".utf8)
        }
        output.append(UInt8(ascii: "{"))
        key("confidence", first: true)
        JSONValue.writeNumber(label.confidence, to: &output)
        key("decided_at")
        JSONValue.writeString(Timestamp.format(label.decidedAt), to: &output)
        key("external_id")
        JSONValue.writeString(label.externalID, to: &output)
        key("item_id")
        output.append(contentsOf: String(label.itemID).utf8)
        key("judgment_count")
        output.append(contentsOf: String(label.judgmentCount).utf8)
        if let labels = label.labels {
            key("labels")
            output.append(UInt8(ascii: "["))
            for (index, code) in labels.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.writeString(code, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
        key("provenance")
        JSONValue.writeString(label.provenance.rawValue, to: &output)
        if let reason = label.unresolvedReason {
            key("unresolved_reason")
            JSONValue.writeString(reason.rawValue, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }
}
