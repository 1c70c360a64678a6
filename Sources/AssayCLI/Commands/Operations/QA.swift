import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// `assay qa`: the QA audit figures of a queue.
struct QA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qa",
        abstract: "QA audits: error rates with 95% intervals per stratum and per annotator.",
        discussion: """
            Reviewers work through the API (POST /api/v1/queues/{queue}/qa/next, POST /api/v1/qa/{id}); sampling is \
            set with `assay quality set qa_rate=… qa_sampling=stratified`.
            """,
        subcommands: [Report.self], defaultSubcommand: Report.self)

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a queue's QA report as JSON: overall, per vendor × market × label × risk tier, per annotator.")

        @Option(help: "The queue, by name or id.")
        var queue: String

        @Option(help: "Only this vendor's people (name or id), as its vendor lead sees it.")
        var vendor: String?

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let report = try await database.withStore { store in
                    try await store.qaReport(of: try await store.queue(queue), vendorID: try await store.vendorID(vendor))
                }
                try JSONFiles.print(report)
            }
        }
    }
}

extension Store {
    /// The id of the vendor a `--vendor` option named, by name or id; nil when it was left out.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` when no vendor has that name or id.
    func vendorID(_ reference: String?) async throws -> UUID? {
        guard let reference else { return nil }
        return try await vendor(reference).id
    }
}
