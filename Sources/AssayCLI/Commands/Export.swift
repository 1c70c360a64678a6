import ArgumentParser
import AssayCore
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
            let output = try open()
            defer { if out != nil { try? output.close() } }
            let count = try await database.withStore { store in
                let queue = try await store.queue(self.queue)
                var count = 0
                output.write(Data(FinalLabelExport.header(for: format).utf8))
                try await store.forEachFinalLabelPage(in: queue.id, pageSize: 10_000) { page in
                    var text = ""
                    for label in page { text += try FinalLabelExport.line(for: label, as: format) }
                    output.write(Data(text.utf8))
                    count += page.count
                }
                return count
            }
            if let out { print("Wrote \(count) final labels to \(out).") }
        }
    }

    private func open() throws -> FileHandle {
        guard let out else { return FileHandle.standardOutput }
        guard FileManager.default.createFile(atPath: out, contents: nil), let handle = FileHandle(forWritingAtPath: out)
        else { throw CommandFailure(description: "\(out): cannot write") }
        return handle
    }
}
