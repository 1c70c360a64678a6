import AssayQuality
import Foundation

/// How far a model and the people of a queue agree, over time; how the model and the people each do on the same
/// gold; and whether people rubber-stamp the model's suggestions.
///
/// - **Agreement** is measured on items that have both a prediction and a final label decided by people
///   (consensus, arbitration or a QA overturn; never the model's own auto-accepted labels): the share where the
///   two give the same set of labels, and Cohen's κ between them, with each distinct set of labels one category.
///   κ discounts the agreement two raters would reach by chance from their label frequencies, so a model that says
///   `none` to a queue that is 95% `none` does not look good for it.
/// - **Per label**, with the people as the truth: precision (of the items the model gave the label, the share the
///   people gave it too) and recall (of the items the people gave the label, the share the model found).
/// - **Gold**: on gold items the model predicted, the model's accuracy against the reference, beside the accuracy
///   of the people's answers on those same items.
/// - **Rubber-stamping**: of the judgments made with a suggestion shown, how many simply took it; and on gold,
///   how often people took a suggestion the reference shows is wrong. A high rate on wrong suggestions means people
///   follow the model rather than check it.
///
/// Every rate carries its 95% Wilson interval.
public struct ModelAlignment: Codable, Sendable, Equatable {
    /// Items with both a prediction and people's final label: `count` of them with these labels, decided on
    /// one day (a database groups them so that a million items arrive as a few hundred pairs).
    public struct Pair: Sendable, Equatable {
        /// What the model said.
        public var model: [String]
        /// What the people decided.
        public var people: [String]
        /// When the people's label was decided.
        public var decidedAt: Date
        /// How many items.
        public var count: Int

        /// Makes a pair.
        public init(model: [String], people: [String], decidedAt: Date, count: Int = 1) {
            self.model = model
            self.people = people
            self.decidedAt = decidedAt
            self.count = count
        }
    }

    /// Judgments made with a suggestion shown: `count` of them with these labels.
    public struct SuggestedJudgment: Sendable, Equatable {
        /// What the suggestion said.
        public var suggested: [String]
        /// What the annotator answered.
        public var judged: [String]
        /// The reference answer, when the item is gold.
        public var reference: [String]?
        /// How many judgments.
        public var count: Int

        /// Makes a value.
        public init(suggested: [String], judged: [String], reference: [String]?, count: Int = 1) {
            self.suggested = suggested
            self.judged = judged
            self.reference = reference
            self.count = count
        }
    }

    /// Agreement on one label, with the people as the truth.
    public struct LabelAgreement: Codable, Sendable, Equatable {
        /// The label.
        public var label: String
        /// Of the items the model gave the label, those the people gave it too.
        public var precision: GoldScore
        /// Of the items the people gave the label, those the model gave it too.
        public var recall: GoldScore
    }

    /// Agreement in one ISO week (by when the people's label was decided).
    public struct Week: Codable, Sendable, Equatable {
        /// `2026-W48`.
        public var week: String
        /// Items where model and people gave the same labels.
        public var agreement: GoldScore
        /// Cohen's κ; nil when it is undefined (one label throughout).
        public var kappa: Double?
    }

    /// The model and the people on the same gold items.
    public struct GoldComparison: Codable, Sendable, Equatable {
        /// The model's predictions that matched the reference.
        public var model: GoldScore
        /// People's answers on those items that matched the reference.
        public var people: GoldScore
    }

    /// How people treat the suggestions they are shown.
    public struct RubberStamp: Codable, Sendable, Equatable {
        /// Of the judgments made with a suggestion shown, those that gave exactly the suggestion.
        public var accepted: GoldScore
        /// On gold: of the suggestions the reference shows were wrong, those people took anyway.
        public var acceptedWhenWrong: GoldScore
        /// On gold: of the suggestions that were right, those people took.
        public var acceptedWhenRight: GoldScore

        enum CodingKeys: String, CodingKey {
            case accepted
            case acceptedWhenWrong = "accepted_when_wrong", acceptedWhenRight = "accepted_when_right"
        }
    }

