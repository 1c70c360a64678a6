import AssayCore
import AssayQuality
import Foundation

/// How pages write numbers: one place, so a rate reads the same on the dashboard and in a business review.
enum Figures {
    /// `91.3%`, or `–` before any answer.
    static func rate(_ score: GoldScore?) -> String {
        score?.accuracy.map { String(format: "%.1f%%", $0 * 100) } ?? "–"
    }

    /// `88.1–93.7% of 412`, the 95% Wilson interval and the count behind it.
    static func interval(_ score: GoldScore?) -> String {
        guard let score, score.answered > 0 else { return "no answers" }
        let interval = score.interval
        return String(format: "%.1f–%.1f%% of %d", interval.lower * 100, interval.upper * 100, score.answered)
    }

    static func seconds(_ value: Double?) -> String { value.map { String(format: "%.1f s", $0) } ?? "–" }

    static func hours(_ value: Double?) -> String { value.map { String(format: "%.1f h", $0) } ?? "–" }

    static func coefficient(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "–" }

    static func count(_ value: Double?) -> String {
        guard let value else { return "–" }
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.usesGroupingSeparator = true
        formatter.groupingSeparator = ","
        formatter.groupingSize = 3
        return formatter.string(from: NSNumber(value: value.rounded())) ?? String(Int(value))
    }

    /// A change in percentage points, signed: `+2.4 pp`.
    static func points(_ delta: Double) -> String { String(format: "%+.1f pp", delta * 100) }

    /// The lower bound of a rate for sorting, -1 before any answer (so that unknowns sort last).
    static func sortKey(_ score: GoldScore?) -> Double {
        guard let score, score.answered > 0 else { return -1 }
        return score.interval.lower
    }
}
