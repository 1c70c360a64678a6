import ArgumentParser
import AssayCore
import AssayQuality
import Foundation

/// `assay agree judgments.csv`: how much the workers of a judgments file agree — percent agreement, Fleiss' κ,
/// Krippendorff's α at a chosen level (with a bootstrap interval on request), and Cohen's κ when there are
/// exactly two workers.
///
/// A coefficient that is undefined for the file (no item judged twice, one label throughout) is reported as
/// not available with the reason, never as NaN; the command fails only when none can be computed.
struct Agree: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure inter-annotator agreement in a judgments CSV (item,worker,label).",
        discussion: """
            Examples:
              assay agree judgments.csv
              assay agree ratings.csv --level ordinal --order "1,2,3,4,5" --json
              assay agree judgments.csv --bootstrap 1000 --seed 7
            """)

    @Argument(help: "The judgments: a CSV with item, worker and label columns.")
    var file: String

    @Option(help: "The measurement level for Krippendorff's α: nominal, ordinal, interval or ratio.")
    var level: KrippendorffAlpha.Level = .nominal

    @Option(help: "Labels from lowest to highest, comma-separated, each once (ordinal, interval or ratio level; default: by numeric value, so labels that are not numbers need it).",
            transform: ArgumentValues.labelOrder)
    var order: [String]?

    @Option(help: "Bootstrap replicates for a confidence interval on α (0 for none).")
    var bootstrap = 0

    @Option(help: "The coverage of the bootstrap interval.")
    var confidence = 0.95

    @Option(help: "The seed of the bootstrap.")
    var seed: UInt64 = 1

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(help: "Print no timings on standard error.")
    var quiet = false

    @OptionGroup var columns: JudgmentFileOptions

    func validate() throws {
        guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 or more") }
        guard confidence > 0, confidence < 1 else { throw ValidationError("--confidence must be between 0 and 1") }
    }

    func run() async throws {
        let labelOrder = order
        let start = ContinuousClock.now
        let judgments = try await QualityFiles.judgments(at: file, options: columns, labelOrder: labelOrder)
        let read = ContinuousClock.now - start
        // A usage mistake, not a coefficient the data leave undefined: say so and stop, rather than print "n/a".
        if level != .nominal, labelOrder == nil, judgments.labelCoding.values.contains(where: { Double($0) == nil }) {
            throw CommandFailure(
                description: "--level \(level.rawValue) needs --order for labels that are not numbers, lowest first "
                    + "(the labels of \(file): \(judgments.labelCoding.values.prefix(12).joined(separator: ", ")))")
        }
        let report = try AgreementReport(
            judgments, level: level, order: labelOrder, bootstrap: bootstrap, confidence: confidence, seed: seed)
        if !quiet {
            QualityFiles.note(
                "\(file): read in \(read.formattedSeconds); "
                    + report.seconds.map { "\($0.name) \($0.duration.formattedSeconds)" }.joined(separator: ", "))
        }
        if json {
            try QualityFiles.printJSON(report)
        } else {
            print(report.table(file: file))
        }
    }
}

extension KrippendorffAlpha.Level: ExpressibleByArgument {}

/// What `assay agree` prints, as JSON (snake_case keys) or as a table.
struct AgreementReport: Encodable {
    struct Interval: Encodable {
        let confidence: Double
        let low: Double
        let high: Double
        /// The replicates the interval is made of: those requested, less any without variation.
        let replicates: Int
    }

    let items: Int
    let workers: Int
    let judgments: Int
    let labels: [String]
    let level: String
    /// Items with at least two judgments: the ones agreement can be measured on.
    let pairableItems: Int
    let percentAgreement: Double?
    let fleissKappa: Double?
    let krippendorffAlpha: Double?
    let krippendorffAlphaInterval: Interval?
    let cohensKappa: Double?
    /// Why a coefficient is missing, by its key.
    let notes: [String: String]
    /// How long each coefficient took (not encoded: the JSON stays the same from run to run).
    private(set) var seconds: [(name: String, duration: Duration)] = []

    enum CodingKeys: String, CodingKey {
        case items, workers, judgments, labels, level, notes
        case pairableItems = "pairable_items"
        case percentAgreement = "percent_agreement"
        case fleissKappa = "fleiss_kappa"
        case krippendorffAlpha = "krippendorff_alpha"
        case krippendorffAlphaInterval = "krippendorff_alpha_interval"
        case cohensKappa = "cohens_kappa"
    }