    /// The predictor.
    public var predictor: Predictor.Reference
    /// Items where the model and the people gave the same labels.
    public var agreement: GoldScore
    /// Cohen's κ between model and people; nil when undefined.
    public var kappa: Double?
    /// Per label.
    public var byLabel: [LabelAgreement]
    /// Per ISO week, oldest first.
    public var weeks: [Week]
    /// On gold.
    public var gold: GoldComparison
    /// Suggestions taken.
    public var rubberStamp: RubberStamp

    /// Measures alignment.
    ///
    /// - Parameters:
    ///   - predictor: the model.
    ///   - pairs: items with a prediction and people's final label.
    ///   - goldPredictions: the model's labels and the reference, per gold item it predicted.
    ///   - peopleOnGold: people's answers on those gold items.
    ///   - suggested: judgments made with a suggestion shown.
    public init(
        predictor: Predictor.Reference, pairs: [Pair], goldPredictions: [(predicted: [String], reference: [String])],
        peopleOnGold: GoldScore, suggested: [SuggestedJudgment]
    ) {
        self.predictor = predictor
        (agreement, kappa) = Self.agreement(pairs)
        byLabel = Self.labelAgreement(pairs)
        weeks = Dictionary(grouping: pairs, by: { Self.week(of: $0.decidedAt) }).sorted { $0.key < $1.key }.map { week, pairs in
            let (agreement, kappa) = Self.agreement(pairs)
            return Week(week: week, agreement: agreement, kappa: kappa)
        }
        gold = GoldComparison(
            model: GoldScore(
                answered: goldPredictions.count,
                correct: goldPredictions.count(where: { LabelMatch.isSame($0.predicted, as: $0.reference) })),
            people: peopleOnGold)
        var stamp = RubberStamp(
            accepted: GoldScore(answered: 0, correct: 0), acceptedWhenWrong: GoldScore(answered: 0, correct: 0),
            acceptedWhenRight: GoldScore(answered: 0, correct: 0))
        for judgment in suggested {
            let took = LabelMatch.isSame(judgment.judged, as: judgment.suggested) ? judgment.count : 0
            stamp.accepted.answered += judgment.count
            stamp.accepted.correct += took
            guard let reference = judgment.reference else { continue }
            if LabelMatch.isSame(judgment.suggested, as: reference) {
                stamp.acceptedWhenRight.answered += judgment.count
                stamp.acceptedWhenRight.correct += took
            } else {
                stamp.acceptedWhenWrong.answered += judgment.count
                stamp.acceptedWhenWrong.correct += took
            }
        }
        rubberStamp = stamp
    }

    private static func agreement(_ pairs: [Pair]) -> (GoldScore, Double?) {
        let table = pairs.map { (first: $0.model.sorted().joined(separator: "|"), second: $0.people.sorted().joined(separator: "|"), count: $0.count) }
        let agreed = table.filter { $0.first == $0.second }.reduce(0) { $0 + $1.count }
        let total = table.reduce(0) { $0 + $1.count }
        return (GoldScore(answered: total, correct: agreed), try? CohensKappa().measure(table: table).value)
    }

    private static func labelAgreement(_ pairs: [Pair]) -> [LabelAgreement] {
        var counts: [String: (both: Int, model: Int, people: Int)] = [:]
        for pair in pairs {
            let model = Set(pair.model)
            let people = Set(pair.people)
            for label in model.union(people) {
                var count = counts[label] ?? (0, 0, 0)
                if model.contains(label) { count.model += pair.count }
                if people.contains(label) { count.people += pair.count }
                if model.contains(label), people.contains(label) { count.both += pair.count }
                counts[label] = count
            }
        }
        return counts.sorted { $0.key < $1.key }.map { label, count in
            LabelAgreement(
                label: label, precision: GoldScore(answered: count.model, correct: count.both),
                recall: GoldScore(answered: count.people, correct: count.both))
        }
    }

    static func week(of date: Date) -> String {
        let parts = Calendar.isoUTC.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return String(format: "%04d-W%02d", parts.yearForWeekOfYear ?? 0, parts.weekOfYear ?? 0)
    }

    enum CodingKeys: String, CodingKey {
        case predictor, agreement, kappa, weeks, gold
        case byLabel = "by_label", rubberStamp = "rubber_stamp"
    }
}
