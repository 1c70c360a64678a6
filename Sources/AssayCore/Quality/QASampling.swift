import AssayQuality
import Foundation

/// Which judgments go to QA review, and with what probability.
///
/// **Uniform**: each judgment with probability `qa_rate`. **Stratified**: judgments fall into strata by vendor ×
/// market × label × risk tier (the item's priority); a stratum that has had fewer judgments sampled than its
/// error-rate interval needs reviews is sampled at four times the rate until it has them. Sampled, not reviewed: a
/// review waiting for a reviewer will count once done, so counting only done reviews would keep oversampling a
/// stratum for as long as reviewers are behind, and the backlog would grow without bound. The reviews a stratum needs for a 95% Wilson
/// interval of width `w` around an error rate `p` are about n = z² p(1 − p) / (w/2)², with `p` the stratum's
/// error rate so far, smoothed as (errors + 1) / (reviews + 2) so that a fresh stratum plans for the worst case.
///
/// Either way, a judgment by a new annotator (in the workspace less than 30 days) and one on an item decided with
/// low confidence (below 0.8) each double the probability, capped at 1.
///
/// **The QA score's sample.** Those extra reviews find errors where they are likeliest, but a share over all reviews
/// would lean toward the hard cases and the newcomers (an audit of the demo found the QA score 7.4 points under what
/// the whole work deserved). So the QA score counts only the reviews whose draw also fell under the base rate
/// `qa_rate`: every judgment has that same chance of being among them, so their share found correct estimates the
/// whole work's, and its Wilson interval holds. The other reviews are done and shown as any, and count toward their
/// stratum's error rate, but not in the score.
///
/// ```swift
/// let p = QASampling.probability(
///     settings: QualitySettings(qaRate: 0.05, qaSampling: .stratified), stratum: QAStratumCounts(reviewed: 3, errors: 1),
///     isNewAnnotator: true, confidence: 0.66)
/// // 0.8: 0.05 × 4 (the stratum needs more reviews) × 2 (new annotator) × 2 (low confidence)
/// ```
public enum QASampling {
    public enum Mode: String, Codable, Sendable, CaseIterable, ClosedChoice {
        case uniform
        case stratified
    }

    /// Why a judgment was picked, for the report.
    public enum Reason: String, Codable, Sendable {
        case rate
        case stratumNeedsReviews = "stratum_needs_reviews"
    }

    /// Below this final-label confidence, an item's judgments are sampled twice as often.
    public static let lowConfidence = 0.8
    /// Annotators younger than this in the workspace are sampled twice as often.
    public static let newAnnotatorDays = 30.0

    /// The chance a judgment is sampled.
    public static func probability(
        settings: QualitySettings, stratum: QAStratumCounts, isNewAnnotator: Bool, confidence: Double
    ) -> Double {
        guard settings.qaRate > 0 else { return 0 }
        var rate = settings.qaRate
        if settings.qaSampling == .stratified, stratum.needsMoreSamples(width: settings.qaTargetWidth) {
            rate *= 4
        }
        if isNewAnnotator { rate *= 2 }
        if confidence < lowConfidence { rate *= 2 }
        return min(1, rate)
    }

    /// The most ``probability(settings:stratum:isNewAnnotator:confidence:)`` can be for an item decided with
    /// `confidence`, for drawing before the stratum and the annotator are known.
    public static func highestProbability(settings: QualitySettings, confidence: Double = 0) -> Double {
        probability(
            settings: settings, stratum: QAStratumCounts(reviewed: 0, errors: 0), isNewAnnotator: true,
            confidence: confidence)
    }

    /// The reviews a stratum needs for a 95% interval of `width` on its error rate.
    public static func reviewsNeeded(for stratum: QAStratumCounts, width: Double) -> Int {
        let p = Double(stratum.errors + 1) / Double(stratum.reviewed + 2)
        let z = WilsonInterval.z95
        return Int((z * z * p * (1 - p) / ((width / 2) * (width / 2))).rounded(.up))
    }

    /// The stratum a judgment falls in, as the key the store counts by.
    public static func stratumKey(vendorID: UUID?, market: String?, label: String, tier: Int) -> String {
        "\(vendorID?.uuidString ?? "-")|\(market ?? "-")|\(label)|\(tier)"
    }
}

/// A stratum's reviews so far.
public struct QAStratumCounts: Sendable, Equatable {
    /// Reviews done.
    public var reviewed: Int
    /// Done reviews that found the judgment wrong.
    public var errors: Int
    /// Judgments sampled for review, done or waiting (at least `reviewed`).
    public var sampled: Int

    public init(reviewed: Int, errors: Int, sampled: Int? = nil) {
        self.reviewed = reviewed
        self.errors = errors
        self.sampled = max(sampled ?? reviewed, reviewed)
    }

    /// Whether the stratum has had fewer judgments sampled than its interval of `width` needs reviews.
    public func needsMoreSamples(width: Double) -> Bool {
        sampled < QASampling.reviewsNeeded(for: self, width: width)
    }
}

/// One policy label a judgment got wrong, told apart by direction: a missed violation (`false_negative`: the
/// right answer has the label, the annotator did not give it) or over-enforcement (`false_positive`: the
/// annotator gave a label the right answer does not have).
public struct QAError: Codable, Sendable, Equatable, Hashable {
    public enum Kind: String, Codable, Sendable {
        case falseNegative = "false_negative"
        case falsePositive = "false_positive"
    }

    public var label: String
    public var kind: Kind

    public init(label: String, kind: Kind) {
        self.label = label
        self.kind = kind
    }

    /// The per-label errors of `judged` against `right`, in label order.
    public static func errors(judged: [String], right: [String], labelOrder: [String]) -> [QAError] {
        let judgedSet = Set(judged)
        let rightSet = Set(right)
        return labelOrder.compactMap { label in
            if rightSet.contains(label), !judgedSet.contains(label) { return QAError(label: label, kind: .falseNegative) }
            if judgedSet.contains(label), !rightSet.contains(label) { return QAError(label: label, kind: .falsePositive) }
            return nil
        }
    }
}
