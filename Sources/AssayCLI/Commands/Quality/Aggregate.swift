import ArgumentParser
import AssayCore
import AssayQuality
import Foundation

/// `assay aggregate judgments.csv --method ds`: one label per item from several workers' judgments, with a
/// confidence, and optionally each worker's estimated skill — what crowd-kit's `fit_predict` gives, from a CSV.
struct Aggregate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Infer one label per item (and each worker's skill) from a judgments CSV (item,worker,label).",
        discussion: """
            Methods: mv (majority vote; ties go to the label first in label order), wmv (weighted majority vote, \
            weights estimated from agreement with the consensus, or given with --weights), ds (Dawid–Skene), \
            ods (one-coin Dawid–Skene), glad (GLAD), mace (MACE).

            Writes item,label,confidence to --out (default: standard output); a summary goes to standard error.

            Examples:
              assay aggregate judgments.csv --method ds --out labels.csv \\
                  --workers workers.csv
              assay aggregate judgments.csv --method mace --gold gold.csv > labels.csv
            """)

    enum Method: String, CaseIterable, ExpressibleByArgument {
        case mv, wmv, ds, ods, glad, mace

        var title: String {
            switch self {
            case .mv: "Majority vote"
            case .wmv: "Weighted majority vote"
            case .ds: "Dawid–Skene"
            case .ods: "One-coin Dawid–Skene"
            case .glad: "GLAD"
            case .mace: "MACE"
            }
        }
    }

    @Argument(help: "The judgments: a CSV with item, worker and label columns.")
    var file: String

    @Option(help: "mv, wmv, ds, ods, glad or mace.")
    var method: Method = .ds

    @Option(
        help: """
            Known labels that clamp those items and calibrate the workers who judged them: a CSV with the same item \
            and label columns (and delimiter) as the judgments.
            """)
    var gold: String?

    @Option(name: .shortAndLong, help: "Write item,label,confidence here instead of standard output.")
    var out: String?

    @Option(help: "Write each worker's judgments, accuracy, score and confusion matrix to this CSV.")
    var workers: String?

    @Option(help: "For wmv: given weights as a CSV with worker and weight columns (others get weight 1).")
    var weights: String?

    @Option(help: "The cap on EM iterations (default: the method's own, as in crowd-kit).")
    var maxIterations: Int?

    @Option(help: "Stop EM when the objective gains less than this per judgment.")
    var tolerance: Double?

    @Option(help: "For mace: the number of random restarts (default: 10).")
    var restarts: Int?

    @Option(help: "For mace: the seed of the random restarts (default: 0).")
    var seed: UInt64?

    @Option(help: "Labels in order, comma-separated, each once (ties and unused labels; default: sorted by name or value).",
            transform: ArgumentValues.labelOrder)
    var order: [String]?

    @Flag(help: "Print no summary on standard error.")
    var quiet = false

    @OptionGroup var columns: JudgmentFileOptions

    func validate() throws {
        if let maxIterations, maxIterations < 0 { throw ValidationError("--max-iterations must be 0 or more") }
        if let tolerance, !(tolerance >= 0) { throw ValidationError("--tolerance must be 0 or more") }
        if let restarts, restarts < 1 { throw ValidationError("--restarts must be at least 1") }
        // A setting the method has no use for is refused, not ignored: whoever typed it expects it to count.
        if restarts != nil || seed != nil, method != .mace {
            throw ValidationError("--restarts and --seed apply to --method mace only")
        }
        if tolerance != nil, method == .mv || method == .wmv {
            throw ValidationError("--tolerance applies to ds, ods, glad and mace; \(method.rawValue) does not stop on one")
        }
        if maxIterations != nil, method == .mv || method == .wmv && weights != nil {
            throw ValidationError("--max-iterations does not apply to \(method == .mv ? "mv" : "wmv with given --weights"): it does not iterate")
        }
        if weights != nil, method != .wmv { throw ValidationError("--weights applies to --method wmv only") }
    }

    func run() async throws {
        let labelOrder = order
        let delimiter = try columns.delimiterByte()
        let start = ContinuousClock.now
        let judgments = try await QualityFiles.judgments(at: file, options: columns, labelOrder: labelOrder)
        let read = ContinuousClock.now - start
        var goldLabels: GoldLabels?
        if let gold {
            let table = try await QualityFiles.itemLabels(
                at: gold, itemColumn: columns.itemColumn, labelColumn: columns.labelColumn, delimiter: delimiter)
            // A gold label the judgments never use has no place in the model: named here by its line, as every
            // other bad row of a file is.
            let unknown = table.labels.filter { item, label in
                judgments.itemCoding.index(of: item) != nil && judgments.labelCoding.index(of: label) == nil
            }.min { (table.lines[$0.key] ?? 0) < (table.lines[$1.key] ?? 0) }
            if let (item, label) = unknown {
                throw CommandFailure(
                    description: "\(gold):\(table.lines[item] ?? 0): \(columns.labelColumn): gold label '\(label)' of item '\(item)' "
                        + "is not among the judged labels (\(judgments.labelCoding.values.joined(separator: ", "))); "
                        + "fix the gold file, or name every label with --order")
            }
            goldLabels = GoldLabels(table.labels)
        }
        if let goldLabels, !quiet {
            let unjudged = goldLabels.labelsByItem.keys.filter { judgments.itemCoding.index(of: $0) == nil }.count
            if unjudged > 0 {
                QualityFiles.note("\(gold ?? ""): \(unjudged) of \(goldLabels.count) gold items have no judgments; they are ignored")
            }
        }
        let aggregator = try await makeAggregator()
        let (result, fitTime) = try QualityFiles.timed("\(method.title) over \(judgments.judgmentCount) judgments",
            quiet: quiet)
        {
            do {
                return try aggregator.aggregate(judgments, gold: goldLabels)
            } catch let error as QualityError {
                throw CommandFailure(description: (gold.map { "\($0): " } ?? "") + error.description)
            }
        }
        try writeLabels(result)
        if let workers { try writeWorkers(result, to: workers) }
        if !quiet {
            let fit = result.iterations > 0
                ? ", \(result.iterations) iterations\(result.converged ? " (converged)" : " (stopped at the cap)")" : ""
            QualityFiles.note(
                "\(file): \(judgments.itemCount) items, \(judgments.workerCount) workers, "
                    + "\(judgments.judgmentCount) judgments, \(judgments.labelCount) labels; "
                    + "read in \(read.formattedSeconds); \(method.title)\(fit) in \(fitTime.formattedSeconds)")
        }
    }

    private func makeAggregator() async throws -> any LabelAggregator {
        switch method {
        case .mv:
            return MajorityVote()
        case .wmv:
            guard let weights else { return WeightedMajorityVote(maxIterations: maxIterations ?? 20) }
            let table = try await QualityFiles.itemLabels(
                at: weights, itemColumn: "worker", labelColumn: "weight", delimiter: try columns.delimiterByte())
            var given: [String: Double] = [:]
            for worker in table.items {  // in file order: the first bad line is the one named
                let text = table.labels[worker]!
                guard let weight = Double(text), weight.isFinite, weight >= 0 else {
                    let line = table.lines[worker].map { ":\($0)" } ?? ""
                    throw CommandFailure(
                        description: "\(weights)\(line): weight: the weight of worker '\(worker)' must be a number ≥ 0, not '\(text)'")
                }
                given[worker] = weight
            }
            return WeightedMajorityVote(weights: .given(given))
        case .ds:
            return DawidSkene(maxIterations: maxIterations ?? 100, tolerance: tolerance ?? 1e-5)
        case .ods:
            return OneCoinDawidSkene(maxIterations: maxIterations ?? 100, tolerance: tolerance ?? 1e-5)
        case .glad:
            return GLAD(maxIterations: maxIterations ?? 100, tolerance: tolerance ?? 1e-5)
        case .mace:
            return MACE(
                restarts: restarts ?? 10, maxIterations: maxIterations ?? 50, tolerance: tolerance ?? 1e-5, seed: seed ?? 0)
        }
    }

    private func writeLabels(_ result: AggregationResult) throws {
        let output = try OutputFile(path: out)
        defer { output.close() }
        var buffer = CSVWriter.row([columns.itemColumn, columns.labelColumn, "confidence"])
        for item in 0..<result.itemCoding.count {
            buffer += CSVWriter.row([
                result.itemCoding.value(at: item), result.labelCoding.value(at: Int(result.labelIndices[item])),
                String(result.confidence(ofItemAt: item)),
            ])
            if buffer.utf8.count > 1 << 20 {
                output.write(buffer)
                buffer = ""
            }
        }
        output.write(buffer)
        try output.finish()
    }

    private func writeWorkers(_ result: AggregationResult, to path: String) throws {
        let output = try OutputFile(path: path)
        defer { output.close() }
        let labels = result.labelCoding.values
        let hasConfusion = result.workerSkills.contains { $0.confusion != nil }
        var header = ["worker", "judgments", "accuracy", "score"]
        if hasConfusion {
            for truth in labels { header += labels.map { "P(\($0)|\(truth))" } }
        }
        var buffer = CSVWriter.row(header)
        for (worker, skill) in result.workerSkills.enumerated() {
            var fields = [
                result.workerCoding.value(at: worker), String(skill.judgmentCount), String(skill.accuracy),
                skill.score.map { String($0) } ?? "",
            ]
            if hasConfusion { fields += (skill.confusion ?? []).map { String($0) } }
            buffer += CSVWriter.row(fields)
        }
        output.write(buffer)
        try output.finish()
    }
}
