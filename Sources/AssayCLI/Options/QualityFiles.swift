import ArgumentParser
import AssayCore
import AssayFiles
import AssayQuality
import ConsoleKitTerminal
import Foundation

/// The column names and delimiter of a judgments file, shared by `assay agree` and `assay aggregate`.
struct JudgmentFileOptions: ParsableArguments {
    @Option(help: "The item column of the judgments file.")
    var itemColumn = "item"

    @Option(help: "The worker column of the judgments file.")
    var workerColumn = "worker"

    @Option(help: "The label column of the judgments file.")
    var labelColumn = "label"

    @Option(help: "The field separator: a single ASCII character, or 'tab'.")
    var delimiter = ","

    var columns: JudgmentCSVReader.Columns {
        .init(item: itemColumn, worker: workerColumn, label: labelColumn)
    }

    /// The delimiter as the byte the CSV reader takes.
    func delimiterByte() throws -> UInt8 { try Self.byte(ofDelimiter: delimiter) }

    /// Checked with the other options, so a bad one gets the command's own usage line.
    func validate() throws { _ = try delimiterByte() }

    /// `--delimiter`'s text as the byte the CSV reader takes: one ASCII character, or `tab`.
    static func byte(ofDelimiter delimiter: String) throws -> UInt8 {
        if delimiter == "tab" || delimiter == "\\t" { return UInt8(ascii: "\t") }
        guard delimiter.utf8.count == 1, let byte = delimiter.utf8.first, byte < 0x80,
            !"\"\r\n".utf8.contains(byte)
        else {
            throw ValidationError("--delimiter must be one ASCII character other than a quote or a line break, or 'tab'")
        }
        return byte
    }
}

/// Reading the CSV files of the quality commands, with a progress bar on standard error for big ones.
enum QualityFiles {
    /// Reads a judgments file whole.
    ///
    /// - Throws: `CommandFailure` (via `CommandFailure.reporting`) naming the file and line of a bad row.
    static func judgments(
        at path: String, options: JudgmentFileOptions, labelOrder: [String]? = nil
    ) async throws -> JudgmentMatrix {
        let delimiter = try options.delimiterByte()
        return try await CommandFailure.reporting(file: path) {
            var reader = try JudgmentCSVReader(columns: options.columns, labelOrder: labelOrder, delimiter: delimiter)
            try forEachChunk(of: path, title: "Reading \(path)") { try reader.feed($0) }
            return try reader.finish()
        }
    }

    /// Reads an `item,label` file (gold, truth or predictions) whole.
    static func itemLabels(
        at path: String, itemColumn: String = "item", labelColumn: String = "label", delimiter: UInt8 = UInt8(ascii: ",")
    ) async throws -> ItemLabelCSVReader.Table {
        try await CommandFailure.reporting(file: path) {
            var reader = ItemLabelCSVReader(itemColumn: itemColumn, labelColumn: labelColumn, delimiter: delimiter)
            try forEachChunk(of: path, title: "Reading \(path)") { try reader.feed($0) }
            return try reader.finish()
        }
    }

    /// Feeds a file to `body` in 1 MiB chunks, showing the share read when the file is big and someone watches.
    static func forEachChunk(of path: String, title: String, _ body: (Data) throws -> Void) throws {
        try ImportFile.requireReadable(path)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CommandFailure(description: "\(path): cannot open the file (does it exist, and may you read it?)")
        }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
        let bar = size > 8 * 1_048_576 && StandardErrorConsole.isInteractive
            ? StandardErrorConsole().progressBar(title: title) : nil
        bar?.start()
        var read = 0.0
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                try body(chunk)
                read += Double(chunk.count)
                bar?.activity.currentProgress = min(1, read / max(size, 1))
            }
            bar?.succeed()
        } catch {
            bar?.fail()
            throw error
        }
    }

    /// Runs a long computation under a spinner on standard error, and reports how long it took.
    static func timed<T>(_ title: String, quiet: Bool, _ body: () throws -> T) throws -> (value: T, duration: Duration) {
        let bar = !quiet && StandardErrorConsole.isInteractive ? StandardErrorConsole().loadingBar(title: title) : nil
        bar?.start()
        let start = ContinuousClock.now
        do {
            let value = try body()
            bar?.succeed()
            return (value, ContinuousClock.now - start)
        } catch {
            bar?.fail()
            throw error
        }
    }

    /// Prints a report as pretty JSON with sorted keys, so runs can be compared with `diff`.
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Writes a line to standard error (summaries and warnings, which must not mix with the data on stdout).
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

extension QualityError {
    /// The library's errors as the CLI shows them: what is wrong with this input, in one line.
    var commandFailure: CommandFailure { CommandFailure(description: description) }
}

/// Small row files (a gold set) read whole.
enum FileRows {
    /// Every row of a JSON Lines or CSV file; the format comes from `format` or the file name.
    ///
    /// - Throws: ``AssayError`` naming the line of the first bad row, a missing column, or an unreadable file.
    static func read(_ path: String, format: ImportFormat?, requiredColumns: [[String]]) throws -> [ImportRow] {
        try ImportFile.requireReadable(path)
        var reader = ImportRowReader(format: try ImportFormat.of(path, given: format), requiredColumns: requiredColumns)
        var rows: [ImportRow] = []
        try QualityFiles.forEachChunk(of: path, title: "Reading \(path)") { rows += try reader.feed($0) }
        rows += try reader.finish()
        guard !rows.isEmpty else { throw AssayError.invalidInput(field: nil, line: nil, reason: "the file has no rows") }
        return rows
    }
}
