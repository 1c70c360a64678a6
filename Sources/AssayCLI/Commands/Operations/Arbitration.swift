import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// `assay arbitration`: the cases consensus could not decide, and appeals.
struct Arbitration: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, read and decide arbitration cases; appeal a final label.",
        discussion: """
            A case opens when an item's judgments tie or the queue's consensus rule is less confident than its minimum, \
            and when someone appeals a final label. A decision is final; it can also make the item gold.
            """,
        subcommands: [List.self, Show.self, Decide.self, Appeal.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a queue's cases as CSV, oldest first.")

        @Option(help: "The queue, by name or id.")
        var queue: String

        @Option(help: "open, decided or withdrawn.")
        var state = "open"

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                guard let state = ArbitrationCase.State(rawValue: state) else {
                    throw AssayError.invalidInput(field: "state", line: nil, reason: "must be open, decided or withdrawn, got '\(state)'")
                }
                try await database.withStore { store in
                    let queue = try await store.queue(self.queue)
                    print(CSVWriter.row(["case_id", "item_id", "external_id", "reason", "opened_at", "judgments", "labels"]), terminator: "")
                    var after: Int64?
                    repeat {
                        let page = try await store.arbitrationFiles(in: queue, state: state, after: after, limit: 500, now: Date())
                        for file in page {
                            let found = file.arbitrationCase
                            print(CSVWriter.row([
                                String(found.id), String(found.itemID), file.item.externalID, found.reason,
                                Timestamp.format(found.openedAt), String(file.judgments.count),
                                (found.labels ?? []).joined(separator: "|"),
                            ]), terminator: "")
                        }
                        after = page.count == 500 ? page.last?.arbitrationCase.id : nil
                    } while after != nil
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a case as JSON: the item, every judgment, the current final label.")

        @Argument(help: "The case id.")
        var caseID: Int64

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                try JSONFiles.print(try await database.withStore { try await $0.arbitrationFile(caseID, now: Date()) })
            }
        }
    }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decide an open case; the labels become the final label.")

        @Argument(help: "The case id.")
        var caseID: Int64

        @Option(help: "The decided labels, separated by '|' (one for a single-choice or rating queue).")
        var labels: String

        @Option(help: "Why, for the record (required when the queue's schema requires a rationale).")
        var rationale: String?

        @Flag(help: "Also make the item gold with these labels as its reference answer.")
        var promoteToGold = false

        @OptionGroup var acting: ActingPerson

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let decided = try await database.withStore { store in
                    let person = try await acting.person(in: store, allowedBy: Policy.requireCanArbitrate)
                    return try await store.decide(
                        caseID, labels: labels.split(separator: "|").map(String.init), rationale: rationale,
                        promoteToGold: promoteToGold, by: person, now: Date())
                }
                print("Case \(decided.id) decided: \((decided.labels ?? []).joined(separator: "|")).")
            }
        }
    }

    struct Appeal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reopen an item's final label as an arbitration case.")

        @Argument(help: "The item's number: the item_id column of `assay export`, not its external id.")
        var itemID: Int64

        @Option(help: "What is wrong with the final label.")
        var note: String?

        @OptionGroup var acting: ActingPerson

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let opened = try await database.withStore { store in
                    let person = try await acting.person(in: store, allowedBy: Policy.requireCanAppeal)
                    return try await store.appeal(itemID: itemID, note: note, by: person, now: Date())
                }
                print("Case \(opened.id) opened on item \(opened.itemID).")
            }
        }
    }
}
