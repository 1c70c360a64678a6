import AssayCore
import AssayStore
import Foundation

/// An import file on disk, read in 1 MiB chunks so its size does not matter: the one implementation behind
/// `assay import` and the server's background import jobs.
///
/// An import runs in two passes. ``problems(limit:in:store:now:progress:)`` parses every row and writes nothing
/// (for judgments it reads which items exist), so a file with bad rows is refused whole, with every bad line
/// listed. ``load(into:store:batchSize:now:progress:)``
/// then inserts batch by batch, each batch one transaction; an external id already present is skipped, so an
/// interrupted load can simply be run again.
///
/// For example:
/// ```swift
/// let file = try ImportFile(path: "items.csv", format: nil, judgments: false)
/// guard try await file.problems(in: queue, store: store).isEmpty else { … }
/// let report = try await file.load(into: queue, store: store) { fraction, stored in … }
/// ```
public struct ImportFile: Sendable {
    /// The file.
    public let path: String
    /// CSV or JSON Lines.
    public let format: ImportFormat
    /// Whether rows are judgments (otherwise items).
    public let judgments: Bool

    /// Checks the file can be read and settles its format (given, or from the extension).
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` for a missing file; ``AssayError/invalidInput(field:line:reason:)``
    ///   when the format cannot be told.
    public init(path: String, format explicit: ImportFormat?, judgments: Bool) throws {
        try Self.requireReadable(path)
        self.path = path
        self.format = try ImportFormat.of(path, given: explicit)
        self.judgments = judgments
    }

    /// Checks that `path` names a file this process can read: the check every command that reads a file makes
    /// first, so that a folder or a forbidden file gets a message naming it, not Foundation's "Code=256 (null)".
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` when nothing is there; ``AssayError/invalidInput(field:line:reason:)``
    ///   for a folder or a file that cannot be read.
    public static func requireReadable(_ path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw AssayError.notFound(entity: "file", id: path)
        }
        guard !isFolder.boolValue else {
            throw AssayError.invalidInput(field: nil, line: nil, reason: "\(path) is a folder; name a file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw AssayError.invalidInput(field: nil, line: nil, reason: "\(path) cannot be read (check its permissions)")
        }
    }

    /// The columns a CSV header must have (each entry lists alternative names).
    public static func requiredColumns(judgments: Bool) -> [[String]] {
        judgments ? [["item_external_id", "item"], ["annotator_external_id", "annotator", "worker"]] : [["external_id", "id"]]
    }

    var requiredColumns: [[String]] { Self.requiredColumns(judgments: judgments) }

    /// Pass one: every problem in the file (up to `limit`), each naming its line; empty when all rows are good.
    ///
    /// For judgments it also asks the store whether each row's item is in the queue and whether its annotator is
    /// someone who labels, and checks no row was submitted after `now`: the load commits batch by batch, so a row
    /// refused only there would leave the batches before it stored.
    ///
    /// - Parameter progress: called before each batch of rows is checked, with the share of the file's bytes read
    ///   so far, so a long check shows how far it has got.
    public func problems(
        limit: Int = 20, in queue: Queue, store: Store, now: Date = Date(), progress: (Double) async throws -> Void = { _ in }
    ) async throws -> [AssayError] {
        var problems: [AssayError] = []
        var unreadable: AssayError?
        // The rows are read, parsed and checked off the caller's thread (``HeavyWork``), batch after batch: a server's
        // event loops must go on answering while a big file is checked. Only the store's lookups run here.
        let check = RowCheck(queue: queue, judgments: judgments, csv: format == .csv, now: now, limit: limit)
        do {
            try await forEachBatch(of: 20_000, parsing: { try check.checked($0) }) { batch, fraction in
                try await progress(fraction)
                problems += batch.problems
                guard !batch.rowsByItem.isEmpty, problems.count < limit else { return }
                let others = try await store.peopleWhoDoNotLabel(among: Set(batch.rowsByAnnotator.keys))
                let twins = try await store.caseTwins(among: Set(batch.rowsByAnnotator.keys))
                for (externalID, line) in batch.rowsByAnnotator.sorted(by: { $0.value < $1.value }) where problems.count < limit {
                    if let role = others[externalID.composed] {
                        problems.append(ImportedJudgment.notLabeling(externalID, role: role, line: line))
                    } else if let stored = twins[externalID.composed] {
                        problems.append(ImportedJudgment.caseTwin(externalID, of: stored, line: line))
                    }
                }
                let missing = try await store.missingItems(Set(batch.rowsByItem.keys), in: queue.id)
                for item in missing.sorted(by: { batch.rowsByItem[$0]! < batch.rowsByItem[$1]! }) where problems.count < limit {
                    problems.append(.invalidInput(
                        field: "item_external_id", line: batch.rowsByItem[item],
                        reason: "no item '\(item)' in queue '\(queue.name)'; import the items first"))
                }
            }
        } catch let error as AssayError {
            unreadable = error  // the file itself cannot be parsed past this point: said whatever the limit
        }
        // In the file's order: a batch's unknown items are found after its other problems.
        let ordered = problems.enumerated().sorted { ($0.element.line ?? .max, $0.offset) < ($1.element.line ?? .max, $1.offset) }
        return Array(ordered.map(\.element).prefix(limit)) + (unreadable.map { [$0] } ?? [])
    }

