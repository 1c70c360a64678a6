import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// `assay guidelines`: a queue's versioned policy documents.
struct Guidelines: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish, list, read and compare versions of a queue's guidelines (Markdown).",
        discussion: """
            Each judgment records the version in force when it was made. A label's passage (shown beside the label) \
            is the section under a heading that names the label by code or name, unless --passages gives them.
            """,
        subcommands: [Publish.self, List.self, Show.self, Diff.self], defaultSubcommand: List.self)

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Publish a Markdown file as the queue's next version.")

        @Argument(help: "The guidelines, in Markdown.")
        var file: String

        @Option(help: "The queue, by name or id.")
        var queue: String

        @Option(help: "A JSON file of passages by label code, instead of reading them from the headings.")
        var passages: String?

        @Option(help: "When the version takes effect, ISO 8601 (default: now).", transform: ArgumentValues.time)
        var effective: Date?

        @Flag(help: "Suspend the queue's annotators from it until each is reinstated or passes an exam.")
        var recertify = false

        @OptionGroup var acting: ActingPerson

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let markdown = try JSONFiles.text(of: file)
            let passages = try passages.map { try JSONFiles.decode([String: String].self, at: $0, shapedLike: "passages by label code") }
            let draft = GuidelineDraft(
                markdown: markdown, passages: passages, effectiveAt: effective, recertify: recertify)
            try await CommandFailure.reporting(file: file) {
                let published = try await database.withStore { store in
                    let person = try await acting.person(in: store, allowedBy: Policy.requireCanManageQuality)
                    return try await store.publishGuideline(draft, for: try await store.queue(queue), by: person, now: Date())
                }
                print("Published version \(published.version) of the guidelines of '\(queue)', in force from "
                    + "\(Timestamp.format(published.effectiveAt)); passages for: "
                    + (published.passages.isEmpty ? "no label" : published.passages.keys.sorted().joined(separator: ", ")) + ".")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a queue's guideline versions as CSV, newest first.")

        @Option(help: "The queue, by name or id.")
        var queue: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let versions = try await database.withStore { store in try await store.guidelines(of: try await store.queue(queue).id) }
                print(CSVWriter.row(["version", "effective_at", "created_at", "passages", "characters"]), terminator: "")
                for guideline in versions {
                    print(CSVWriter.row([
                        String(guideline.version), Timestamp.format(guideline.effectiveAt), Timestamp.format(guideline.createdAt),
                        guideline.passages.keys.sorted().joined(separator: "|"), String(guideline.markdown.count),
                    ]), terminator: "")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a version's Markdown (default: the one in force).")

        @Option(help: "The queue, by name or id.")
        var queue: String

        @Option(help: "The version number.")
        var version: Int?

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let guideline = try await database.withStore { store in
                    try await store.guideline(of: try await store.queue(queue).id, version: version, now: Date())
                }
                print(guideline.markdown)
            }
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two versions: the changed lines, the labels whose passages changed, and what the change touches.")

        @Option(help: "The queue, by name or id.")
        var queue: String

        @Option(help: "The older version (default: the one before --to).")
        var from: Int?

        @Option(help: "The newer version.")
        var to: Int

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let change = try await database.withStore { store in
                    try await store.guidelineChange(of: try await store.queue(queue), from: from ?? to - 1, to: to, now: Date())
                }
                print("--- version \(change.from)\n+++ version \(change.to)")
                for line in change.diff {
                    switch line.kind {
                    case .added: print("+" + line.text)
                    case .removed: print("-" + line.text)
                    case .same: print(" " + line.text)
                    }
                }
                print("""

                    Labels whose passage changed: \(change.changedLabels.isEmpty ? "none" : change.changedLabels.joined(separator: ", "))
                    Gold items with those labels: \(change.goldItemsTouched.count)
                    Final labels of the last 30 days with those labels: \(change.recentFinalLabelsTouched)
                    """)
            }
        }
    }
}
