import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// `assay queues`: list queues, or create one from a JSON file in the API's format.
struct Queues: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List queues, or create one.", subcommands: [List.self, Create.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List queues with their progress.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await database.withStore { store in
                for queue in try await store.queues() {
                    let stats = try await store.stats(of: queue.id)
                    print("\(queue.name)\t\(stats.items) items (\(stats.goldItems) gold without a label, outside progress)\t\(stats.completedItems) complete\t\(stats.judgments) judgments")
                }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a queue from a JSON file shaped like the body of POST /api/v1/queues.")

        @Argument(help: "The queue definition (name, schema, overlap, …).")
        var file: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let draft = try JSONFiles.decode(QueueDraft.self, at: file, shapedLike: "a queue definition")
            try await CommandFailure.reporting(file: file) {
                let queue = try await database.withStore(creating: true) { try await $0.createQueue(draft, now: Date()) }
                print("Created queue '\(queue.name)' (id \(queue.id)).")
            }
        }
    }
}
