import AssayCore
import AssayFiles
import AssayStore
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Runs big imports and exports in the background, keeping their state in the `jobs` table and their files in
/// one folder.
///
/// An import's upload is saved first and the request answers 202 at once; the job checks every row (a bad
/// file fails the job with every bad line listed and changes nothing), then loads batch by batch. An export
/// writes its file page by page and offers it for download. Each job beats every 10 seconds from its creation to
/// its end, so a job whose process died is marked failed by any server over the same database within about three
/// minutes (``Store/failInterruptedJobs(silentSince:now:sparing:)``), and a server shutting down fails the jobs it
/// was running (``stopAll()``).
final class JobRunner: Sendable {
    let folder: URL
    private let store: Store
    private let clock: any TimeSource
    private let logger: Logger
    /// Where a job's storage problem is noted for `/healthz`.
    private let health: StorageHealth
    /// The jobs this process is running, so a shutdown can say they stopped.
    private let running = NIOLockedValueBox<Set<UUID>>([])
    /// Turns for running: a job past the first ``maxRunningJobs`` waits, queued, for one to end.
    private let turns = JobTurns(limit: JobRunner.maxRunningJobs)

    /// How many jobs this process runs at once. Each takes a core while it parses or writes, and a disk's worth of
    /// file: ten exports asked for at once ran at once, and wrote ten copies together.
    static let maxRunningJobs = 2
    /// How long a finished export's file is kept for download; the periodic sweep removes it after that.
    static let exportKeptFor: TimeInterval = 24 * 3600

    /// How often a job shows it is alive, from its creation (its upload) to its end.
    static let heartbeatInterval: Duration = .seconds(10)
    /// Rows an import job stores per transaction.
    static let loadBatchSize = 5_000
    /// How long a job may be silent before a server takes its process for dead and fails it: twelve beats.
    static let givenUpAfter: TimeInterval = 120

