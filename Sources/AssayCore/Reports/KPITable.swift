import AssayQuality
import Foundation

/// A breakdown (``ReportFacts/breakdown(by:)``) as the API answers it: JSON rows, or CSV for spreadsheets and BI
/// tools. Every rate comes with its counts and 95% interval; a figure a row does not have (decision figures on a
/// vendor's row, say) is null in JSON and empty in CSV.
///
/// For example:
/// ```swift
/// let table = KPITable(dimension: .week, rows: facts.breakdown(by: .week), total: facts.total)
/// let csv = table.csv   // week,title,judgments,average_handling_seconds,gold_answered,…
/// ```
public struct KPITable: Encodable, Sendable {
    public var dimension: ReportDimension
    public var rows: [ReportRow]
    public var total: KPIs

    public init(dimension: ReportDimension, rows: [ReportRow], total: KPIs) {
        self.dimension = dimension
        self.rows = rows
        self.total = total
    }

    /// One line per row, then `total`; for spreadsheets, so a title a spreadsheet would run as a formula (a name
    /// or external id from a vendor's file) is written with a leading `'`.
    public var csv: String {
        var out = CSVWriter.row(
            [dimension.rawValue, "title", "judgments", "average_handling_seconds"] + GoldScore.csvHeader(prefix: "gold")
                + GoldScore.csvHeader(prefix: "qa") + ["items_decided", "alpha"]
                + GoldScore.csvHeader(prefix: "unanimous") + GoldScore.csvHeader(prefix: "arbitration")
                + GoldScore.csvHeader(prefix: "sla") + GoldScore.csvHeader(prefix: "appeals_overturned")
                + ["average_wait_hours"] + GoldScore.csvHeader(prefix: "model_decided"))
        for row in rows + [ReportRow(key: "total", title: "total", kpis: total)] {
            let kpis = row.kpis
            let empty = ["", "", "", "", ""]
            out += CSVWriter.row(
                [row.key, row.title, String(kpis.judgments), Self.decimal(kpis.averageHandlingSeconds, 1)]
                    + kpis.gold.csvColumns + kpis.qa.csvColumns
                    + [kpis.decisions.map { String($0.decided) } ?? "", Self.decimal(kpis.alpha, 4)]
                    + (kpis.unanimity?.csvColumns ?? empty) + (kpis.arbitrationRate?.csvColumns ?? empty)
                    + (kpis.sla?.csvColumns ?? empty) + (kpis.appealOverturns?.csvColumns ?? empty)
                    + [Self.decimal(kpis.averageWaitHours, 2)] + (kpis.modelDecisions?.csvColumns ?? empty),
                neutralizingFormulas: true)
        }
        return out
    }

    private static func decimal(_ value: Double?, _ places: Int) -> String {
        value.map { String(format: "%.\(places)f", $0) } ?? ""
    }
}

extension ReportRow: Encodable {
    enum CodingKeys: String, CodingKey {
        case key, title
    }

    /// The key and title with the row's figures alongside (``KPIs``).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(title, forKey: .title)
        try kpis.encode(to: encoder)
    }
}

extension KPIs: Encodable {
    enum CodingKeys: String, CodingKey {
        case judgments, gold, qa, alpha, unanimity, arbitration, sla
        case averageHandlingSeconds = "average_handling_seconds", itemsDecided = "items_decided"
        case appealOverturns = "appeals_overturned", averageWaitHours = "average_wait_hours"
        case modelDecisions = "model_decided"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(judgments, forKey: .judgments)
        try container.encode(averageHandlingSeconds, forKey: .averageHandlingSeconds)
        try container.encode(gold, forKey: .gold)
        try container.encode(qa, forKey: .qa)
        try container.encode(decisions?.decided, forKey: .itemsDecided)
        try container.encode(alpha, forKey: .alpha)
        try container.encode(unanimity, forKey: .unanimity)
        try container.encode(arbitrationRate, forKey: .arbitration)
        try container.encode(sla, forKey: .sla)
        try container.encode(appealOverturns, forKey: .appealOverturns)
        try container.encode(averageWaitHours, forKey: .averageWaitHours)
        try container.encode(modelDecisions, forKey: .modelDecisions)
    }
}