    /// The checks of pass one that need nothing but the rows, kept across batches. Used by one batch at a time
    /// (``forEachBatch(of:parsing:_:)`` reads, and so checks, one batch after the other), on whichever thread reads it.
    private final class RowCheck: @unchecked Sendable {
        /// What one batch's rows gave: their problems, and the first line of each item and annotator they name (for
        /// the store's lookups).
        struct Batch: Sendable {
            var problems: [AssayError] = []
            var rowsByItem: [String: Int] = [:]
            var rowsByAnnotator: [String: Int] = [:]
        }

        private let queue: Queue
        private let judgments: Bool
        /// Whether every row has the header's columns: a column's problem is then the header's, told once.
        private let csv: Bool
        private var headerProblems = Set<String>()
        private let now: Date
        private let limit: Int
        private var items: ItemRowCheck
        private var found = 0
        // Each (item, annotator) pair's first line, by the pair's hash rather than its ids: about 30 bytes a row
        // (300 MB for a ten-million-row file, held for the check pass), where the ids would take several times that.
        // Two pairs sharing a 64-bit hash, about one chance in a million for ten million rows, would be reported as
        // a repeat; the message names both lines, so the mistake shows.
        private var firstLines: [Int: Int] = [:]

        init(queue: Queue, judgments: Bool, csv: Bool, now: Date, limit: Int) {
            self.queue = queue
            self.judgments = judgments
            self.csv = csv
            self.now = now
            self.limit = limit
            items = ItemRowCheck(queue: queue, now: now)
        }

        func checked(_ rows: [ImportRow]) -> Batch {
            var batch = Batch()
            for row in rows where found < limit {
                do {
                    if judgments {
                        for judgment in try JudgmentRows.judgments(from: row) {
                            // The labels are checked here too: the load commits batch by batch, so a bad label
                            // found only there would leave the batches before it stored.
                            do {
                                _ = try queue.schema.validate(
                                    labels: judgment.labels, ranking: judgment.ranking, rationale: judgment.rationale)
                            } catch let error as AssayError {
                                throw error.at(line: row.line)
                            }
                            try judgment.requireSubmitted(by: now)
                            var hasher = Hasher()
                            hasher.combine(judgment.itemExternalID)
                            hasher.combine(judgment.annotatorExternalID)
                            if let first = firstLines.updateValue(judgment.line, forKey: hasher.finalize()) {
                                throw judgment.repeating(line: first)
                            }
                            batch.rowsByItem[judgment.itemExternalID] = batch.rowsByItem[judgment.itemExternalID] ?? row.line
                            batch.rowsByAnnotator[judgment.annotatorExternalID] =
                                batch.rowsByAnnotator[judgment.annotatorExternalID] ?? row.line
                        }
                    } else {
                        _ = try items.draft(from: row)
                    }
                } catch let error as AssayError {
                    if csv, case .invalidInput(let field?, _, let reason) = error, reason.hasPrefix(ImportRow.notAColumn) {
                        // A misspelt column, in a CSV, is the header's: once, on line 1, not on every row.
                        guard headerProblems.insert(field).inserted else { continue }
                        batch.problems.append(.invalidInput(field: field, line: 1, reason: reason))
                    } else {
                        batch.problems.append(error)
                    }
                    found += 1
                } catch {
                    batch.problems.append(.invalidInput(field: nil, line: row.line, reason: "\(error)"))
                    found += 1
                }
            }
            return batch
        }
    }

