import AssayCore
import Foundation
import Testing

@Suite("Final label export")
struct FinalLabelExportTests {
    /// What the export wrote before it had its own writer: `JSONEncoder`, sorted keys, ISO 8601 times.
    private static func encoded(_ label: FinalLabel) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return String(decoding: try encoder.encode(label), as: UTF8.self) + "\n"
    }

    static let labels: [FinalLabel] = [
        FinalLabel(
            itemID: 1, externalID: "item-1", labels: ["spam"], provenance: .unanimous, confidence: 1, judgmentCount: 3,
            unresolvedReason: nil, decidedAt: Date(timeIntervalSince1970: 1_764_000_000.25)),
        FinalLabel(
            itemID: 9_007_199_254_740_993, externalID: "quote \" back\\slash / tab\t\u{01} é 😀", labels: ["hate", "spam/scam"],
            provenance: .majority, confidence: 2.0 / 3.0, judgmentCount: 3, unresolvedReason: nil,
            decidedAt: Date(timeIntervalSince1970: 0)),
        FinalLabel(
            itemID: 42, externalID: "line\nbreak", labels: nil, provenance: .unresolved, confidence: 0.5,
            judgmentCount: 2, unresolvedReason: .tie, decidedAt: Date(timeIntervalSince1970: 1_800_000_000.001)),
        FinalLabel(
            itemID: 43, externalID: "x", labels: [], provenance: .unresolved, confidence: 0.1 + 0.2, judgmentCount: 5,
            unresolvedReason: .belowMinimumAgreement, decidedAt: Date(timeIntervalSince1970: 1_800_000_000)),
    ]

    @Test(arguments: labels)
    func writesWhatJSONEncoderWrote(label: FinalLabel) throws {
        #expect(try FinalLabelExport.line(for: label, as: .jsonl) == Self.encoded(label))
    }

    @Test(arguments: labels)
    func readsBackAsTheSameLabel(label: FinalLabel) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            Timestamp.parse(try decoder.singleValueContainer().decode(String.self))!
        }
        let line = try FinalLabelExport.line(for: label, as: .jsonl)
        var read = try decoder.decode(FinalLabel.self, from: Data(line.utf8))
        // The time comes back as the same millisecond, not always the same `Double`.
        #expect(abs(read.decidedAt.timeIntervalSince(label.decidedAt)) < 0.0005)
        read.decidedAt = label.decidedAt
        #expect(read == label)
    }

    @Test("CSV data files keep every value as it is (an id like -x1 or @alice joins back); CSV reports for spreadsheets neutralise formulas")
    func formulasInDataAndReports() throws {
        let label = FinalLabel(
            itemID: 7, externalID: "-x1", labels: ["spam"], provenance: .majority, confidence: 1, judgmentCount: 3,
            unresolvedReason: nil, decidedAt: Date(timeIntervalSince1970: 0))
        #expect(try FinalLabelExport.line(for: label, as: .csv).hasPrefix("-x1,7,spam,"))
        let example = TrainingSplit.Example(
            externalID: "@alice", text: "=HYPERLINK(\"x\") @bob", labels: ["spam"], provenance: "majority", confidence: 1,
            judgmentCount: 3, decidedAt: Date(timeIntervalSince1970: 0))
        #expect(try TrainingDataFile.line(example, part: .train, as: .csv)
            .hasPrefix(#"@alice,"=HYPERLINK(""x"") @bob",spam,train,"#))
        let table = KPITable(
            dimension: .annotator, rows: [ReportRow(key: "=HYPERLINK(\"http://evil.example\")", title: "@name", kpis: KPIs())],
            total: KPIs())
        #expect(table.csv.contains("\n" + #""'=HYPERLINK(""http://evil.example"")",'@name,0,"#), "\(table.csv)")
    }
}
