import Foundation

/// Which gold answers an annotator's scores count: their last `answers` (the queue's `gold_window` when nil),
/// and of those only the ones from the last `days` days (all when nil). The API's `?window=&days=` and the CLI's
/// `--window --days` both go through it, so they refuse the same values.
///
/// ```swift
/// let window = try ScoresWindow(answers: 50, days: 7)
/// window.since(now)   // now minus 7 days
/// ```
public struct ScoresWindow: Sendable, Equatable {
    /// The most recent answers counted per annotator.
    public let answers: Int?
    /// How many days back answers count.
    public let days: Double?

    /// The window, checked.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for `answers` outside 1–10,000 (field `window`), or
    ///   `days` not above 0 or over ten years (3,660 days).
    public init(answers: Int? = nil, days: Double? = nil) throws {
        if let answers, !(1...10_000).contains(answers) {
            throw AssayError.invalidInput(field: "window", line: nil, reason: "must be 1 to 10000 answers, got \(answers)")
        }
        if let days, !(days > 0 && days <= 3_660) {
            throw AssayError.invalidInput(
                field: "days", line: nil, reason: "must be a number of days above 0 and at most 3660, got \(days)")
        }
        self.answers = answers
        self.days = days
    }

    /// The earliest answer time counted, or nil for no limit.
    public func since(_ now: Date) -> Date? {
        days.map { now.addingTimeInterval(-$0 * 86_400) }
    }
}
