import ArgumentParser
import AssayCore
import AssayLearning
import Foundation

/// `assay label-errors DATA --id-column id`: finds the rows of a labelled file whose label the built-in classifier,
/// trained out of fold, contradicts with confidence (confident learning), the way cleanlab's `find_label_issues`
/// does for a model's out-of-fold probabilities.
struct LabelErrorsFile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label-errors",
        abstract: "List the rows of a labelled CSV or JSON Lines file whose label is probably wrong, most suspect first.",
        discussion: """
            The classifier is trained --folds times, each time without one fold (stratified by label), so every row is \
            judged by a model that never saw it; rows whose out-of-fold probabilities contradict their label with \
            confidence (Northcutt et al. 2021) are written as id, given, suggested, self_confidence, \
            suggested_confidence. For a queue's final labels use `assay models label-errors --queue`.

            Example:
              assay label-errors posts.csv --id-column id --text-column text \\
                  --label-column label --out suspects.csv
            """)

    @Argument(help: "The labelled examples: a CSV with a header, or JSON Lines.")
    var data: String

    @Option(help: "The column holding each row's id.")
    var idColumn = "id"

    @Option(help: "The column holding the text.")
    var textColumn = "text"

    @Option(help: "The column holding the label.")
    var labelColumn = "label"

    @Option(help: "The input format, when the file name does not say (jsonl or csv).")
    var format: ImportFormat?

    @Option(help: "Folds of the out-of-fold training (2 to 20).")
    var folds = 5

    @Option(help: "Flag only where the classifier gives its own label at least this probability.")
    var minConfidence = 0.0

    @Option(help: "The random seed of the folds and the training.")
    var seed: UInt64 = 1

    @Option(help: "Where to write the flagged rows (- for standard output).")
    var out = "-"

    func validate() throws {
        guard (0...1).contains(minConfidence) else { throw ValidationError("--min-confidence must be 0 to 1") }
        guard (2...20).contains(folds) else { throw ValidationError("--folds must be 2 to 20") }
    }

    func run() async throws {
        var ids: [String] = [], texts: [String] = [], labels: [String] = []
        try await CommandFailure.reporting(file: data) {
            try TextExampleFiles.forEachBatch(
                of: data, format: format, columns: TextExample.Columns(text: textColumn, label: labelColumn, id: idColumn)
            ) { batch in
                for example in batch {
                    ids.append(example.id ?? "")
                    texts.append(example.text)
                    labels.append(example.label ?? "")
                }
            }
        }
        let issues: [ConfidentLearning.Issue]
        do {
            issues = try QualityFiles.timed("Checking \(texts.count) labels, \(folds) folds", quiet: out == "-") {
                let probabilities = try OutOfFoldPredictions(folds: folds, options: TrainingOptions(seed: seed))
                    .probabilities(texts: texts, labels: labels)
                return try ConfidentLearning(minimumConfidence: minConfidence).labelIssues(
                    givenLabels: labels, labels: probabilities.labels, probabilities: probabilities.rows)
            }.value
        } catch let error as LearningError {
            throw CommandFailure(description: "\(data): \(error.description)")
        }
        let output = try OutputFile(path: out)
        defer { output.close() }
        output.write(CSVWriter.row(["id", "given", "suggested", "self_confidence", "suggested_confidence"]))
        for issue in issues {
            output.write(CSVWriter.row([
                ids[issue.index], issue.givenLabel, issue.suggestedLabel, String(format: "%.6f", issue.selfConfidence),
                String(format: "%.6f", issue.suggestedConfidence),
            ]))
        }
        try output.finish()
        if !output.isStandardOutput { QualityFiles.note("Flagged \(issues.count) of \(texts.count) rows of \(data) into \(out).") }
    }
}