    /// Pass two: stores the rows in `queue`, batch by batch, calling `progress` after each with the share of bytes
    /// read and what is stored so far (committed: an import stopped later keeps it, and running it again skips it).
    ///
    /// The next batch is read and parsed while this one is stored, so the two stages use a core each. Each batch takes
    /// the queue's settings as they are then (cached for a few seconds), not as they were when the load began: QA
    /// sampling turned on during an hour-long import applies to the judgments stored after.
    public func load(
        into queue: Queue, store: Store, batchSize: Int = 20_000, now: @escaping @Sendable () -> Date = { Date() },
        progress: (_ fractionRead: Double, _ stored: ImportReport) async throws -> Void
    ) async throws -> ImportReport {
        var total = ImportReport(received: 0, inserted: 0, duplicates: 0)
        var statistics = StatisticsSchedule(first: batchSize)
        if judgments {
            try await forEachBatch(of: batchSize, parsing: { try $0.flatMap(JudgmentRows.judgments(from:)) }) { batch, fraction in
                if !batch.isEmpty {
                    total = total + (try await store.importJudgments(batch, into: try await store.queue(queue.id.uuidString), now: now()))
                }
                if statistics.isDue(afterStoring: total.inserted) { await refreshStatistics(of: store) }
                try await progress(fraction, total)
            }
        } else if store.backend == .postgres {
            try await loadItemsTwoAtATime(into: queue, store: store, batchSize: batchSize, now: now, total: &total, progress: progress)
        } else {
            try await forEachBatch(of: batchSize, parsing: { try $0.map(ItemRows.draft(from:)) }) { batch, fraction in
                if !batch.isEmpty {
                    total = total + (try await store.importItems(batch, into: try await store.queue(queue.id.uuidString), now: now()))
                }
                try await progress(fraction, total)
            }
        }
        // For what comes next on these rows (the items a judgment import will look up, say).
        if statistics.isDueAtEnd(afterStoring: total.inserted) { await refreshStatistics(of: store) }
        return total
    }

    /// Statistics only make later statements faster: failing to refresh them (a statement timeout, say) must not fail
    /// an import whose rows are committed, so the error is dropped and autovacuum's own analysis catches up later.
    private func refreshStatistics(of store: Store) async {
        try? await store.refreshPlannerStatistics()
    }

    /// When a bulk load should bring the database's planner statistics up to date (``Store/refreshPlannerStatistics()``):
    /// each time the rows stored have doubled since the last refresh, from `first` on, and at the end if rows were
    /// stored since. A million judgments in batches of 20,000 cost 7 refreshes (at 20,000, 40,000, …, 640,000 and
    /// the end), and between them the rows this import stored grow by at most about twice over.
    struct StatisticsSchedule {
        /// The rows stored before the first refresh.
        let first: Int
        /// The rows stored at the last refresh.
        private(set) var storedAtLastRefresh = 0

        /// Whether to refresh now that `stored` rows are stored; if so, counts it as done.
        mutating func isDue(afterStoring stored: Int) -> Bool {
            guard stored >= max(first, 2 * storedAtLastRefresh) else { return false }
            storedAtLastRefresh = stored
            return true
        }

        /// Whether to refresh once the load has ended with `stored` rows stored.
        mutating func isDueAtEnd(afterStoring stored: Int) -> Bool {
            guard stored > storedAtLastRefresh else { return false }
            storedAtLastRefresh = stored
            return true
        }
    }