    init(
        _ judgments: JudgmentMatrix, level: KrippendorffAlpha.Level, order: [String]?, bootstrap: Int,
        confidence: Double, seed: UInt64
    ) throws {
        items = judgments.itemCount
        workers = judgments.workerCount
        self.judgments = judgments.judgmentCount
        labels = judgments.labelCoding.values
        self.level = level.rawValue
        pairableItems = (0..<judgments.itemCount).reduce(0) { $0 + (judgments.judgments(ofItemAt: $1).count > 1 ? 1 : 0) }
        var notes: [String: String] = [:]
        var seconds: [(name: String, duration: Duration)] = []
        func measured(_ key: CodingKeys, _ name: String, _ body: () throws -> Double) -> Double? {
            let start = ContinuousClock.now
            defer { seconds.append((name, ContinuousClock.now - start)) }
            do {
                return try body()
            } catch {
                notes[key.rawValue] = "\(error)"
                return nil
            }
        }
        let alpha = KrippendorffAlpha(level: level, order: order)
        percentAgreement = measured(.percentAgreement, "percent agreement") { try PercentAgreement().measure(judgments).value }
        fleissKappa = measured(.fleissKappa, "Fleiss' κ") { try FleissKappa().measure(judgments).value }
        krippendorffAlpha = measured(.krippendorffAlpha, "Krippendorff's α") { try alpha.measure(judgments).value }
        // A bootstrap that fails (every replicate drew units without variation) loses its interval, not the report.
        var interval: Interval?
        if bootstrap > 0, krippendorffAlpha != nil {
            var rng = SplitMix64(seed: seed)
            do {
                let drawn = try alpha.bootstrap(judgments, replicates: bootstrap, confidence: confidence, using: &rng)
                interval = Interval(
                    confidence: confidence, low: drawn.lower, high: drawn.upper, replicates: drawn.samples.count)
                if drawn.samples.count < bootstrap {
                    notes[CodingKeys.krippendorffAlphaInterval.rawValue] =
                        "\(bootstrap - drawn.samples.count) of \(bootstrap) replicates drew units without variation, where α is "
                        + "undefined; the interval is from the other \(drawn.samples.count)"
                }
            } catch {
                notes[CodingKeys.krippendorffAlphaInterval.rawValue] = "no bootstrap interval: \(error)"
            }
        }
        krippendorffAlphaInterval = interval
        if judgments.workerCount == 2 {
            cohensKappa = measured(.cohensKappa, "Cohen's κ") { try CohensKappa().measure(judgments).value }
        } else {
            cohensKappa = nil
            notes[CodingKeys.cohensKappa.rawValue] =
                "Cohen's κ compares exactly two workers; this file has \(judgments.workerCount)"
        }
        self.notes = notes
        self.seconds = seconds
        if percentAgreement == nil, fleissKappa == nil, krippendorffAlpha == nil {
            throw CommandFailure(description: "no agreement coefficient is defined for this file: "
                + (notes[CodingKeys.krippendorffAlpha.rawValue] ?? "no item was judged twice"))
        }
    }

    /// The report as aligned text for a terminal.
    func table(file: String) -> String {
        func row(_ name: String, _ value: Double?, _ key: CodingKeys) -> String {
            name.padding(toLength: max(name.count + 2, 29), withPad: " ", startingAt: 0) + number(value, key)
        }
        func number(_ value: Double?, _ key: CodingKeys) -> String {
            guard let value else { return "n/a (\(notes[key.rawValue] ?? "undefined"))" }
            return String(format: "%.4f", value)
        }
        var lines = [
            "\(file): \(judgments) judgments of \(items) items by \(workers) workers; "
                + "\(pairableItems) \(pairableItems == 1 ? "item" : "items") judged at least twice",
            "labels: \(labels.joined(separator: ", "))",
            "",
            row("percent agreement", percentAgreement, .percentAgreement),
            row("Fleiss' κ", fleissKappa, .fleissKappa),
            row("Krippendorff's α (\(level))", krippendorffAlpha, .krippendorffAlpha),
        ]
        if let interval = krippendorffAlphaInterval {
            lines.append(
                String(
                    format: "  %.0f%% interval              %.4f – %.4f (%d bootstrap replicates)",
                    interval.confidence * 100, interval.low, interval.high, interval.replicates))
        }
        if let note = notes[CodingKeys.krippendorffAlphaInterval.rawValue] { lines.append("  (\(note))") }
        if workers == 2 { lines.append(row("Cohen's κ", cohensKappa, .cohensKappa)) }
        return lines.joined(separator: "\n")
    }
}

extension Duration {
    /// "0.123 s": how the quality commands report timings.
    var formattedSeconds: String {
        String(format: "%.3f s", Double(components.seconds) + Double(components.attoseconds) * 1e-18)
    }
}
