import ArgumentParser
import AssayCore
import AssayQuality
import Foundation

/// `assay metrics --truth t.csv --pred p.csv`: how good a set of labels is against the truth — accuracy, per-label
/// precision, recall and F1, macro and micro F1, the confusion matrix — with Wilson 95% intervals on every rate.
///
/// Items are matched by name; items with a truth and no prediction (or the reverse) are counted and reported,
/// not scored.
struct Metrics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score predicted labels against true labels (two item,label CSV files).",
        discussion: """
            Examples:
              assay metrics --truth gold.csv --pred labels.csv
              assay metrics --truth gold.csv --pred model.csv --json
              assay metrics --truth data/test.csv --truth-label-column labels \\
                  --pred predictions.csv --item-column external_id
            """)

    @Option(help: "The true labels: a CSV with item and label columns.")
    var truth: String

    @Option(help: "The predicted labels: a CSV with item and label columns (other columns, such as confidence, are ignored).")
    var pred: String

    @Option(help: "The item column of both files.")
    var itemColumn = "item"

    @Option(help: "The label column of both files.")
    var labelColumn = "label"

    @Option(help: "The truth file's label column, when it is another (`labels` in a file of assay export --training).")
    var truthLabelColumn: String?

    @Option(help: "The field separator of both files: a single ASCII character, or 'tab'.")
    var delimiter = ","

    @Option(help: "Labels in order, comma-separated, each once (default: every label that occurs, sorted). A label listed that neither file uses is shown, but left out of the macro averages, whose F1 it would make undefined; scikit-learn's labels= counts it as 0.", transform: ArgumentValues.labelOrder)
    var order: [String]?

    @Option(help: "The coverage of the Wilson intervals.")
    var confidence = 0.95

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard confidence > 0, confidence < 1 else { throw ValidationError("--confidence must be between 0 and 1") }
        _ = try JudgmentFileOptions.byte(ofDelimiter: delimiter)
    }

    func run() async throws {
        let separator = try JudgmentFileOptions.byte(ofDelimiter: delimiter)
        let truthTable = try await QualityFiles.itemLabels(
            at: truth, itemColumn: itemColumn, labelColumn: truthLabelColumn ?? labelColumn, delimiter: separator)
        let predicted = try await QualityFiles.itemLabels(
            at: pred, itemColumn: itemColumn, labelColumn: labelColumn, delimiter: separator)
        for (file, table) in [(truth, truthTable), (pred, predicted)] where table.items.isEmpty {
            throw CommandFailure(description: "\(file): the file has no rows, only a header")
        }
        let items = truthTable.items.filter { predicted.labels[$0] != nil }
        guard !items.isEmpty else {
            throw CommandFailure(
                description: "\(truth) and \(pred) share no item: check that the \(itemColumn) columns name the same items")
        }
        let labelOrder = order
        // A label outside --order is named with the file it comes from, so the user knows which to look at.
        if let labelOrder {
            let known = Set(labelOrder)
            for (file, table) in [(truth, truthTable), (pred, predicted)] {
                if let stray = items.compactMap({ table.labels[$0] }).first(where: { !known.contains($0) }) {
                    throw CommandFailure(description: "\(file): label '\(stray)' is not in --order (\(labelOrder.joined(separator: ",")))")
                }
            }
        }
        let report: ClassificationReport
        do {
            report = try ClassificationReport(
                truth: items.map { truthTable.labels[$0]! }, predicted: items.map { predicted.labels[$0]! },
                labels: labelOrder, z: WilsonInterval.normalQuantile(forCoverage: confidence))
        } catch let error as QualityError {
            throw error.commandFailure
        }
        let summary = MetricsReport(
            report, confidence: confidence, scored: items.count,
            unpredicted: truthTable.items.count - items.count, unscored: predicted.items.count - items.count)
        if json {
            try QualityFiles.printJSON(summary)
        } else {
            print(summary.table(truth: truth, pred: pred))
        }
    }
}

/// What `assay metrics` prints, as JSON (snake_case keys) or as a table.
struct MetricsReport: Encodable {
    /// A rate with its Wilson interval.
    struct RateValue: Encodable {
        let value: Double
        let low: Double
        let high: Double
        let successes: Int
        let trials: Int

