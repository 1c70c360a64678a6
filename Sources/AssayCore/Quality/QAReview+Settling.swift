import AssayQuality
import Foundation

extension QAVerdict {
    /// Whether the judgment was right, and the right labels, from what the reviewer sent about a judgment of
    /// `judged` on a queue whose reviews are blind or not.
    ///
    /// - Blind review: the reviewer labels the item themselves; the judgment is right when the labels match.
    /// - Open review: the reviewer says `correct`; a wrong judgment needs the right labels, which must differ from
    ///   the annotator's, and labels beside "correct" must not contradict it.
    ///
    /// ```swift
    /// let (correct, right) = try QAVerdict(correct: false, labels: ["hate"]).settle(judged: ["none"], blind: false, schema: schema)
    /// // (false, ["hate"])
    /// ```
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming what the verdict lacks or contradicts.
    public func settle(judged: [String], blind: Bool, schema: LabelSchema) throws -> (correct: Bool, right: [String]) {
        if blind {
            guard let labels else {
                throw AssayError.invalidInput(field: "labels", line: nil, reason: "blind review needs your own labels for the item")
            }
            let right = try schema.canonicalLabels(labels)
            return (LabelMatch.isSame(right, as: judged), right)
        }
        guard let correct else {
            throw AssayError.invalidInput(field: "correct", line: nil, reason: "say whether the judgment is correct")
        }
        if correct {
            // Labels beside "correct" that differ from the annotator's say the opposite; refuse rather than pick one.
            if let labels, Set(try schema.canonicalLabels(labels)) != Set(judged) {
                throw AssayError.invalidInput(
                    field: "labels", line: nil,
                    reason: "differ from the annotator's, yet the judgment is marked correct; mark it incorrect, or leave labels out")
            }
            return (true, judged)
        }
        guard let labels else {
            throw AssayError.invalidInput(field: "labels", line: nil, reason: "a wrong judgment needs the right labels")
        }
        let right = try schema.canonicalLabels(labels)
        guard Set(right) != Set(judged) else {
            throw AssayError.invalidInput(
                field: "labels", line: nil, reason: "the right labels are the annotator's own; mark the judgment correct instead")
        }
        return (false, right)
    }
}

extension QAErrorRate {
    /// A rate of nothing reviewed yet, keyed `key`.
    public static func none(_ key: String) -> QAErrorRate {
        QAErrorRate(key: key, reviewed: 0, errors: 0, criticalErrors: 0, falseNegatives: [:], falsePositives: [:])
    }

    /// Counts one review: its verdict, whether the error was critical, and the labels it missed or over-applied.
    public mutating func record(correct: Bool, critical: Bool, errors: [QAError]) {
        reviewed += 1
        if !correct { self.errors += 1 }
        if critical { criticalErrors += 1 }
        for error in errors {
            switch error.kind {
            case .falseNegative: falseNegatives[error.label, default: 0] += 1
            case .falsePositive: falsePositives[error.label, default: 0] += 1
            }
        }
    }
}

extension QAReport {
    /// One finished review, as the report counts it.
    public struct Reviewed: Sendable, Equatable {
        public var stratum: String
        public var annotator: String
        public var correct: Bool
        public var critical: Bool
        public var errors: [QAError]
        /// Whether it was drawn for the score's sample (``QASampling``).
        public var inScore: Bool

        /// Makes a finished review.
        public init(stratum: String, annotator: String, correct: Bool, critical: Bool, errors: [QAError], inScore: Bool) {
            self.stratum = stratum
            self.annotator = annotator
            self.correct = correct
            self.critical = critical
            self.errors = errors
            self.inScore = inScore
        }
    }

    /// Error rates overall and per annotator over the reviews of the score's sample, which stand for all the work;
    /// per stratum over every review, the stratum being what the extra ones were drawn for.
    public init(reviews: [Reviewed], pending: Int) {
        var strata: [String: QAErrorRate] = [:]
        var annotators: [String: QAErrorRate] = [:]
        var overall = QAErrorRate.none("all")
        for review in reviews {
            strata[review.stratum, default: .none(review.stratum)]
                .record(correct: review.correct, critical: review.critical, errors: review.errors)
            guard review.inScore else { continue }
            overall.record(correct: review.correct, critical: review.critical, errors: review.errors)
            annotators[review.annotator, default: .none(review.annotator)]
                .record(correct: review.correct, critical: review.critical, errors: review.errors)
        }
        self.init(
            overall: overall, strata: strata.values.sorted { $0.key < $1.key },
            annotators: annotators.values.sorted { $0.key < $1.key }, pending: pending)
    }
}
