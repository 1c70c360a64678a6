import AssayCore
@testable import AssayServer
import AssayStore
import AssayTesting
import Foundation
import Logging
import NIOHTTP1
import Testing
import Synchronization

/// A server that shuts down with jobs in hand says so on them: left "running", an export's download would answer
/// "not ready" until another server happened to sweep, and an import's rows would never be reported.
@Suite("Jobs at shutdown")
struct JobShutdownTests {
    @Test("stopping the runner fails the jobs it holds, saying why; a job it no longer holds is left", arguments: TestBackend.allCases)
    func stopAllFailsHeldJobs(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store, overlap: 1)
            try await Fixtures.items(store, into: queue, count: 20_000)
            let judgments = (1...20_000).map { index in
                ImportedJudgment(
                    itemExternalID: String(format: "item-%04d", index), annotatorExternalID: "elsewhere-1",
                    labels: ["none"], rationale: nil, startedAt: nil, submittedAt: Date(), line: index)
            }
            _ = try await store.importJudgments(judgments, into: queue, now: Date())
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-jobs-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let runner = try JobRunner(folder: folder, store: store, clock: SystemTime(), logger: Logger(label: "test"))

            let held = try await runner.submitExport(of: queue, format: .csv, by: analyst)
            #expect(runner.runningJobIDs == [held.id])
            await runner.stopAll()
            let stopped = try await store.job(held.id)
            #expect(stopped.state == .failed, "\(stopped)")
            #expect(stopped.error == "stopped when its server shut down; it had not finished: export again", "\(String(describing: stopped.error))")
            // Its task notices at its next beat (or never starts) and lets go of it.
            for _ in 0..<100 where !runner.runningJobIDs.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            #expect(runner.runningJobIDs.isEmpty)
            #expect(try await store.job(held.id).state == .failed, "a stopped job does not come back to life")

            // A job that ended is not this runner's any more: stopping again leaves it as it is.
            let finished = try await runner.submitExport(of: queue, format: .csv, by: analyst)
            for _ in 0..<600 where try await store.job(finished.id).state != .succeeded { try await Task.sleep(for: .milliseconds(50)) }
            for _ in 0..<100 where !runner.runningJobIDs.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            await runner.stopAll()
            #expect(try await store.job(finished.id).state == .succeeded)
        }
    }

    @Test("a job another process left silent is failed and its files removed; at start, what a crash left is removed and live files kept",
          arguments: TestBackend.allCases)
    func interruptedJobsLeaveNoFiles(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store, overlap: 1)
            let start = Date()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-jobs-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let clock = AdjustableTime()
            let runner = try JobRunner(folder: folder, store: store, clock: clock, logger: Logger(label: "test"))
            func file(_ id: UUID, _ kind: String, _ format: String = "csv") throws -> URL {
                let url = folder.appendingPathComponent("\(id.uuidString).\(kind).\(format)")
                try Data("external_id\nx-1\n".utf8).write(to: url)
                return url
            }
            // Another process's import, silent since it died with its upload here.
            let dead = try await store.createJob(.importItems, on: queue.id, format: .csv, by: nil, now: start)
            let deadUpload = try file(dead.id, "upload")
            // Another process's live import, beating.
            let live = try await store.createJob(.importItems, on: queue.id, format: .jsonl, by: nil, now: start)
            let liveUpload = try file(live.id, "upload", "jsonl")
            // A finished export, still to download; a failed one's half file; an upload no job names.
            let done = try await store.createJob(.export, on: queue.id, format: .csv, by: nil, now: start)
            #expect(try await store.startJob(done.id, now: start))
            try await store.finishJob(done.id, exportedRows: 1, now: start)
            let doneExport = try file(done.id, "export")
            let failed = try await store.createJob(.export, on: queue.id, format: .csv, by: nil, now: start)
            try await store.failJob(failed.id, reason: "disk full", now: start)
            let failedExport = try file(failed.id, "export")
            let stray = try file(UUID(), "upload")
            // Another process's export, being written.
            let writing = try await store.createJob(.export, on: queue.id, format: .jsonl, by: nil, now: start)
            #expect(try await store.startJob(writing.id, now: start))
            let writingExport = try file(writing.id, "export", "jsonl")

            clock.advance(by: JobRunner.givenUpAfter + 60)
            #expect(try await store.touchJob(live.id, now: clock.now))
            #expect(try await store.touchJob(writing.id, now: clock.now))
            try await runner.failInterruptedJobs()
            #expect(try await store.job(dead.id).state == .failed)
            #expect(!FileManager.default.fileExists(atPath: deadUpload.path), "the dead job's upload is removed with it")
            #expect(FileManager.default.fileExists(atPath: liveUpload.path))

            await runner.removeLeftovers()
            let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
            #expect(left == [liveUpload.lastPathComponent, doneExport.lastPathComponent, writingExport.lastPathComponent], "\(left)")
            #expect(!left.contains(failedExport.lastPathComponent) && !left.contains(stray.lastPathComponent))
        }
    }
}

@Suite("Job turns and kept exports")
struct JobTurnsTests {
    @Test("no more than the limit run at once; the others start in turn as they end")
    func turns() async {
        let turns = JobTurns(limit: 2)
        await turns.wait()
        await turns.wait()
        let third = Task { await turns.wait() }
        let started = Mutex(false)
        let watcher = Task {
            await third.value
            started.withLock { $0 = true }
        }
        try? await Task.sleep(for: .milliseconds(50))
        #expect(started.withLock { $0 } == false, "the third waits while two run")
        await turns.end()
        await watcher.value
        #expect(started.withLock { $0 })
    }

    @Test("an export's file is removed a day after it finished, and its download says so", arguments: TestBackend.allCases)
    func exportsAreKeptADay(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            server.clock.freeze()
            let queue = try await Fixtures.queue(server.store)
            let submitted = try await server.request(.POST, "/api/v1/queues/\(queue.name)/exports?format=csv")
            let link = try #require(try submitted.object()["links"]?["job"]?.stringValue)
            for _ in 0..<600 {
                if try await server.request(.GET, link).object()["job"]?["state"] == "succeeded" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await server.request(.GET, "\(link)/download").status == .ok)
            await server.app.jobs.removeExpiredExports()
            #expect(try await server.request(.GET, "\(link)/download").status == .ok, "kept while the day lasts")
            server.clock.advance(by: JobRunner.exportKeptFor + 60)
            await server.app.jobs.removeExpiredExports()
            let gone = try await server.request(.GET, "\(link)/download")
            #expect(gone.status == .conflict && gone.reason.contains("kept 24 hours after it finishes; export again"), "\(gone.reason)")
            #expect(try await server.request(.GET, link).object()["links"]?["download"] == nil, "no link to a removed file")
        }
    }
}