    /// Items on PostgreSQL: a batch is stored while the one before it is still being stored, so the server works on
    /// two cores (one statement runs on one). Each batch draws its ids before it starts, in file order, so items keep
    /// the file's order however the two transactions interleave, and commits only once the batch before it has: if
    /// that one fails, this one rolls back too, and the file is stored up to the failure, as one batch at a time
    /// would leave it. A row whose external id the batch still in flight also holds is left to that batch: the first
    /// row of the file wins, as when batches go one at a time.
    private func loadItemsTwoAtATime(
        into queue: Queue, store: Store, batchSize: Int, now: @escaping @Sendable () -> Date,
        total: inout ImportReport, progress: (Double, ImportReport) async throws -> Void
    ) async throws {
        var inFlight: (task: Task<ImportReport, any Error>, externalIDs: Set<String>, fraction: Double)?
        func settle() async throws {
            guard let (task, _, fraction) = inFlight else { return }
            inFlight = nil
            total = total + (try await task.value)
            try await progress(fraction, total)
        }
        do {
            try await forEachBatch(of: batchSize, parsing: { try $0.map(ItemRows.draft(from:)) }) { batch, fraction in
                let held = inFlight?.externalIDs ?? []
                let fresh = held.isEmpty ? batch : batch.filter { !held.contains($0.externalID) }
                total = total + ImportReport(received: batch.count - fresh.count, inserted: 0, duplicates: batch.count - fresh.count)
                guard let ids = try await store.reserveItemIDs(fresh.count) else {
                    try await settle()
                    try await progress(fraction, total)
                    return
                }
                let previous = inFlight?.task
                let current = try await store.queue(queue.id.uuidString)
                let task = Task {
                    try await store.importItems(fresh, into: current, now: now(), ids: ids) { _ = try await previous?.value }
                }
                try await settle()
                inFlight = (task, Set(fresh.map(\.externalID)), fraction)
            }
            try await settle()
        } catch {
            // Let the batch in flight finish before the error is reported; if it committed, it is counted as stored.
            if let (task, _, fraction) = inFlight, let stored = try? await task.value {
                total = total + stored
                try? await progress(fraction, total)
            }
            throw error
        }
    }

    /// Reads the whole file, handing rows to `body` in batches of about `batchSize`, with the share of bytes
    /// read so far.
    func forEachBatch(of batchSize: Int, _ body: ([ImportRow], _ fractionRead: Double) async throws -> Void)
        async throws
    {
        try await forEachBatch(of: batchSize, parsing: { $0 }, body)
    }

    /// Reads the whole file in batches of about `batchSize` rows, turns each batch into values with `parse`,
    /// and hands them to `body`. The next batch is read and parsed in a task of its own while `body` works on
    /// the current one.
    func forEachBatch<Batch: Sendable>(
        of batchSize: Int, parsing parse: @escaping @Sendable ([ImportRow]) throws -> Batch,
        _ body: (Batch, _ fractionRead: Double) async throws -> Void
    ) async throws {
        let reader = try BatchReader(path: path, format: format, requiredColumns: requiredColumns)
        defer { reader.close() }
        func read() -> Task<(Batch, Double)?, any Error> {
            // On a thread of its own, not the caller's: in a server, the caller's is an event loop answering requests.
            Task {
                try await HeavyWork.run {
                    guard let (rows, fraction) = try reader.next(batchSize: batchSize) else { return nil }
                    return (try parse(rows), fraction)
                }
            }
        }
        var next = read()
        while let (batch, fraction) = try await next.value {
            next = read()
            do {
                try await body(batch, fraction)
            } catch {
                _ = try? await next.value  // let the reader finish its batch before the file closes
                throw error
            }
        }
    }
}

/// The rows of an import file, a batch at a time.
///
/// Used by one task at a time: ``ImportFile/forEachBatch(of:parsing:_:)`` starts the next read only after the
/// previous one has finished.
private final class BatchReader: @unchecked Sendable {
    private let handle: FileHandle
    private let size: Double
    private var reader: ImportRowReader
    private var pending: [ImportRow] = []
    private var read = 0.0
    private var finished = false

    init(path: String, format: ImportFormat, requiredColumns: [[String]]) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw AssayError.notFound(entity: "file", id: path) }
        self.handle = handle
        size = max(1, (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 1)
        reader = ImportRowReader(format: format, requiredColumns: requiredColumns)
    }

    /// The next batch and the share of the file read so far; an empty last batch, then nil, at the end.
    func next(batchSize requested: Int) throws -> ([ImportRow], Double)? {
        guard !finished else { return nil }
        // A batch of none would be handed back for ever without a byte read.
        let batchSize = max(1, requested)
        while pending.count < batchSize, let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            read += Double(chunk.count)
            pending += try reader.feed(chunk)
        }
        // Exactly `batchSize` rows: a chunk read holds as many rows as fit in a MiB, and a batch is a transaction,
        // whose length is what the caller chose.
        if pending.count >= batchSize {
            let batch = Array(pending.prefix(batchSize))
            pending.removeFirst(batchSize)
            return (batch, min(1, read / size))
        }
        finished = true
        pending += try reader.finish()
        defer { pending = [] }
        return (pending, 1)
    }

    func close() {
        try? handle.close()
    }
}
