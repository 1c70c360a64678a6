import ArgumentParser
import AssayCore
import AssayLearning
import AssayQuality
import AssayStore
import Foundation

/// `assay models`: predictions from models beside people — import them, set how a queue uses them, and see how
/// auto-accept and the model compare with people.
struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a model's predictions, set a queue's suggestions and auto-accept, and report on them.",
        discussion: """
            A predictor is a model, prompt or classifier at one version, named NAME@VERSION. Its predictions can be \
            shown to annotators as suggestions, or auto-accepted as final labels above a confidence threshold, with a \
            random audit share still sent to people to measure the precision of what was auto-accepted.
            """,
        subcommands: [
            List.self, Import.self, Assist.self, AutoAcceptReportCommand.self, Alignment.self, Evaluate.self, LabelErrors.self,
        ],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the predictors as CSV: predictor, kind, predictions.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let predictors = try await database.withStore { try await $0.predictors() }
                print(CSVWriter.row(["predictor", "kind", "predictions", "created_at"]), terminator: "")
                for predictor in predictors {
                    print(CSVWriter.row([
                        predictor.reference.description, predictor.kind.rawValue, String(predictor.predictions),
                        Timestamp.format(predictor.createdAt),
                    ]), terminator: "")
                }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import predictions, all or nothing: external_id, labels (a list, or 'a|b' in CSV) or label, confidence.")

        @Argument(help: "The file: .jsonl/.ndjson, .csv, or .json (one JSON array, as Label Studio exports).")
        var file: String

        @Option(help: "The queue, by name or id.")
        var queue: String

        @Option(help: "The model that made them, as NAME@VERSION.")
        var predictor: String

        @OptionGroup var acting: ActingPerson

        @Option(help: "jsonl or csv (default: from the file name).")
        var format: ImportFormat?

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting(file: file) {
                let reference = try Predictor.Reference(parsing: predictor)
                let rows = try FileRows.read(file, format: format, requiredColumns: PredictionRows.requiredColumns)
                let drafts = try rows.readEach { try PredictionRows.predictions(from: $0, modelVersion: reference.version) }
                let report = try await database.withStore { store in
                    _ = try await acting.person(in: store, allowedBy: Policy.requireCanManageModels)
                    return try await store.importPredictions(drafts, from: reference, into: try await store.queue(queue), now: Date())
                }
                let routed = ModelRoute.allCases.map { "\(report.routed[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                print("Stored \(report.received) predictions of \(reference) in '\(queue)' (\(report.inserted) new, "
                    + "\(report.replaced) replaced)\(report.routed.isEmpty ? "." : "; routed: \(routed).")")
            }
        }
    }

    struct Assist: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show (with no options) or set how a queue uses a model: suggestions and auto-accept.",
            discussion: """
                Setting replaces the queue's model settings with what the options say.

                Example:
                  assay models assist --queue comments-en --by priya-raman \\
                      --predictor triage@v3 --show-suggestions --auto-accept 0.97 \\
                      --audit-rate 0.05 --human-only hate_speech \\
                      --label-threshold spam_scam=0.95
                """)

        @Option(help: "The queue, by name or id.")
        var queue: String

        @Option(help: "Who does this, by external id (needed to change settings).")
        var by: String?

        @Option(help: "The predictor the queue uses, NAME@VERSION.")
        var predictor: String?

        @Flag(help: "Show the predictor's suggestion to annotators.")
        var showSuggestions = false

        @Option(help: "Auto-accept predictions at or above this confidence (0.5 to 1).")
        var autoAccept: Double?

        @Option(help: "LABEL=THRESHOLD: a label's own auto-accept threshold (repeatable).")
        var labelThreshold: [String] = []

        @Option(help: "The share of auto-acceptable predictions still sent to people, to measure precision.")
        var auditRate = 0.05

        @Option(help: "A label a model never decides alone (repeatable).")
        var humanOnly: [String] = []

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if predictor != nil || autoAccept != nil || showSuggestions, by == nil {
                throw ValidationError("say who changes the settings with --by")
            }
            if autoAccept == nil, !labelThreshold.isEmpty || !humanOnly.isEmpty {
                throw ValidationError("--label-threshold and --human-only need --auto-accept")
            }
        }

        func run() async throws {
            try await CommandFailure.reporting {
                let assist = try await database.withStore { store in
                    let queue = try await store.queue(self.queue)
                    guard let by else { return queue.assist }
                    let person = try await ActingPerson.person(by, in: store, allowedBy: Policy.requireCanManageModels)
                    return try await store.updateAssist(of: queue, to: try settings(), by: person, now: Date()).assist
                }
                try JSONFiles.print(assist)
            }
        }

        private func settings() throws -> AssistSettings {
            var thresholds: [String: Double] = [:]
            for pair in labelThreshold {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let value = Double(parts[1]) else {
                    throw AssayError.invalidInput(field: "--label-threshold", line: nil, reason: "write LABEL=THRESHOLD, got '\(pair)'")
                }
                thresholds[parts[0]] = value
            }
            return AssistSettings(
                predictor: try predictor.map { try Predictor.Reference(parsing: $0) }, showPredictions: showSuggestions,
                autoAccept: autoAccept.map {
                    AutoAccept(threshold: $0, labelThresholds: thresholds, auditRate: auditRate, humanOnlyLabels: humanOnly)
                })
        }
    }

    struct AutoAcceptReportCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "auto-accept",
            abstract: "Print, as JSON, predictions per route and the precision of auto-accept measured on the audit.")

        @OptionGroup var report: PredictorReport

        func run() async throws {
            try await report.print { store, queue, predictor in try await store.autoAcceptReport(of: queue, predictor: predictor) }
        }
    }

    struct Alignment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print, as JSON, how a model and the queue's people agree (kappa, per label, per week), each on "
                + "the same gold, and how often people take its suggestions when they are wrong.")

        @OptionGroup var report: PredictorReport

        func run() async throws {
            try await report.print { store, queue, predictor in try await store.alignment(of: queue, predictor: predictor) }
        }
    }

    /// The arguments of a report on one queue and one predictor, and printing it as JSON.
    struct PredictorReport: ParsableArguments {
        @Option(help: "The queue, by name or id.")
        var queue: String

        @Option(help: "The predictor, NAME@VERSION (default: the queue's).")
        var predictor: String?

        @OptionGroup var database: DatabaseOptions

        func print<Report: Encodable>(_ make: (Store, Queue, Predictor.Reference?) async throws -> Report) async throws {
            try await CommandFailure.reporting {
                let reference = try predictor.map { try Predictor.Reference(parsing: $0) }
                try JSONFiles.print(try await database.withStore { store in try await make(store, try await store.queue(queue), reference) })
            }
        }
    }

    struct LabelErrors: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "label-errors",
            abstract: "Find final labels the built-in classifier disputes with confidence, and send them to re-review.",
            discussion: """
                The classifier is trained k times, each time without one fold of the queue's people-decided final \
                labels, so every label is judged by a model that never saw it (confident learning, Northcutt et al. \
                2021). Prints the disputed labels as CSV, most suspect first. With --review (and --by) each one is \
                appealed: an arbitrator decides it again, and `--report` then shows how many the arbitrators overturned.
                """)

        @Option(help: "The queue, by name or id.")
        var queue: String

        @Option(help: "The item content field(s) to read as text (repeatable).")
        var textField: [String] = ["text"]

        @Option(help: "Folds of the out-of-fold training (2 to 20).")
        var folds = 5

        @Option(help: "Flag only where the classifier gives its own label at least this probability.")
        var minConfidence = 0.8

        @Option(help: "At most this many flags, most suspect first.")
        var limit = 500

        @Flag(help: "Appeal each flagged label so an arbitrator decides it again (needs --by).")
        var review = false

        @Option(help: "Who does this, by external id.")
        var by: String?

        @Flag(help: "Print what became of earlier flags (re-reviews decided and overturned) as JSON, and stop.")
        var report = false

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if review, by == nil { throw ValidationError("--review needs --by: appeals are logged with who made them") }
            guard (0...1).contains(minConfidence) else { throw ValidationError("--min-confidence must be 0 to 1") }
            guard (2...20).contains(folds) else { throw ValidationError("--folds must be 2 to 20") }
            guard limit > 0 else { throw ValidationError("--limit must be above 0") }
        }

        func run() async throws {
            try await CommandFailure.reporting {
                try await database.withStore { store in
                    let queue = try await store.queue(self.queue)
                    if report { return try JSONFiles.print(try await store.labelErrorReport(of: queue)) }
                    var person: Person?
                    if let by { person = try await ActingPerson.person(by, in: store, allowedBy: Policy.requireCanManageModels) }
                    let (checked, found): (Int, [LabelErrorFlag])
                    do {
                        (checked, found) = try await QueueClassifier.labelErrors(
                            in: queue, store: store, fields: textField, folds: folds, minimumConfidence: minConfidence)
                    } catch let error as LearningError {
                        throw CommandFailure(description: "queue '\(queue.name)': \(error.description)")
                    }
                    let flags = Array(found.prefix(limit))
                    print(CSVWriter.row(["item", "given", "suggested", "self_confidence", "suggested_confidence"]), terminator: "")
                    for flag in flags {
                        print(CSVWriter.row([
                            flag.externalID, flag.givenLabels.joined(separator: "|"), flag.suggestedLabels.joined(separator: "|"),
                            String(format: "%.4f", flag.selfConfidence), String(format: "%.4f", flag.suggestedConfidence),
                        ]), terminator: "")
                    }
                    var note = "Checked \(checked) final labels of '\(queue.name)': \(found.count) disputed"
                    if let person, !flags.isEmpty {
                        let sent = try await store.recordLabelErrors(flags, in: queue, sendToReview: review, by: person, now: Date())
                        note += review ? "; \(sent) sent to re-review" : "; recorded"
                    }
                    QualityFiles.note(note + ".")
                }
            }
        }
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score predictors (prompt versions, models) side by side on a queue's gold: accuracy, per-label "
                + "F1, confusions with examples, cost and latency, and the people's accuracy on the same items.",
            discussion: """
                Example: run two prompt versions on the gold, then compare them.
                  assay llm run --queue comments-en --predictor triage@p1 --scope gold …
                  assay llm run --queue comments-en --predictor triage@p2 --scope gold …
                  assay models evaluate --queue comments-en \\
                      --predictor triage@p1 --predictor triage@p2
                """)

        @Option(help: "The queue, by name or id.")
        var queue: String

        @Option(help: "A predictor, NAME@VERSION (repeatable; default: the queue's).")
        var predictor: [String] = []

        @Option(help: "The content field(s) shown in the failure examples (repeatable).")
        var textField: [String] = ["text"]

        @Flag(help: "Print JSON instead of tables.")
        var json = false

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let references = try predictor.map { try Predictor.Reference(parsing: $0) }
                let evaluations = try await database.withStore { store in
                    try await store.evaluations(of: try await store.queue(self.queue), predictors: references, fields: textField)
                }
                if json { return try JSONFiles.print(evaluations) }
                print(Self.table(evaluations))
            }
        }

        static func table(_ evaluations: [PredictorEvaluation]) -> String {
            func rate(_ score: GoldScore) -> String {
                guard let accuracy = score.accuracy else { return "–" }
                return String(format: "%.3f [%.3f, %.3f]", accuracy, score.interval.lower, score.interval.upper)
            }
            var lines = [
                "predictor | answered | accuracy [95% CI] | right of all gold [95% CI] | macro-F1 | cost/item | median latency | people on the same gold"
            ]
            for evaluation in evaluations {
                let usage = evaluation.usage
                lines.append([
                    evaluation.predictor.description, "\(evaluation.accuracy.answered)/\(evaluation.goldItems)",
                    rate(evaluation.accuracy), rate(evaluation.accuracyOverGold),
                    // No answer on gold, no F1: a 0.000 would read as a model that got everything wrong.
                    evaluation.accuracy.answered == 0 ? "–" : String(format: "%.3f", evaluation.macroF1),
                    usage?.costPerItem.map { String(format: "$%.6f", $0) } ?? "–",
                    usage?.medianLatency.map { String(format: "%.2f s", $0) } ?? "–", rate(evaluation.people),
                ].joined(separator: " | "))
            }
            if Set(evaluations.map(\.unanswered)).count > 1 {
                lines.append("")
                lines.append("The predictors answered different numbers of gold items: accuracy is over each one's own answers, "
                    + "so compare 'right of all gold' (an unanswered item counts as wrong).")
            }
            for evaluation in evaluations {
                if let unknown = evaluation.usage?.itemsWithoutTokenCounts, unknown > 0 {
                    lines.append("")
                    lines.append("\(evaluation.predictor): the model server reported no token counts for \(unknown) items; "
                        + "their cost is unknown and left out of cost/item.")
                }
            }
            for evaluation in evaluations {
                let misses = evaluation.confusion.filter { $0.reference != $0.predicted }.prefix(5)
                guard !misses.isEmpty else { continue }
                lines.append("")
                lines.append("\(evaluation.predictor): most frequent confusions (reference → answer)")
                for cell in misses {
                    lines.append("  \(cell.reference) → \(cell.predicted): \(cell.count)")
                    for example in cell.examples.prefix(2) {
                        let text = example.text.replacingOccurrences(of: "\n", with: " ").prefix(100)
                        lines.append("    \(example.itemExternalID): \(text)\(example.rationale.map { " — “\($0.prefix(100))”" } ?? "")")
                    }
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