        init(_ rate: Rate) {
            value = rate.value
            low = rate.interval.lower
            high = rate.interval.upper
            successes = rate.successes
            trials = rate.trials
        }
    }

    struct LabelValues: Encodable {
        let label: String
        let precision: RateValue
        let recall: RateValue
        let f1: Double
        let support: Int
    }

    struct Confusion: Encodable {
        /// Row and column labels.
        let labels: [String]
        /// `counts[t][p]`: items whose truth is `labels[t]` and prediction `labels[p]`.
        let counts: [[Int]]
    }

    let confidence: Double
    /// Items with both a true and a predicted label.
    let items: Int
    /// Items with a true label and no prediction.
    let unpredictedItems: Int
    /// Items with a prediction and no true label.
    let unscoredItems: Int
    let accuracy: RateValue
    let perLabel: [LabelValues]
    let macroPrecision: Double
    let macroRecall: Double
    let macroF1: Double
    let weightedF1: Double
    let microF1: RateValue
    let confusion: Confusion

    enum CodingKeys: String, CodingKey {
        case confidence, items, accuracy, confusion
        case unpredictedItems = "unpredicted_items"
        case unscoredItems = "unscored_items"
        case perLabel = "per_label"
        case macroPrecision = "macro_precision"
        case macroRecall = "macro_recall"
        case macroF1 = "macro_f1"
        case weightedF1 = "weighted_f1"
        case microF1 = "micro_f1"
    }

    init(_ report: ClassificationReport, confidence: Double, scored: Int, unpredicted: Int, unscored: Int) {
        self.confidence = confidence
        items = scored
        unpredictedItems = unpredicted
        unscoredItems = unscored
        accuracy = RateValue(report.accuracy)
        perLabel = report.perLabel.map {
            LabelValues(
                label: $0.label, precision: RateValue($0.precision), recall: RateValue($0.recall), f1: $0.f1,
                support: $0.support)
        }
        macroPrecision = report.macroPrecision
        macroRecall = report.macroRecall
        macroF1 = report.macroF1
        weightedF1 = report.weightedF1
        microF1 = RateValue(report.microF1)
        let labels = report.confusion.labels
        confusion = Confusion(
            labels: labels,
            counts: labels.indices.map { t in labels.indices.map { p in report.confusion.count(truth: t, predicted: p) } })
    }

    /// The report as aligned text for a terminal.
    func table(truth: String, pred: String) -> String {
        // A rate of nothing (precision of a label never predicted) is undefined: "n/a", not a 0 that reads as a result.
        func rate(_ value: RateValue) -> String {
            value.trials == 0 ? "n/a (0 of 0)" : String(format: "%.4f [%.4f, %.4f]", value.value, value.low, value.high)
        }
        let width = max(8, perLabel.map(\.label.count).max() ?? 0)
        func pad(_ text: String, _ size: Int) -> String { text.padding(toLength: max(size, text.count), withPad: " ", startingAt: 0) }
        var lines = ["\(pred) against \(truth): \(items) items scored"]
        if unpredictedItems > 0 { lines.append("  \(unpredictedItems) items of \(truth) have no prediction (left out)") }
        if unscoredItems > 0 { lines.append("  \(unscoredItems) items of \(pred) have no true label (left out)") }
        let percent = String(format: "%.0f%%", confidence * 100)
        lines += [
            "",
            "accuracy     \(rate(accuracy))   (\(percent) Wilson interval)",
            "micro F1     \(rate(microF1))",
            String(format: "macro F1     %.4f   (precision %.4f, recall %.4f)", macroF1, macroPrecision, macroRecall),
            String(format: "weighted F1  %.4f", weightedF1),
            "",
            pad("label", width) + "  precision                   recall                      F1      support",
        ]
        for label in perLabel {
            lines.append(
                pad(label.label, width) + "  " + pad(rate(label.precision), 26) + "  " + pad(rate(label.recall), 26)
                    + "  " + String(format: "%.4f  %7d", label.f1, label.support))
        }
        lines += ["", "confusion (rows: truth, columns: predicted)"]
        let cell = max(6, confusion.labels.map(\.count).max() ?? 0, String(items).count)
        lines.append(pad("", width) + confusion.labels.map { "  " + pad($0, cell) }.joined())
        for (row, label) in confusion.labels.enumerated() {
            lines.append(pad(label, width) + confusion.counts[row].map { "  " + pad(String($0), cell) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
