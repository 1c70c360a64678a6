import AssayQuality
import Foundation

/// The dashboard's tables as CSV, for spreadsheets and BI tools: the same numbers the API answers, one row per
/// day or per person, rates with their 95% interval bounds. Made to be opened in spreadsheets, so a name or
/// external id a spreadsheet would run as a formula is written with a leading `'` (``CSVWriter``).
public enum ActivityCSV {
    /// `day, judgments, average_handling_seconds, gold_…, qa_…`, oldest day first.
    public static func days(_ activity: QueueActivity) -> String {
        var out = CSVWriter.row(["day", "judgments", "average_handling_seconds"] + GoldScore.csvHeader(prefix: "gold")
            + GoldScore.csvHeader(prefix: "qa"))
        for day in activity.days {
            out += CSVWriter.row([day.day, String(day.judgments), seconds(day.averageHandlingSeconds)] + day.gold.csvColumns
                + day.qa.csvColumns, neutralizingFormulas: true)
        }
        return out
    }

    /// `annotator, name, vendor_id, judgments, average_handling_seconds, gold_…, qa_…, vendor`, by name (the vendor's
    /// name last, so that readers of the earlier columns by position are unaffected).
    public static func annotators(_ activity: QueueActivity) -> String {
        var out = CSVWriter.row(["annotator", "name", "vendor_id", "judgments", "average_handling_seconds"]
            + GoldScore.csvHeader(prefix: "gold") + GoldScore.csvHeader(prefix: "qa") + ["vendor"])
        for person in activity.annotators {
            out += CSVWriter.row([
                person.externalID, person.name, person.vendorID?.uuidString ?? "", String(person.judgments),
                seconds(person.averageHandlingSeconds),
            ] + person.gold.csvColumns + person.qa.csvColumns + [person.vendor ?? ""], neutralizingFormulas: true)
        }
        return out
    }

    private static func seconds(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "" }
}

extension GoldScore {
    /// `PREFIX_answered, PREFIX_correct, PREFIX_rate, PREFIX_lower, PREFIX_upper`.
    public static func csvHeader(prefix: String) -> [String] {
        ["answered", "correct", "rate", "lower", "upper"].map { "\(prefix)_\($0)" }
    }

    /// answered, correct, the rate (empty before the first), and the 95% interval bounds, three decimals.
    public var csvColumns: [String] {
        let interval = self.interval
        return [
            String(answered), String(correct), accuracy.map { String(format: "%.3f", $0) } ?? "",
            String(format: "%.3f", interval.lower), String(format: "%.3f", interval.upper),
        ]
    }
}
