import AssayCore
import AssayLearning
import AssayStore
import Foundation

/// The built-in classifier on a queue: trained on the final labels its people decided, scored on its gold (which
/// never gets a final label, so it is held out by construction), predicting its items as a predictor, and checking
/// its final labels for errors.
///
/// For example:
/// ```swift
/// let (classifier, gold, _) = try await QueueClassifier.train(on: queue, in: store, fields: ["text"])
/// try await QueueClassifier.predict(queue, in: store, with: classifier, as: predictor, fields: ["text"], measure: .entropy)
/// ```
enum QueueClassifier {
    /// What training on a queue left out of its final labels, and why.
    struct LeftOut: Encodable, Equatable {
        /// Copies of a text already trained on with the same label.
        var duplicates = 0
        /// Copies labelled otherwise than most copies of their text.
        var outvoted = 0
        /// Copies of texts whose copies tie on their label.
        var conflicts = 0
        /// Texts that are also gold items' texts: the model is scored on those.
        var goldTexts = 0

        enum CodingKeys: String, CodingKey {
            case duplicates, outvoted, conflicts
            case goldTexts = "gold_texts"
        }

        var text: String {
            "left out \(duplicates) duplicate texts, \(outvoted) copies outvoted by their text's other copies, "
                + "\(conflicts) copies of texts with no majority label, \(goldTexts) texts that are also gold"
        }
    }

    /// Trains on the queue's people-decided final labels and scores the result on its gold.
    ///
    /// Each text is trained on once (``TrainingSplit/distinct(texts:labels:)``), and not at all when a gold item has it:
    /// queues repeat texts, and a copy on both sides of the classifier's held-out split, or of the gold, would score
    /// the model on what it learnt by heart.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for a multi-choice queue (the classifier predicts one
    ///   label per item); ``LearningError`` when the labels cannot train a model.
    static func train(
        on queue: Queue, in store: Store, fields: [String], options: TrainingOptions = TrainingOptions()
    ) async throws -> (classifier: TextClassifier, gold: Evaluation?, leftOut: LeftOut) {
        try requireOneLabelPerItem(queue)
        let labelled = try await store.labeledTexts(in: queue, fields: fields)
        try await requireText(labelled.map(\.text), of: queue, in: store, fields: fields)
        let gold = try await store.goldTexts(in: queue, fields: fields)
        let distinct = TrainingSplit.distinct(texts: labelled.map(\.text), labels: labelled.map(\.labels))
        let goldKeys = Set(gold.map { TrainingSplit.key(of: $0.text) })
        let examples = distinct.kept.filter { !goldKeys.contains($0.key) }.map { labelled[$0.index] }
        let leftOut = LeftOut(
            duplicates: distinct.duplicates, outvoted: distinct.outvoted, conflicts: distinct.conflicts,
            goldTexts: distinct.kept.count - examples.count)
        // Featurising and fitting are seconds of CPU: off the cooperative pool, so a server in this process keeps
        // answering meanwhile.
        return try await HeavyWork.run {
            var trainer = try TextClassifier.Trainer(options: options)
            try trainer.add(contentsOf: examples.map(\.text), labels: examples.map { $0.labels[0] })
            let classifier = try trainer.train()
            let evaluation = gold.isEmpty
                ? nil : try classifier.evaluate(texts: gold.map(\.text), labels: gold.map { $0.labels[0] })
            return (classifier, evaluation, leftOut)
        }
    }

