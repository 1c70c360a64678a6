import Foundation

/// A predictor (a prompt version, a model, the built-in classifier) scored on a queue's gold: accuracy, per-label
/// precision, recall and F1, the confusion matrix with the failure examples an algorithm team reads, cost and
/// latency when it is an LLM, and the people's accuracy on the same gold items beside it.
///
/// Every rate carries its 95% Wilson interval, so two prompt versions are compared with their uncertainty: a gain
/// whose intervals overlap may be noise. Gold items the predictor has not answered (not run yet, or failed) count in
/// `unanswered`, not in the accuracy.
///
/// For example:
/// ```swift
/// let evaluation = PredictorEvaluation(
///     predictor: try Predictor.Reference(parsing: "triage@p2"),
///     gold: [.init(itemExternalID: "c-1", text: "win a free phone", reference: ["spam"], predicted: ["spam"])],
///     calls: [], people: GoldScore(answered: 12, correct: 10))
/// evaluation.accuracy.correct   // 1 of 1
/// ```
public struct PredictorEvaluation: Codable, Sendable, Equatable {
    /// One gold item, with the predictor's answer if it gave one.
    public struct GoldItem: Codable, Sendable, Equatable {
        /// The item.
        public var itemExternalID: String
        /// Its text, shortened to 280 characters in examples.
        public var text: String
        /// The reference answer.
        public var reference: [String]
        /// The predictor's answer; nil when it has none.
        public var predicted: [String]?
        /// Why, when the predictor said (an LLM's rationale).
        public var rationale: String?

        /// Makes a value.
        public init(itemExternalID: String, text: String, reference: [String], predicted: [String]?, rationale: String? = nil) {
            self.itemExternalID = itemExternalID
            self.text = text
            self.reference = reference
            self.predicted = predicted
            self.rationale = rationale
        }

        enum CodingKeys: String, CodingKey {
            case text, reference, predicted, rationale
            case itemExternalID = "item_external_id"
        }
    }

    /// What an LLM call on a gold item cost and took.
    public struct Call: Sendable, Equatable {
        /// The item asked about.
        public var itemID: Int64
        /// Whether it ended with an answer.
        public var succeeded: Bool
        /// Seconds.
        public var latency: Double
        /// USD.
        public var cost: Double
        /// Tokens.
        public var tokens: Int
        /// Whether the model server's reply said how many tokens it used; when it did not, `cost` and `tokens` are
        /// 0 because they are unknown, not because the call was free.
        public var tokensReported: Bool

        /// Makes a value.
        public init(itemID: Int64, succeeded: Bool, latency: Double, cost: Double, tokens: Int, tokensReported: Bool = true) {
            self.itemID = itemID
            self.succeeded = succeeded
            self.latency = latency
            self.cost = cost
            self.tokens = tokens
            self.tokensReported = tokensReported
        }
    }

    /// One cell of the confusion matrix: reference against answer, with up to five examples when they differ.
    public struct Confusion: Codable, Sendable, Equatable {
        /// The reference labels, joined by `|`.
        public var reference: String
        /// The predicted labels, joined by `|`.
        public var predicted: String
        /// Items in the cell.
        public var count: Int
        /// Up to five of them, for a cell off the diagonal.
        public var examples: [GoldItem]
    }

    /// Scores of one label.
    public struct LabelScores: Codable, Sendable, Equatable {
        /// The label.
        public var label: String
        /// Of the items the predictor gave the label, those whose reference has it.
        public var precision: GoldScore
        /// Of the items whose reference has the label, those the predictor gave it.
        public var recall: GoldScore
        /// The harmonic mean of precision and recall; nil when both are undefined.
        public var f1: Double?
    }

    /// LLM figures over the gold items' calls.
    public struct Usage: Codable, Sendable, Equatable {
        /// Items whose calls failed for good: no call on them ended with an answer (a later run's answer counts).
        public var failed: Int
        /// USD in all, as far as it is known (see `itemsWithoutTokenCounts`).
        public var cost: Double
        /// USD per answered item, over the answered items whose every call reported its tokens: an item whose cost is
        /// unknown would otherwise count as free and pull the figure down.
        public var costPerItem: Double?
        /// Items with a call whose reply carried no token counts: their cost is unknown, and left out of
        /// `costPerItem`.
        public var itemsWithoutTokenCounts: Int
        /// Tokens in all.
        public var tokens: Int
        /// Seconds per answered item: mean, median, 95th percentile.
        public var meanLatency: Double?
        public var medianLatency: Double?
        public var p95Latency: Double?

        enum CodingKeys: String, CodingKey {
            case failed, cost, tokens
            case costPerItem = "cost_per_item", itemsWithoutTokenCounts = "items_without_token_counts", meanLatency = "mean_latency", medianLatency = "median_latency"
            case p95Latency = "p95_latency"
        }
    }

