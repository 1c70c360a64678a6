import ArgumentParser
import AssayCore
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
        abstract: "Import items (or judgments made elsewhere) from a JSON Lines or CSV file into a queue.")

    @Argument(help: "The file: .jsonl/.ndjson or .csv.")
    var file: String

    @Option(help: "The queue, by name or id.")
    var queue: String

    @Option(help: "jsonl or csv (default: from the file name).")
    var format: ImportFormat?

    @Flag(help: "The file holds judgments (item_external_id, annotator_external_id, labels, submitted_at, …).")
    var judgments = false

    @Option(help: "Rows per transaction.")
    var batchSize = 20_000

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let required = judgments
            ? [["item_external_id", "item"], ["annotator_external_id", "annotator", "worker"]] : [["external_id", "id"]]
        let input = try ImportFile(path: file, format: format, requiredColumns: required)
        try await CommandFailure.reporting(file: file) {
            try await check(input)
            let report = try await database.withStore { store in
                let queue = try await store.queue(self.queue)
                return try await load(input, into: queue, store)
            }
            print("Imported \(report.inserted) of \(report.received) rows into '\(queue)' "
                + "(\(report.duplicates) already there\(judgments ? ", \(report.createdAnnotators) new annotators" : "")).")
        }
    }

    /// Pass one: parse every row, collecting errors, touching no database.
    private func check(_ input: ImportFile) async throws {
        var problems: [AssayError] = []
        try await input.forEachBatch(of: batchSize) { rows, _ in
            for row in rows where problems.count < 20 {
                do { try validate(row) } catch let error as AssayError { problems.append(error) }
            }
        }
        guard problems.isEmpty else {
            let lines = problems.map { error -> String in
                if case .invalidInput(_, let line?, _) = error {
                    return "\(file):\(line): \(error.description.replacingOccurrences(of: "line \(line): ", with: ""))"
                }
                return "\(file): \(error)"
            }
            throw CommandFailure(description: "nothing was imported; fix these rows:\n" + lines.joined(separator: "\n"))
        }
    }

    private func validate(_ row: ImportRow) throws {
        if judgments { _ = try JudgmentRows.judgment(from: row) } else { _ = try ItemRows.draft(from: row) }
    }

    /// Pass two: insert batch by batch under a progress bar.
    private func load(_ input: ImportFile, into queue: Queue, _ store: Store) async throws -> ImportReport {
        let bar = Terminal().progressBar(title: "Importing \(file)")
        bar.start()
        var total = ImportReport(received: 0, inserted: 0, duplicates: 0)
        do {
            try await input.forEachBatch(of: batchSize) { rows, fraction in
                guard !rows.isEmpty else { return }
                if judgments {
                    total = total + (try await store.importJudgments(
                        try rows.map(JudgmentRows.judgment(from:)), into: queue, now: Date()))
                } else {
                    total = total + (try await store.importItems(try rows.map(ItemRows.draft(from:)), into: queue, now: Date()))
                }
                bar.activity.currentProgress = fraction
            }
            bar.succeed()
        } catch {
            bar.fail()
            throw error
        }
        return total
    }
}

extension ImportFormat: ExpressibleByArgument {}
