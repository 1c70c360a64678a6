import ArgumentParser
import AssayCore
import AssayFiles
import AssayStore
import ConsoleKitTerminal
import Foundation

/// `assay import FILE --queue Q`: loads items (or, with `--judgments`, judgments made in other tools).
///
/// The file is checked whole first; if any row is bad, every bad row is listed (up to 20) with its line and
/// nothing is imported. Then rows go in by batches, each its own transaction; an external id already in the
/// queue is skipped, so an interrupted import can simply be run again.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import items (or judgments made elsewhere) from a JSON Lines, JSON array or CSV file into a queue; Label Studio's JSON export reads as it is.")

    @Argument(help: "The file: .jsonl/.ndjson/.json (JSON Lines, or one JSON array such as Label Studio's export) or .csv.")
    var file: String

    @Option(help: "The queue, by name or id.")
    var queue: String

    @Option(help: "jsonl or csv (default: from the file name).")
    var format: ImportFormat?

    @Flag(help: "The file holds judgments (item_external_id, annotator_external_id, labels, submitted_at, …).")
    var judgments = false

    @Option(help: "Rows per transaction (at least 1).")
    var batchSize = 20_000

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
    }

    func run() async throws {
        try await CommandFailure.reporting(file: file) {
            let input = try ImportFile(path: file, format: format, judgments: judgments)
            let report = try await database.withStore { store in
                let queue = try await store.queue(self.queue)
                // Checking a big file takes a while too (a million rows, several seconds), so it gets a bar of its own.
                let check = Terminal().progressBar(title: "Checking \(file)")
                check.start()
                let problems: [AssayError]
                do {
                    problems = try await input.problems(in: queue, store: store) { check.activity.currentProgress = $0 }
                    problems.isEmpty ? check.succeed() : check.fail()
                } catch {
                    check.fail()
                    throw error
                }
                guard problems.isEmpty else {
                    throw CommandFailure(
                        description: "nothing was imported; fix these rows:\n"
                            + problems.map { $0.located(in: file) }.joined(separator: "\n"))
                }
                let bar = Terminal().progressBar(title: "Importing \(file)")
                bar.start()
                do {
                    let report = try await input.load(into: queue, store: store, batchSize: batchSize) { fraction, _ in
                        bar.activity.currentProgress = fraction
                    }
                    bar.succeed()
                    return report
                } catch {
                    bar.fail()
                    throw error
                }
            }
            // As the API answers an empty body: a file with no rows is most likely the wrong file.
            guard report.received > 0 else { throw AssayError.invalidInput(field: nil, line: nil, reason: "the file has no rows") }
            print("Imported \(report.inserted) of \(report.received) rows into '\(queue)' "
                + "(\(report.duplicates) already there\(judgments ? ", \(report.createdAnnotators) new annotators" : "")).")
            if report.differing > 0 {
                // Judgments are never rewritten: a file of corrected labels must not pass for applied.
                let more = report.differing > report.differingLines.count ? ", …" : ""
                let what = judgments ? "labels" : "content"
                print("\(report.differing) of the rows already there have other \(what) than those stored, which stay "
                    + "(\(file) lines \(report.differingLines.map(String.init).joined(separator: ", "))\(more)).")
            }
        }
    }
}

extension ImportFormat: ExpressibleByArgument {}
