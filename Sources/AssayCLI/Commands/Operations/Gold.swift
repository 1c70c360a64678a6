import ArgumentParser
import AssayCore
import AssayQuality
import AssayStore
import Foundation

/// `assay gold`: import a gold set into a queue, or list it.
struct Gold: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set reference answers (gold) on a queue's items, or list them.",
        discussion: """
            A gold item leaves the production pool; `next` serves it to each annotator at most once, at the queue's \
            gold rate (see `assay quality`), and its judgments score the annotator instead of making a final label.
            """,
        subcommands: [Import.self, List.self, Health.self], defaultSubcommand: List.self)

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a gold set, all or nothing: external_id, labels (a list, or 'a|b' in CSV), rationale.")

        @Argument(help: "The file: .jsonl/.ndjson, .csv, or .json (one JSON array, as Label Studio exports).")
        var file: String

        @Option(help: "The queue, by name or id.")
        var queue: String

        @OptionGroup var acting: ActingPerson

        @Option(help: "jsonl or csv (default: from the file name).")
        var format: ImportFormat?

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting(file: file) {
                let rows = try FileRows.read(file, format: format, requiredColumns: [
                    ["external_id", "item_external_id", "item"], ["labels", "label"],
                ])
                let drafts = try rows.readEach { [try GoldRows.gold(from: $0)] }
                let report = try await database.withStore { store in
                    let person = try await acting.person(in: store, allowedBy: Policy.requireCanManageGold)
                    return try await store.importGold(drafts, into: try await store.queue(queue), by: person, now: Date())
                }
                print("Gold set on \(report.set) of \(report.received) items of '\(queue)' (\(report.unchanged) unchanged).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a queue's gold items as CSV.")

        @Option(help: "The queue, by name or id.")
        var queue: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                try await database.withStore { store in
                    let queue = try await store.queue(self.queue)
                    print(CSVWriter.row(["item_id", "external_id", "labels", "state", "rationale"]), terminator: "")
                    var after: Int64?
                    repeat {
                        let page = try await store.gold(in: queue.id, after: after, limit: 1_000)
                        for gold in page {
                            print(CSVWriter.row([
                                String(gold.itemID), gold.itemExternalID, gold.labels.joined(separator: "|"),
                                gold.state.rawValue, gold.rationale ?? "",
                            ]), terminator: "")
                        }
                        after = page.count == 1_000 ? page.last?.itemID : nil
                    } while after != nil
                }
            }
        }
    }

    struct Health: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the gold set's health as JSON: coverage per label and market, and annotators whose gold "
                + "accuracy is far above their agreement with peers (a sign the gold has leaked).")

        @Option(help: "The queue, by name or id.")
        var queue: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                try JSONFiles.print(try await database.withStore { store in try await store.goldHealth(of: try await store.queue(queue)) })
            }
        }
    }
}

/// `assay scores`: each annotator's running gold accuracy in a queue, with its interval and status.
struct Scores: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show annotators' gold accuracy and QA score in a queue with 95% Wilson intervals, and who is flagged or suspended.")

    @Option(help: "The queue, by name or id.")
    var queue: String

    @Option(help: "Count each annotator's last N gold answers (default: the queue's gold_window).")
    var window: Int?

    @Option(help: "Count only answers from the last D days.")
    var days: Double?

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        do {
            _ = try ScoresWindow(answers: window, days: days)
        } catch let error as AssayError {
            throw ValidationError("--\(error.description)")
        }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            try await database.withStore { store in
                let queue = try await store.queue(self.queue)
                let scores = try await store.scores(
                    in: queue, window: window, since: try ScoresWindow(answers: window, days: days).since(Date()))
                print(CSVWriter.row([
                    "annotator", "name", "status", "answered", "correct", "accuracy", "lower", "upper",
                    "qa_reviewed", "qa_correct", "qa_accuracy", "qa_lower", "qa_upper",
                ]), terminator: "")
                for score in scores {
                    print(CSVWriter.row([score.externalID, score.name, score.status.rawValue] + score.gold.csvColumns + score.qa.csvColumns),
                          terminator: "")
                }
            }
        }
    }
}

/// `assay audit`: the audit log, newest first.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the append-only audit log, newest first, as JSON Lines.")

    @Option(help: "Only entries of this queue (name or id).")
    var queue: String?

    @Option(help: "Only this action.")
    var action: AuditAction?

    @Option(help: "How many entries.")
    var limit = 100

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be 1 to 100000") }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            try await database.withStore { store in
                var queueID: UUID?
                if let queue { queueID = try await store.queue(queue).id }
                for event in try await store.auditEvents(AuditFilter(queueID: queueID, action: action, limit: limit)) {
                    try JSONFiles.print(event, pretty: false)
                }
            }
        }
    }
}

/// `assay consensus`: re-estimate a weighted or Dawid–Skene queue's model and re-decide its final labels.
struct Consensus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-estimate a weighted or Dawid–Skene queue's skill model and decide its final labels again.",
        discussion: "The server does this by itself every few minutes for queues with new judgments.")

    @Option(help: "The queue, by name or id.")
    var queue: String

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let estimate = try await database.withStore { store in
                try await store.estimateConsensus(of: try await store.queue(queue), now: Date())
            }
            print("Estimated \(estimate.kind.rawValue) over \(estimate.judgments) judgments by \(estimate.annotators) "
                + "annotators (\(estimate.iterations) iterations\(estimate.converged ? "" : ", not converged")); "
                + "\(estimate.itemsChanged) of \(estimate.itemsRedecided) final labels changed, "
                + String(format: "in %.2f s.", estimate.seconds))
        }
    }
}
extension AuditAction: ExpressibleByArgument {}
