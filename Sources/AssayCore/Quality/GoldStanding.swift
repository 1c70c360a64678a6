import AssayQuality
import Foundation

/// Where an annotator stands in a queue: working, flagged for a look, or removed from it.
public enum MemberStatus: String, Codable, Sendable, CaseIterable, ClosedChoice {
    /// Takes work as usual.
    case active
    /// Below the queue's gold threshold; still takes work, and shows up for an analyst to look at.
    case flagged
    /// Removed from the queue (below the threshold with `auto_suspend` on) until an analyst reinstates them.
    case suspended
}

/// An annotator's accuracy on gold over a window of answers, with its 95% Wilson interval.
public struct GoldScore: Sendable, Equatable {
    /// Gold answers in the window.
    public var answered: Int
    /// Of those, how many matched the reference.
    public var correct: Int

    public init(answered: Int, correct: Int) {
        self.answered = answered
        self.correct = correct
    }

    /// The share correct, or nil before any answer.
    public var accuracy: Double? { answered == 0 ? nil : Double(correct) / Double(answered) }

    /// The 95% Wilson score interval of the accuracy (0 to 1 before any answer).
    public var interval: WilsonInterval { WilsonInterval(successes: correct, trials: answered) }
}

/// The rule that moves annotators between ``MemberStatus`` values after each gold answer.
///
/// An annotator is judged only once they have `min_gold_answers` answers in the window, and is found below the
/// threshold only when the whole 95% interval is: a run of bad luck on a few items does not flag a good
/// annotator, while a spammer answering at chance is caught within a couple of dozen gold items. A flagged
/// annotator is cleared when their point accuracy is back at the threshold. Suspension is never lifted here:
/// an analyst reinstates (or, later, a qualification exam requalifies).
///
/// ```swift
/// let settings = QualitySettings(goldRate: 0.1, minGoldAccuracy: 0.8, autoSuspend: true)
/// GoldStanding.status(after: GoldScore(answered: 20, correct: 9), settings: settings, current: .active)
/// // .suspended: 45% correct, interval 26–66%, wholly below 80%
/// ```
public enum GoldStanding {
    /// The status the score calls for, starting from `current`.
    public static func status(after score: GoldScore, settings: QualitySettings, current: MemberStatus) -> MemberStatus {
        guard current != .suspended, let threshold = settings.minGoldAccuracy,
            score.answered >= settings.minGoldAnswers
        else { return current }
        if score.interval.upper < threshold { return settings.autoSuspend ? .suspended : .flagged }
        if current == .flagged, let accuracy = score.accuracy, accuracy >= threshold { return .active }
        return current
    }

    /// Why, in words, for the audit log and the annotator's error message.
    public static func reason(for score: GoldScore, settings: QualitySettings) -> String {
        let interval = score.interval
        let threshold = settings.minGoldAccuracy.map { " against a threshold of \(percent($0))" } ?? ""
        return "gold accuracy \(percent(score.accuracy ?? 0)) (95% interval \(percent(interval.lower))–"
            + "\(percent(interval.upper))) over the last \(score.answered) gold answers\(threshold)"
    }

    private static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}