    /// Predicts every item of the queue, gold included (which measures the model), and stores the predictions under
    /// `predictor` (kind `classifier`) in batches of 5,000, each with its uncertainty by `measure`.
    ///
    /// Items with no text in `fields` are left out: a prediction from no words is the model's prior, not a judgment.
    ///
    /// - Returns: the items predicted, those left out for having no text, and how the queue routed the predicted
    ///   ones when it auto-accepts with this predictor.
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` when the model predicts labels the queue does not
    ///   have, or no item has text in `fields`.
    static func predict(
        _ queue: Queue, in store: Store, with classifier: TextClassifier, as predictor: Predictor.Reference,
        fields: [String], measure: Uncertainty, progress: (Int) -> Void = { _ in }
    ) async throws -> (predicted: Int, withoutText: Int, routed: [ModelRoute: Int]) {
        let unknown = Set(classifier.labels).subtracting(queue.schema.labels.map(\.code))
        guard unknown.isEmpty else {
            throw AssayError.invalidInput(
                field: "model", line: nil,
                reason: "it predicts labels queue '\(queue.name)' does not have: \(unknown.sorted().joined(separator: ", ")) "
                    + "(was it trained on another queue?)")
        }
        var after: Int64?
        var predicted = 0
        var withoutText = 0
        var routed: [ModelRoute: Int] = [:]
        while true {
            let all = try await store.itemTexts(in: queue, fields: fields, after: after, limit: 5_000)
            guard let last = all.last else {
                if predicted == 0, withoutText > 0 { try await requireText([], of: queue, in: store, fields: fields) }
                return (predicted, withoutText, routed)
            }
            after = last.itemID
            let page = all.filter { !$0.text.trimmingBlanksAndNewlines.isEmpty }
            withoutText += all.count - page.count
            guard !page.isEmpty else { continue }
            let predictions = try await HeavyWork.run { classifier.predict(page.map(\.text)) }
            let drafts = zip(page, predictions).map { item, prediction in
                PredictionDraft(
                    itemExternalID: item.externalID, labels: [prediction.label], confidence: prediction.confidence,
                    uncertainty: measure.score(prediction.probabilities))
            }
            let report = try await store.importPredictions(drafts, from: predictor, kind: .classifier, into: queue, now: Date())
            routed.merge(report.routed, uniquingKeysWith: +)
            predicted += page.count
            progress(predicted)
        }
    }

    /// Final labels decided by the rule (consensus or a skill model) that the classifier, trained out of fold on
    /// every people-decided label, contradicts with confidence (``ConfidentLearning``), most suspect first.
    /// Arbitrators' and QA reviewers' decisions teach the model but are not flagged: experts decided them.
    static func labelErrors(
        in queue: Queue, store: Store, fields: [String], folds: Int, minimumConfidence: Double,
        options: TrainingOptions = TrainingOptions()
    ) async throws -> (checked: Int, flags: [LabelErrorFlag]) {
        try requireOneLabelPerItem(queue)
        let examples = try await store.labeledTexts(in: queue, fields: fields)
        let issues = try await HeavyWork.run {
            let probabilities = try OutOfFoldPredictions(folds: folds, options: options)
                .probabilities(texts: examples.map(\.text), labels: examples.map { $0.labels[0] })
            return try ConfidentLearning(minimumConfidence: minimumConfidence).labelIssues(
                givenLabels: examples.map { $0.labels[0] }, labels: probabilities.labels, probabilities: probabilities.rows)
        }
        let ruleDecided: Set<FinalLabel.Provenance> = [.unanimous, .majority, .weighted, .dawidSkene]
        let flags = issues.compactMap { issue -> LabelErrorFlag? in
            let example = examples[issue.index]
            guard let provenance = example.provenance, ruleDecided.contains(provenance) else { return nil }
            return LabelErrorFlag(
                itemID: example.itemID, externalID: example.externalID, givenLabels: example.labels,
                suggestedLabels: [issue.suggestedLabel], selfConfidence: issue.selfConfidence,
                suggestedConfidence: issue.suggestedConfidence)
        }
        return (examples.count, flags)
    }

    /// Refuses a queue whose items have no text in `fields` (an ads queue asked for `text` when its items have
    /// `headline` and `body`), naming the fields they do have.
    private static func requireText(_ texts: [String], of queue: Queue, in store: Store, fields: [String]) async throws {
        guard !texts.contains(where: { !$0.trimmingBlanksAndNewlines.isEmpty }) else { return }
        let sample = try await store.items(in: queue.id, after: nil, limit: 1).first
        let present = sample.map { $0.content.keys.sorted().joined(separator: ", ") } ?? "none, the queue is empty"
        throw AssayError.invalidInput(
            field: "text-field", line: nil,
            reason: "no item of queue '\(queue.name)' has text in \(fields.joined(separator: ", ")); its items' fields: \(present)")
    }

    private static func requireOneLabelPerItem(_ queue: Queue) throws {
        guard queue.schema.kind != .multiChoice else {
            throw AssayError.invalidInput(
                field: "queue", line: nil,
                reason: "queue '\(queue.name)' takes several labels per item; the built-in classifier predicts one")
        }
    }
}
