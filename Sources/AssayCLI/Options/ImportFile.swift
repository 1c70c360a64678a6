import AssayCore
import Foundation

/// An import file read in chunks, with its format and the fraction read so far for progress bars.
struct ImportFile {
    let path: String
    let format: ImportFormat
    let requiredColumns: [[String]]

    /// Opens nothing yet: checks the file exists and settles its format.
    init(path: String, format explicit: ImportFormat?, requiredColumns: [[String]]) throws {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CommandFailure(description: "\(path): no such readable file")
        }
        guard let format = explicit ?? ImportFormat(fileName: path) else {
            throw CommandFailure(description: "\(path): cannot tell the format from the name; pass --format jsonl|csv")
        }
        self.path = path
        self.format = format
        self.requiredColumns = requiredColumns
    }

    /// Reads the whole file, handing rows to `body` in batches of about `batchSize`, with the fraction of bytes
    /// read so far.
    func forEachBatch(
        of batchSize: Int, _ body: ([ImportRow], _ fractionRead: Double) async throws -> Void
    ) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CommandFailure(description: "\(path): cannot open")
        }
        defer { try? handle.close() }
        let size = Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 1)
        var reader = ImportRowReader(format: format, requiredColumns: requiredColumns)
        var pending: [ImportRow] = []
        var read = 0.0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            read += Double(chunk.count)
            pending += try reader.feed(chunk)
            if pending.count >= batchSize {
                try await body(pending, min(1, read / max(size, 1)))
                pending.removeAll(keepingCapacity: true)
            }
        }
        pending += try reader.finish()
        try await body(pending, 1)
    }
}
