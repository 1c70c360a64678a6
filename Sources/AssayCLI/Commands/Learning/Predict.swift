import ArgumentParser
import AssayCore
import AssayLearning
import AssayStore
import Foundation

/// `assay predict --model MODEL DATA --id-column id --out predictions.csv`: labels a CSV or JSON Lines file with a
/// model from `assay train`, writing `id,label,confidence`. With `--queue Q --predictor NAME@VERSION` it predicts
/// every item of a queue and stores the predictions there, where they can be shown, auto-accepted, order the queue
/// by uncertainty, and be compared with people.
struct Predict: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Label a CSV or JSON Lines file with a model made by `assay train`.",
        discussion: """
            Writes a CSV with columns id, label and confidence (the calibrated probability of the label), and with \
            --probabilities one column per label. `assay metrics --item-column id` scores it against true labels.

            With --queue the model predicts every item of the queue (gold too, which measures it) and the \
            predictions are stored under --predictor, with the uncertainty an uncertainty-ordered queue sorts by.

            Examples:
              assay predict --model posts.model new-posts.csv --id-column id \\
                  --out predictions.csv
              assay predict --model posts.model posts.jsonl --probabilities --out -
              assay predict --model comments.model --queue comments-en \\
                  --predictor comments-clf@1 --by priya-raman
            """)

    @Option(help: "The model file.")
    var model: String

    @Argument(help: "The texts to label: a CSV with a header, or JSON Lines (or use --queue).")
    var data: String?

    @Option(help: "Predict this queue's items and store the predictions there, instead of a file.")
    var queue: String?

    @Option(help: "With --queue: the predictor to store them under, NAME@VERSION.")
    var predictor: String?

    @Option(help: "With --queue: the item content field(s) to read as text (repeatable).")
    var textField: [String] = ["text"]

    @Option(help: "With --queue: the uncertainty to store (entropy, margin or least_confidence).")
    var uncertainty = Uncertainty.entropy

    @Option(help: "With --queue: who does this, by external id.")
    var by: String?

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The column holding each row's id.")
    var idColumn = "id"

    @Option(help: "The column holding the text.")
    var textColumn = "text"

    @Option(help: "The input format, when the file name does not say (jsonl or csv).")
    var format: ImportFormat?

    @Option(help: "Where to write the predictions (- for standard output).")
    var out = "-"

    @Flag(help: "Add one column per label with its probability.")
    var probabilities = false

    func validate() throws {
        guard (data == nil) != (queue == nil) else { throw ValidationError("give a file to label or --queue, not both or neither") }
        if queue != nil, predictor == nil || by == nil { throw ValidationError("--queue needs --predictor NAME@VERSION and --by") }
    }

    func run() async throws {
        let classifier = try Self.load(model)
        if let queue { return try await predictQueue(queue, with: classifier) }
        let data = self.data!
        let output = try OutputFile(path: out)
        defer { output.close() }
        // The id keeps its column's name, so that the predictions join the file they came from (`assay metrics
        // --item-column`).
        var header = [idColumn, "label", "confidence"]
        if probabilities { header += classifier.labels.map { "p_\($0)" } }
        var written = 0
        try await CommandFailure.reporting(file: data) {
            try TextExampleFiles.forEachBatch(
                of: data, format: format, columns: TextExample.Columns(text: textColumn, id: idColumn)
            ) { batch in
                guard !batch.isEmpty else { return }
                var text = ""
                for (example, prediction) in zip(batch, classifier.predict(batch.map(\.text))) {
                    var fields = [example.id ?? "", prediction.label, Self.format(prediction.confidence)]
                    if probabilities { fields += prediction.probabilities.map(Self.format) }
                    text += CSVWriter.row(fields)
                }
                // The header goes with the first rows, once the file has shown it has its columns: written first,
                // a pipe read a header-only "result" of a command that then failed.
                if written == 0 { output.write(CSVWriter.row(header)) }
                output.write(text)
                written += batch.count
            }
        }
        try output.finish()
        if !output.isStandardOutput { QualityFiles.note("Labelled \(written) rows of \(data) into \(out).") }
    }

    /// Predicts every item of a queue and stores the predictions.
    private func predictQueue(_ name: String, with classifier: TextClassifier) async throws {
        try await CommandFailure.reporting {
            let reference = try Predictor.Reference(parsing: predictor!)
            let (predicted, withoutText, routed) = try await database.withStore { store in
                _ = try await ActingPerson.person(by!, in: store, allowedBy: Policy.requireCanManageModels)
                let queue = try await store.queue(name)
                return try await QueueClassifier.predict(
                    queue, in: store, with: classifier, as: reference, fields: textField, measure: uncertainty)
            }
            let routes = ModelRoute.allCases.map { "\(routed[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
            print("Predicted \(predicted) items of '\(name)' as \(reference)\(routed.isEmpty ? "." : "; routed: \(routes).")")
            if withoutText > 0 {
                QualityFiles.note("Left out \(withoutText) items with no text in \(textField.joined(separator: ", ")).")
            }
        }
    }

    /// Reads a model file, with an error naming it.
    static func load(_ path: String) throws -> TextClassifier {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(description: "\(path): cannot read the model file (does it exist?)")
        }
        do {
            return try TextClassifier(decoding: Array(data))
        } catch let error as LearningError {
            throw CommandFailure(description: "\(path): \(error.description)")
        }
    }

    static func format(_ probability: Double) -> String {
        String(format: "%.6f", probability)
    }
}

extension Uncertainty: ExpressibleByArgument {}