    init(folder: URL, store: Store, clock: any TimeSource, logger: Logger, health: StorageHealth = StorageHealth()) throws {
        // Uploads and exports are the workspace's data: the folder is the server's user's only, whoever made it (a
        // folder made beforehand keeps its mode otherwise), and so is each file in it (``createPrivateFile(at:)``).
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // A folder another user owns (a shared volume) keeps its mode: the files in it are still the server's only.
        try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder.path)
        self.folder = folder
        self.store = store
        self.clock = clock
        self.logger = logger
        self.health = health
    }

    /// Saves an upload and starts importing it.
    func submitImport(
        of kind: Job.Kind, into queue: Queue, format: ImportFormat, body: Request.Body, limit: Int, by person: Person
    ) async throws -> Job {
        let job = try await store.createJob(kind, on: queue.id, format: format, by: person.id, now: clock.now)
        let heartbeat = track(job)
        let upload = folder.appendingPathComponent("\(job.id.uuidString).upload.\(format.rawValue)")
        do {
            try await save(body, to: upload, limit: limit)
            // Another server may have taken it for dead meanwhile (this one's beats failing, say).
            guard try await store.touchJob(job.id, now: clock.now) else {
                throw AssayError.conflict("job \(job.id) was given up while its upload arrived; upload again")
            }
        } catch {
            untrack(job, heartbeat)
            try? FileManager.default.removeItem(at: upload)
            // Once, in the request: its client is waiting for the answer. If the database takes no write now, the
            // sweep fails the job once its beats stop.
            try? await store.failJob(job.id, reason: "the upload did not complete: \(reason(for: error))", now: clock.now)
            throw Self.fileProblem(error, folder: folder) ?? error
        }
        Task {
            await self.turns.wait()
            await self.runImport(job, queue: queue, upload: upload)
            await self.turns.end()
            self.untrack(job, heartbeat)
        }
        return job
    }

    /// Starts writing a queue's final labels to a file.
    func submitExport(of queue: Queue, format: ImportFormat, by person: Person) async throws -> Job {
        let job = try await store.createJob(.export, on: queue.id, format: format, by: person.id, now: clock.now)
        let heartbeat = track(job)
        Task {
            await self.turns.wait()
            await self.runExport(job, queue: queue)
            await self.turns.end()
            self.untrack(job, heartbeat)
        }
        return job
    }

    /// Removes the files of exports that finished more than ``exportKeptFor`` ago: each export writes a whole copy of
    /// a queue's labels, and kept for ever they would fill the disk. Called by the periodic sweep.
    func removeExpiredExports() async {
        let cutoff = clock.now.addingTimeInterval(-Self.exportKeptFor)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names {
            let parts = name.split(separator: ".")
            guard parts.count == 3, parts[1] == "export", let id = UUID(uuidString: String(parts[0])),
                let job = try? await store.job(id), job.state == .succeeded, let finished = job.finishedAt, finished < cutoff
            else { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// The jobs this process is running (uploads included): a sweep by this process leaves them alone, whatever
    /// their last beat says.
    var runningJobIDs: [UUID] { running.withLockedValue { Array($0) } }

    /// Counts a job as this process's and beats for it every ``heartbeatInterval`` until ``untrack(_:_:)``: a
    /// beat on a timer, since one batch of a big import, or an upload on a slow line, can outlast the silence a
    /// sweep allows.
    private func track(_ job: Job) -> Task<Void, Never> {
        running.withLockedValue { _ = $0.insert(job.id) }
        return Task { [store, clock] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.heartbeatInterval)
                guard !Task.isCancelled else { break }
                _ = try? await store.touchJob(job.id, now: clock.now)
            }
        }
    }

    private func untrack(_ job: Job, _ heartbeat: Task<Void, Never>) {
        heartbeat.cancel()
        running.withLockedValue { _ = $0.remove(job.id) }
    }

    /// Marks failed every job this process is still running, saying its server shut down; their tasks stop at
    /// their next heartbeat. Called as the server shuts down, before its database closes.
    func stopAll() async {
        let ids = running.withLockedValue { Array($0) }
        do {
            try await store.failStoppedJobs(ids, now: clock.now)
        } catch {
            logger.warning("could not mark \(ids.count) stopped jobs failed: \(error)")
        }
    }

    /// Fails the jobs of other processes silent for ``givenUpAfter`` (their process died) and removes their files:
    /// an upload nobody will import, or half an export nobody may download. The server calls this as it starts,
    /// then every minute.
    ///
    /// - Parameter startingUp: at start on SQLite, every unfinished job is failed at once: only one server serves a
    ///   SQLite file (``ServeLock``), so none of them has a live process.
    func failInterruptedJobs(startingUp: Bool = false) async throws {
        let silence = startingUp && store.backend == .sqlite ? 0 : Self.givenUpAfter
        let failed = try await store.failInterruptedJobs(
            silentSince: clock.now.addingTimeInterval(-silence), now: clock.now, sparing: runningJobIDs)
        for id in failed { removeFiles(of: id) }
    }

    /// Removes what a crash left in the folder: the files of jobs that failed, or that no job names. The files of
    /// another process's live jobs (an upload, an export being written) and finished exports are kept, and so is any
    /// file whose job could not be looked up. Called as the server starts, after ``failInterruptedJobs()``: a job
    /// another server failed while this one was down left its files here.
    func removeLeftovers() async {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names {
            let parts = name.split(separator: ".")
            guard parts.count == 3, let id = UUID(uuidString: String(parts[0])), parts[1] == "upload" || parts[1] == "export" else { continue }
            let job: Job?
            do {
                job = try await store.job(id)
            } catch AssayError.notFound {
                job = nil
            } catch {
                continue  // the database cannot say: leave it for the next start
            }
            let keep = parts[1] == "upload" ? [.queued, .running].contains(job?.state) : [.queued, .running, .succeeded].contains(job?.state)
            if !keep { try? FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
        }
    }

    /// The files of a job that failed elsewhere: its upload, or its partial export.
    private func removeFiles(of id: UUID) {
        for format in ImportFormat.allCases {
            for kind in ["upload", "export"] {
                try? FileManager.default.removeItem(at: folder.appendingPathComponent("\(id.uuidString).\(kind).\(format.rawValue)"))
            }
        }
    }

    /// The finished export's file.
    func download(of job: Job) -> URL {
        folder.appendingPathComponent("\(job.id.uuidString).export.\(job.format.rawValue)")
    }

    // MARK: - Running

    private func runImport(_ job: Job, queue: Queue, upload: URL) async {
        defer { try? FileManager.default.removeItem(at: upload) }
        var stored = ImportReport(received: 0, inserted: 0, duplicates: 0)
        do {
            guard try await store.startJob(job.id, now: clock.now) else { return }
            let file = try ImportFile(path: upload.path, format: job.format, judgments: job.kind == .importJudgments)
            // Progress: the check is the first half, the load the second (they take about as long).
            let problems = try await file.problems(in: queue, store: store, now: clock.now) { fraction in
                try await self.beat(job, progress: fraction / 2)
            }
            guard problems.isEmpty else {
                let lines = problems.map(\.description).joined(separator: "\n")
                try await store.failJob(job.id, reason: "nothing was imported; fix these rows:\n\(lines)", now: clock.now)
                return
            }
            // Batches of 5,000: on SQLite a batch's transaction holds the writer's event loop, and the requests that
            // loop serves wait for it (20,000 rows held it for about half a second in a debug build).
            let report = try await file.load(into: queue, store: store, batchSize: Self.loadBatchSize, now: { [clock] in clock.now }) {
                fraction, sofar in
                stored = sofar
                try await self.beat(job, progress: 0.5 + fraction / 2, stored: sofar)
            }
            // As a direct import answers an empty body: a file of items with no rows (a header alone) is most likely the
            // wrong file. (A judgments file may hold rows and no judgment: Label Studio tasks whose annotations were
            // all cancelled.)
            guard report.received > 0 || job.kind == .importJudgments else {
                try await store.failJob(job.id, reason: "the file has no rows", now: clock.now)
                return
            }
            try await store.finishJob(job.id, report: report, now: clock.now)
        } catch {
            logger.error("import job \(job.id) failed: \(String(reflecting: error))")
            // The batches stored before the failure stay (each was committed): the reason says so, and the report
            // counts them, for the file to be imported again once fixed.
            let kept = stored.received > 0
                ? "; \(stored.inserted) rows were stored before it stopped (see the report): import the file again, once "
                    + "fixed, to finish (the rows already stored are skipped)"
                : ""
            await recordFailure(of: job, reason: reason(for: error) + kept, report: stored.received > 0 ? stored : nil)
        }
    }

    private func runExport(_ job: Job, queue: Queue) async {
        let target = download(of: job)
        do {
            guard try await store.startJob(job.id, now: clock.now) else { return }
            let expected = max(1, try await store.stats(of: queue.id).completedItems)
            let handle = try Self.createPrivateFile(at: target)
            defer { try? handle.close() }
            let written = try await FinalLabelWriter.write(queue, as: job.format, from: store) { text in
                try handle.write(contentsOf: Data(text.utf8))
            } progress: { rows in
                try await self.beat(job, progress: Double(rows) / Double(expected))
            }
            try await store.finishJob(job.id, exportedRows: written.rows, now: clock.now)
        } catch {
            logger.error("export job \(job.id) failed: \(String(reflecting: error))")
            try? FileManager.default.removeItem(at: target)
            await recordFailure(of: job, reason: reason(for: error))
        }
    }

    /// Why a job failed, as its record says it: a storage problem in words (a full disk), not SQLite's message, and
    /// noted for `/healthz`.
    private func reason(for error: any Error) -> String {
        if let problem = Self.fileProblem(error, folder: folder) {
            health.record("\(problem)", at: clock.now)
            return "\(problem)"
        }
        guard let problem = StorageProblem.assayError(for: error) else { return "\(error)" }
        if StorageProblem.isLasting(error) { health.record("\(problem)", at: clock.now) }
        return "\(problem)"
    }

    /// A failure of the jobs folder's disk, in words (a 503, as a full database disk is): full, or not writable. Nil
    /// for any other error. Foundation reports these as Cocoa errors, or POSIX ones underneath.
    static func fileProblem(_ error: any Error, folder: URL) -> AssayError? {
        if case AssayError.unavailable = error { return error as? AssayError }
        let failure = error as NSError
        let posix = [failure, failure.userInfo[NSUnderlyingErrorKey] as? NSError].compactMap { $0 }
            .first { $0.domain == NSPOSIXErrorDomain }?.code
        let cocoa = failure.domain == NSCocoaErrorDomain ? failure.code : nil
        if cocoa == CocoaError.fileWriteOutOfSpace.rawValue || posix == Int(ENOSPC) || posix == Int(EDQUOT) {
            return .unavailable("the disk of the jobs folder (\(folder.path)) is full; free space on it, then try again")
        }
        if cocoa == CocoaError.fileWriteNoPermission.rawValue || cocoa == CocoaError.fileWriteVolumeReadOnly.rawValue
            || posix == Int(EACCES) || posix == Int(EROFS)
        {
            return .unavailable("the jobs folder (\(folder.path)) cannot be written; check its permissions and its disk")
        }
        return nil
    }

    /// Marks the job failed with its reason, trying again for a while when the database will not take the write
    /// (a full disk fails the job and its record alike): left running, a sweep would later call it interrupted.
    private func recordFailure(of job: Job, reason: String, report: ImportReport? = nil) async {
        let attempts = 6
        for attempt in 1...attempts {
            do {
                try await store.failJob(job.id, reason: reason, report: report, now: clock.now)
                return
            } catch {
                logger.error("could not record that job \(job.id) failed (attempt \(attempt) of \(attempts)): \(String(reflecting: error))")
                if attempt < attempts { try? await Task.sleep(for: .seconds(1 << attempt)) }
            }
        }
    }

    /// Records progress, which is also the job's heartbeat; stops the job if it was marked failed meanwhile
    /// (for instance by a server that took it for dead).
    private func beat(_ job: Job, progress: Double, stored: ImportReport? = nil) async throws {
        guard try await store.recordProgress(progress, of: job.id, stored: stored, now: clock.now) else {
            throw AssayError.conflict("job \(job.id) was stopped")
        }
    }

    /// A new, empty file only the server's user may read, open for writing.
    private static func createPrivateFile(at file: URL) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            // Foundation says only that the file is not there (Cocoa error 4): the folder is what is wrong.
            let folder = file.deletingLastPathComponent()
            throw AssayError.unavailable("the jobs folder (\(folder.path)) cannot be written; check its permissions and its disk")
        }
        return try FileHandle(forWritingTo: file)
    }

    private func save(_ body: Request.Body, to file: URL, limit: Int) async throws {
        let handle = try Self.createPrivateFile(at: file)
        defer { try? handle.close() }
        var received = 0
        for try await buffer in body {
            received += buffer.readableBytes
            guard received <= limit else {
                throw AssayError.tooLarge("the upload is larger than \(limit / 1_048_576) MiB")
            }
            try handle.write(contentsOf: Data(buffer.readableBytesView))
        }
        guard received > 0 else { throw AssayError.invalidInput(field: nil, line: nil, reason: "the upload is empty") }
    }
}

/// Turns for a limited number of runners: ``wait()`` returns at once while fewer than `limit` hold a turn, else when
/// one ends (``end()``), first come first served.
actor JobTurns {
    private let limit: Int
    private var held = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a turn, waiting for one if all are held.
    func wait() async {
        guard held >= limit else {
            held += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Ends a turn, handing it to the longest waiting, if any.
    func end() {
        if waiting.isEmpty {
            held -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

extension Application {
    private struct JobRunnerKey: StorageKey {
        typealias Value = JobRunner
    }

    /// The background job runner; set by ``configure(_:settings:)``.
    var jobs: JobRunner {
        get { storage[JobRunnerKey.self]! }
        set { storage[JobRunnerKey.self] = newValue }
    }
}
