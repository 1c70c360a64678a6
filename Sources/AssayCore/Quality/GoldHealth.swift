import Foundation

/// The state of a queue's gold set: what it covers, which items have worn out or look wrong, and which
/// annotators do suspiciously better on gold than on ordinary work.
///
/// - **Coverage**: active gold items per label and per market; labels with none are gaps (an annotator could be
///   bad at them unseen).
/// - **Over-exposed** items: answered at least ``overexposedAnswers`` times. The more people have seen an item,
///   the likelier it is known to be gold; retire it.
/// - **Disputed** items: at least ``disputedMinimumAnswers`` answers and under half of them match the reference,
///   which more often means the reference is wrong than that the crowd is.
/// - **Suspected leaks**: an annotator whose gold accuracy is more than ``leakGap`` above their agreement with
///   the final labels of the ordinary items they judged (each side on at least ``leakMinimumAnswers``): someone
///   who knows the gold answers but labels the rest no better than before. Agreement needs overlap above 1 to
///   mean anything; on an overlap-1 queue everyone agrees with themselves.
public struct GoldHealth: Codable, Sendable, Equatable {
    public static let overexposedAnswers = 50
    public static let disputedMinimumAnswers = 10
    public static let leakGap = 0.25
    public static let leakMinimumAnswers = 20
    /// The share of matching answers under which a much-answered item is disputed.
    public static let disputedAccuracy = 0.5

    public struct Count: Codable, Sendable, Equatable {
        public var key: String
        public var active: Int

        public init(key: String, active: Int) {
            self.key = key
            self.active = active
        }
    }

    public struct ItemUse: Codable, Sendable, Equatable {
        public var itemID: Int64
        public var answers: Int
        public var accuracy: Double

        public init(itemID: Int64, answers: Int, accuracy: Double) {
            self.itemID = itemID
            self.answers = answers
            self.accuracy = accuracy
        }

        /// Answered often enough that it is likely known for gold.
        public var isOverexposed: Bool { answers >= GoldHealth.overexposedAnswers }

        /// Answered often enough, and matched by under half the answers: more likely a wrong reference.
        public var isDisputed: Bool { answers >= GoldHealth.disputedMinimumAnswers && accuracy < GoldHealth.disputedAccuracy }

        enum CodingKeys: String, CodingKey {
            case answers, accuracy
            case itemID = "item_id"
        }
    }

    public struct SuspectedLeak: Codable, Sendable, Equatable {
        public var annotatorID: UUID
        public var externalID: String
        public var goldAccuracy: Double
        public var goldAnswers: Int
        public var peerAgreement: Double
        public var ordinaryJudgments: Int

        public init(
            annotatorID: UUID, externalID: String, goldAccuracy: Double, goldAnswers: Int, peerAgreement: Double,
            ordinaryJudgments: Int
        ) {
            self.annotatorID = annotatorID
            self.externalID = externalID
            self.goldAccuracy = goldAccuracy
            self.goldAnswers = goldAnswers
            self.peerAgreement = peerAgreement
            self.ordinaryJudgments = ordinaryJudgments
        }

        /// A suspicion, when the person's gold accuracy runs more than ``GoldHealth/leakGap`` above their agreement
        /// with the final labels of their ordinary work, each over at least ``GoldHealth/leakMinimumAnswers``;
        /// nil otherwise.
        public init?(
            annotatorID: UUID, externalID: String, goldAnswers: Int, goldCorrect: Int, ordinaryJudgments: Int, agreed: Int
        ) {
            guard goldAnswers >= GoldHealth.leakMinimumAnswers, ordinaryJudgments >= GoldHealth.leakMinimumAnswers else {
                return nil
            }
            let goldAccuracy = Double(goldCorrect) / Double(goldAnswers)
            let agreement = Double(agreed) / Double(ordinaryJudgments)
            guard goldAccuracy - agreement > GoldHealth.leakGap else { return nil }
            self.init(
                annotatorID: annotatorID, externalID: externalID, goldAccuracy: goldAccuracy, goldAnswers: goldAnswers,
                peerAgreement: agreement, ordinaryJudgments: ordinaryJudgments)
        }

        enum CodingKeys: String, CodingKey {
            case annotatorID = "annotator_id", externalID = "external_id", goldAccuracy = "gold_accuracy"
            case goldAnswers = "gold_answers", peerAgreement = "peer_agreement", ordinaryJudgments = "ordinary_judgments"
        }
    }

    public var activeItems: Int
    public var retiredItems: Int
    public var labels: [Count]
    public var markets: [Count]
    public var uncoveredLabels: [String]
    public var overexposed: [ItemUse]
    public var disputed: [ItemUse]
    public var suspectedLeaks: [SuspectedLeak]

    public init(
        activeItems: Int, retiredItems: Int, labels: [Count], markets: [Count], uncoveredLabels: [String],
        overexposed: [ItemUse], disputed: [ItemUse], suspectedLeaks: [SuspectedLeak]
    ) {
        self.activeItems = activeItems
        self.retiredItems = retiredItems
        self.labels = labels
        self.markets = markets
        self.uncoveredLabels = uncoveredLabels
        self.overexposed = overexposed
        self.disputed = disputed
        self.suspectedLeaks = suspectedLeaks
    }

    enum CodingKeys: String, CodingKey {
        case labels, markets, overexposed, disputed
        case activeItems = "active_items", retiredItems = "retired_items", uncoveredLabels = "uncovered_labels"
        case suspectedLeaks = "suspected_leaks"
    }
}
