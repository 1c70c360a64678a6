import ArgumentParser
import AssayCore
import AssayFiles
import AssayStore
import Foundation

/// `assay export --queue Q --format jsonl|csv`: writes a queue's final labels, streamed page by page; with
/// `--training --out-dir DIR`, training data: de-duplicated texts with their labels and provenance, in stratified
/// train, validation and test files; with `--label-studio`, the decided items as a Label Studio JSON import.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a queue's final labels or every judgment as JSON Lines or CSV, training data split into train/validation/test, preference pairs, or Label Studio tasks.",
        discussion: """
            With --training, the items whose final label people decided (never the model's auto-accepted ones, nor \
            unresolved items) are written to DIR/train, DIR/validation and DIR/test (.jsonl or .csv): one row per \
            distinct text (normalised: Unicode folding, lower case, spaces) with the labels most of its copies \
            have (outvoted copies, texts whose copies tie, and texts that are also gold left out), each set \
            stratified by label; each row \
            carries external_id, text, labels, split, provenance, confidence, judgment_count and decided_at. The same data and --seed give the same split.

            With --label-studio, the decided items are written as one JSON array that Label Studio imports: each \
            item's content as the task's data, its final label as a prediction (model version "assay", scored by \
            its agreement: a choices result, or a rating result for a rating queue, from the control --from-name to \
            the object --to-name) for reviewers to accept or correct, and Assay's external id, item id, provenance \
            and agreement in meta.

            With --judgments, every person's answer (gold items' too), in the order stored, in the columns a \
            judgments import reads (labels as 'a|b' in CSV). The CSV imports into a queue holding the same items, \
            and assay agree and aggregate read it with --item-column item_external_id --worker-column \
            annotator_external_id --label-column labels. The time spent is not a column: an import takes it as \
            submitted_at - started_at.

            Examples:
              assay export --queue comments-en --judgments --format csv --out judgments.csv
              assay export --queue comments-en --training --splits 80/10/10 \\
                  --out-dir data/ --format jsonl
              assay export --queue comments-en --label-studio \\
                  --from-name label --to-name text --out tasks.json
            """)

    @Option(help: "The queue, by name or id.")
    var queue: String

    @Option(help: "jsonl or csv.")
    var format: ImportFormat = .jsonl

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var out: String?

    @Flag(help: "Write every judgment (who labelled which item how, and when) rather than the final labels: the columns a judgments import reads, and a file for assay agree and aggregate.")
    var judgments = false

    @Flag(help: "Write training data (de-duplicated, stratified splits) to --out-dir.")
    var training = false

    @Flag(help: "For a preference queue: write chosen/rejected pairs as JSON Lines, for DPO or reward-model training: pairs people decided, each distinct pair once, the way round most of its copies have it.")
    var preferences = false

    @Flag(help: "Write the decided items as a Label Studio JSON import: content as data, the final label as a prediction.")
    var labelStudio = false

    @Option(help: "With --label-studio: the name of the project's Choices or Rating control.")
    var fromName = "label"

    @Option(help: "With --label-studio: the name of the object tag it labels.")
    var toName = "text"

    @Option(help: "With --training: the folder for train, validation and test files.")
    var outDir: String?

    @Option(help: "With --training: train/validation/test shares.")
    var splits = "80/10/10"

    @Option(help: "With --training: the seed of the split.")
    var seed: UInt64 = 1

    @Option(help: "With --training: the item content field(s) to write as text (repeatable).")
    var textField: [String] = ["text"]

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if [judgments, preferences, training, labelStudio].filter({ $0 }).count > 1 {
            throw ValidationError("--judgments, --preferences, --training and --label-studio are four kinds of export; choose one")
        }
        if training, outDir == nil { throw ValidationError("--training writes three files: name their folder with --out-dir") }
        if !training, outDir != nil { throw ValidationError("--out-dir goes with --training; use --out for one file") }
    }

    func run() async throws {
        if training { return try await exportTrainingData() }
        if preferences { return try await exportPreferencePairs() }
        if labelStudio { return try await exportLabelStudioTasks() }
        if judgments { return try await exportJudgments() }
        try await CommandFailure.reporting {
            let output = try OutputFile(path: out)
            defer { output.close() }
            let written = try await database.withStore { store in
                let queue = try await store.queue(self.queue)
                return try await FinalLabelWriter.write(queue, as: format, from: store) { output.write($0) }
            }
            try output.finish()
            let unresolved = written.unresolved == 0 ? "" : " (\(written.unresolved) unresolved, without a label: ties, "
                + "failed unanimity or appeals awaiting arbitration)"
            if let out { print("Wrote \(written.rows) final labels to \(out)\(unresolved).") }
        }
    }

    private func exportJudgments() async throws {
        try await CommandFailure.reporting {
            let output = try OutputFile(path: out)
            defer { output.close() }
            let written = try await database.withStore { store in
                try await JudgmentWriter.write(try await store.queue(self.queue), as: format, from: store) { output.write($0) }
            }
            try output.finish()
            if let out { print("Wrote \(written) judgments to \(out).") }
        }
    }

    private func exportPreferencePairs() async throws {
        try await CommandFailure.reporting {
            let output = try OutputFile(path: out)
            defer { output.close() }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let (written, items, pairs, modelDecided, set) = try await database.withStore { store in
                let queue = try await store.queue(self.queue)
                guard queue.schema.kind == .preference else {
                    throw AssayError.invalidInput(
                        field: "queue", line: nil, reason: "'\(queue.name)' is a \(queue.schema.kind.rawValue) queue, not a preference queue")
                }
                // The pairs of the items people decided (a model's auto-accepted choices are not human preferences),
                // page by page: once to count each pair's two ways round, once to write each distinct pair.
                var modelDecided = 0
                var lastItem: Int64 = 0
                // The second pass stops at the last item the first one read: an item decided between the two passes
                // would otherwise be written without having been counted.
                func forEachPair(through end: Int64? = nil, _ body: (PreferencePair) throws -> Void) async throws {
                    var after: Int64?
                    modelDecided = 0
                    while true {
                        let page = try await store.decidedItems(in: queue, after: after, limit: 2_000)
                            .filter { end == nil || $0.item.id <= end! }
                        guard let last = page.last else { return }
                        lastItem = max(lastItem, last.item.id)
                        for (item, label) in page {
                            guard label.provenance != .model else {
                                modelDecided += 1
                                continue
                            }
                            guard let chosen = label.labels?.first else { continue }
                            for pair in try PreferencePair.pairs(
                                content: item.content, chosen: chosen, schema: queue.schema, externalID: item.externalID,
                                agreement: label.confidence, provenance: label.provenance.rawValue)
                            {
                                try body(pair)
                            }
                        }
                        after = last.item.id
                    }
                }
                var set = PreferencePairSet()
                var pairs = 0
                try await forEachPair { set.count($0); pairs += 1 }
                var written = 0
                var items = Set<String>()
                var text = ""
                try await forEachPair(through: lastItem) { pair in
                    guard set.take(pair) else { return }
                    text += String(decoding: try encoder.encode(pair), as: UTF8.self) + "\n"
                    written += 1
                    items.insert(pair.itemExternalID)
                    if text.utf8.count > 1 << 20 {
                        output.write(text)
                        text = ""
                    }
                }
                output.write(text)
                return (written, items.count, pairs, modelDecided, set)
            }
            try output.finish()
            guard let out else { return }
            print("Wrote \(written) distinct chosen/rejected pairs from \(items) items to \(out); left out of \(pairs): "
                + "\(set.duplicates) copies of pairs written, \(set.outvoted) the other way round from most copies, "
                + "\(set.conflicting) decided as often each way, \(set.identical) of two identical responses"
                + (modelDecided > 0 ? "; and \(modelDecided) items a model decided (not people's preferences)." : "."))
        }
    }

    private func exportLabelStudioTasks() async throws {
        try await CommandFailure.reporting {
            let output = try OutputFile(path: out)
            defer { output.close() }
            let written = try await database.withStore { store in
                try await LabelStudioWriter.write(
                    try await store.queue(self.queue), from: store, fromName: fromName, toName: toName) { output.write($0) }
            }
            try output.finish()
            if let out { print("Wrote \(written) decided items as Label Studio tasks to \(out).") }
        }
    }

    /// Makes the folder for the training files, or says in a sentence why it cannot be made (Foundation's own
    /// error reads "NSCocoaErrorDomain Code=516").
    private static func makeFolder(_ path: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw CommandFailure(description: "\(path): is a file; --out-dir names a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(description: "\(path): cannot make the folder (\((error as NSError).localizedDescription))")
        }
    }

    private func exportTrainingData() async throws {
        try await CommandFailure.reporting {
            let splitter = TrainingSplit(shares: try TrainingSplit.Shares(parsing: splits), seed: seed)
            let (examples, gold) = try await database.withStore { store in
                let queue = try await store.queue(queue)
                return (try await store.labeledTexts(in: queue, fields: textField), try await store.goldTexts(in: queue, fields: textField))
            }
            // Texts that are also gold are left out, as `assay train --queue` leaves them out: the gold is the queue's
            // held-out test, and a model trained on the export and scored on the gold would otherwise be scored on
            // what it learnt by heart.
            let goldKeys = Set(gold.map { TrainingSplit.key(of: $0.text) })
            let trainable = examples.filter { !goldKeys.contains(TrainingSplit.key(of: $0.text)) }
            let result = splitter.split(trainable.map { example in
                TrainingSplit.Example(
                    externalID: example.externalID, text: example.text, labels: example.labels,
                    provenance: example.provenance?.rawValue ?? "", confidence: example.confidence ?? 0,
                    judgmentCount: example.judgmentCount ?? 0, decidedAt: example.decidedAt ?? Date(timeIntervalSince1970: 0))
            })
            try Self.makeFolder(outDir!)
            for part in TrainingSplit.Part.allCases {
                let path = (outDir! as NSString).appendingPathComponent("\(part.rawValue).\(format.rawValue)")
                let output = try OutputFile(path: path)
                output.write(TrainingDataFile.header(for: format))
                defer { output.close() }
                for row in result.rows where row.part == part { output.write(try TrainingDataFile.line(row.example, part: part, as: format)) }
                try output.finish()
            }
            let counts = result.counts
            print("Wrote \(result.rows.count) of \(examples.count) labelled items to \(outDir!): "
                + TrainingSplit.Part.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                + "; left out: \(result.duplicatesDropped) duplicates, \(result.outvotedDropped) copies labelled "
                + "otherwise than most copies of their text, \(result.conflictsDropped) copies of texts with no majority label, "
                + (examples.count - trainable.count == 1
                    ? "1 copy of a text that is also gold" : "\(examples.count - trainable.count) copies of texts that are also gold")
                + " (the held-out test).")
            let kept = Dictionary(grouping: result.rows) { $0.example.labels.sorted().joined(separator: "|") }.mapValues(\.count)
            print("Rows per label: " + kept.sorted { $0.key < $1.key }.map { "\($0.key.isEmpty ? "(none)" : $0.key) \($0.value)" }
                .joined(separator: ", ") + ".")
        }
    }
}
