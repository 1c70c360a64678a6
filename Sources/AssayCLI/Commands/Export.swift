import ArgumentParser
import AssayCore
import AssayServer
import AssayStore
import Foundation

/// `assay export --queue Q --format jsonl|csv`: writes a queue's final labels, streamed page by page.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export a queue's final labels as JSON Lines or CSV.")

    @Option(help: "The queue, by name or id.")
    var queue: String

    @Option(help: "jsonl or csv.")
    var format: ImportFormat = .jsonl

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var out: String?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let output = try OutputFile(path: out)
            defer { output.close() }
            let count = try await database.withStore { store in
                let queue = try await store.queue(self.queue)
                return try await FinalLabelWriter.write(queue, as: format, from: store) { output.write($0) }
            }
            if let out { print("Wrote \(count) final labels to \(out).") }
        }
    }
}
