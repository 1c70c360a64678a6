import ArgumentParser
import AssayCore
import AssayLearning
import Foundation

/// `assay predict --model MODEL DATA --id-column id --out predictions.csv`: labels a CSV or JSON Lines file with a
/// model from `assay train`, writing `id,label,confidence`.
struct Predict: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Label a CSV or JSON Lines file with a model made by `assay train`.",
        discussion: """
            Writes a CSV with columns id, label and confidence (the calibrated probability of the label), and with \
            --probabilities one column per label. `assay metrics --item-column id` scores it against true labels.

            Examples:
              assay predict --model posts.model new-posts.csv --id-column id --out predictions.csv
              assay predict --model posts.model posts.jsonl --probabilities --out -
            """)

    @Option(help: "The model file.")
    var model: String

    @Argument(help: "The texts to label: a CSV with a header, or JSON Lines.")
    var data: String

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

    func run() async throws {
        let classifier = try Self.load(model)
        let output = try OutputFile(path: out)
        defer { output.close() }
        var header = ["id", "label", "confidence"]
        if probabilities { header += classifier.labels.map { "p_\($0)" } }
        output.write(CSVWriter.row(header))
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
                output.write(text)
                written += batch.count
            }
        }
        if !output.isStandardOutput { QualityFiles.note("Labelled \(written) rows of \(data) into \(out).") }
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