    /// The predictor.
    public var predictor: Predictor.Reference
    /// Gold items in the queue.
    public var goldItems: Int
    /// Gold items it has not answered.
    public var unanswered: Int
    /// Answers that matched the reference.
    public var accuracy: GoldScore
    /// Gold items answered right, of all the gold items: an unanswered item counts as wrong. Side by side, versions
    /// that answered different items are compared on the same ground (one that failed on the hard items would
    /// otherwise look better for it).
    public var accuracyOverGold: GoldScore
    /// Macro-averaged F1 over the labels in the references or the answers.
    public var macroF1: Double
    /// Per label.
    public var byLabel: [LabelScores]
    /// The confusion matrix, largest cells first.
    public var confusion: [Confusion]
    /// Cost and latency, for an LLM; nil otherwise.
    public var usage: Usage?
    /// People's answers on the same gold items that matched the reference.
    public var people: GoldScore

    /// Scores the predictor.
    public init(predictor: Predictor.Reference, gold: [GoldItem], calls: [Call], people: GoldScore) {
        self.predictor = predictor
        goldItems = gold.count
        let answered = gold.filter { $0.predicted != nil }
        unanswered = gold.count - answered.count
        accuracy = GoldScore(answered: answered.count, correct: answered.count(where: { LabelMatch.isSame($0.predicted!, as: $0.reference) }))
        accuracyOverGold = GoldScore(answered: gold.count, correct: accuracy.correct)
        var counts: [String: (both: Int, predicted: Int, reference: Int)] = [:]
        var cells: [String: Confusion] = [:]
        for item in answered {
            let predicted = Set(item.predicted!)
            let reference = Set(item.reference)
            for label in predicted.union(reference) {
                var count = counts[label] ?? (0, 0, 0)
                if predicted.contains(label) { count.predicted += 1 }
                if reference.contains(label) { count.reference += 1 }
                if predicted.contains(label), reference.contains(label) { count.both += 1 }
                counts[label] = count
            }
            let key = (item.reference.sorted().joined(separator: "|"), item.predicted!.sorted().joined(separator: "|"))
            var cell = cells["\(key.0)→\(key.1)"] ?? Confusion(reference: key.0, predicted: key.1, count: 0, examples: [])
            cell.count += 1
            if key.0 != key.1, cell.examples.count < 5 {
                var example = item
                if example.text.count > 280 { example.text = String(example.text.prefix(279)) + "…" }
                cell.examples.append(example)
            }
            cells["\(key.0)→\(key.1)"] = cell
        }
        byLabel = counts.sorted { $0.key < $1.key }.map { label, count in
            let precision = GoldScore(answered: count.predicted, correct: count.both)
            let recall = GoldScore(answered: count.reference, correct: count.both)
            let f1: Double? = switch (precision.accuracy, recall.accuracy) {
            case (let p?, let r?): p + r == 0 ? 0 : 2 * p * r / (p + r)
            default: nil
            }
            return LabelScores(label: label, precision: precision, recall: recall, f1: f1)
        }
        let f1s = byLabel.map { $0.f1 ?? 0 }
        macroF1 = f1s.isEmpty ? 0 : f1s.reduce(0, +) / Double(f1s.count)
        confusion = cells.values.sorted { ($1.count, $0.reference, $0.predicted) < ($0.count, $1.reference, $1.predicted) }
        usage = calls.isEmpty ? nil : Self.usage(of: calls)
        self.people = people
    }

    private static func usage(of calls: [Call]) -> Usage {
        let latencies = calls.filter(\.succeeded).map(\.latency).sorted()
        let answered = latencies.count
        let cost = calls.reduce(0) { $0 + $1.cost }
        let uncounted = Set(calls.filter { !$0.tokensReported }.map(\.itemID))
        let counted = calls.filter { !uncounted.contains($0.itemID) }
        let countedAnswers = counted.count(where: \.succeeded)
        func percentile(_ share: Double) -> Double? {
            latencies.isEmpty ? nil : latencies[min(latencies.count - 1, Int((share * Double(latencies.count)).rounded(.up)) - 1)]
        }
        return Usage(
            failed: Set(calls.filter { !$0.succeeded }.map(\.itemID)).subtracting(calls.filter(\.succeeded).map(\.itemID)).count,
            cost: cost,
            costPerItem: countedAnswers == 0 ? nil : counted.reduce(0) { $0 + $1.cost } / Double(countedAnswers),
            itemsWithoutTokenCounts: uncounted.count,
            tokens: calls.reduce(0) { $0 + $1.tokens },
            meanLatency: answered == 0 ? nil : latencies.reduce(0, +) / Double(answered), medianLatency: percentile(0.5),
            p95Latency: percentile(0.95))
    }

    enum CodingKeys: String, CodingKey {
        case predictor, unanswered, accuracy, confusion, usage, people
        case goldItems = "gold_items", macroF1 = "macro_f1", byLabel = "by_label", accuracyOverGold = "accuracy_over_gold"
    }
}
