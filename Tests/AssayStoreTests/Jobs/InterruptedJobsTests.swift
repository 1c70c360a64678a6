import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// A job whose process died, or whose server shut down, must not stay "running" for ever: its download would answer
/// "not ready" and its rows would never be reported.
@Suite("Interrupted jobs")
struct InterruptedJobsTests {
    @Test("jobs silent past the cutoff are failed with advice by kind; live ones and finished ones are left", arguments: TestBackend.allCases)
    func silentJobsFail(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store)
            let start = Date(timeIntervalSince1970: 1_764_000_000)
            let silentImport = try await store.createJob(.importItems, on: queue.id, format: .jsonl, by: nil, now: start)
            let silentExport = try await store.createJob(.export, on: queue.id, format: .csv, by: nil, now: start)
            let live = try await store.createJob(.importItems, on: queue.id, format: .jsonl, by: nil, now: start)
            let done = try await store.createJob(.export, on: queue.id, format: .csv, by: nil, now: start)
            for job in [silentImport, silentExport, live, done] { #expect(try await store.startJob(job.id, now: start)) }
            try await store.finishJob(done.id, exportedRows: 3, now: start)
            #expect(try await store.recordProgress(0.5, of: live.id, now: start.addingTimeInterval(100)))

            let failed = try await store.failInterruptedJobs(silentSince: start.addingTimeInterval(60), now: start.addingTimeInterval(180))
            #expect(Set(failed) == [silentImport.id, silentExport.id])
            let importJob = try await store.job(silentImport.id)
            #expect(importJob.state == .failed)
            #expect(importJob.error == "interrupted: its server stopped, or could no longer write to the database (its log says which); it had not finished: import the file again (the rows already loaded are skipped)")
            #expect(try await store.job(silentExport.id).error == "interrupted: its server stopped, or could no longer write to the database (its log says which); it had not finished: export again")
            #expect(try await store.job(live.id).state == .running)
            #expect(try await store.job(done.id).state == .succeeded)
            // The runner learns at its next beat that its job was given up, and stops.
            #expect(try await store.recordProgress(0.6, of: silentImport.id, now: start.addingTimeInterval(200)) == false)

            #expect(try await store.failStoppedJobs([live.id, done.id], now: start.addingTimeInterval(200)) == [live.id])
            #expect(try await store.job(live.id).error?.hasPrefix("stopped when its server shut down") == true)
            #expect(try await store.job(done.id).state == .succeeded)
            #expect(try await store.failStoppedJobs([], now: start).isEmpty)
        }
    }

    @Test("an upload still arriving keeps its job queued; one given up cannot be touched back to life", arguments: TestBackend.allCases)
    func uploadHeartbeat(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store)
            let start = Date(timeIntervalSince1970: 1_764_000_000)
            let arriving = try await store.createJob(.importItems, on: queue.id, format: .jsonl, by: nil, now: start)
            #expect(try await store.touchJob(arriving.id, now: start.addingTimeInterval(170)))
            #expect(try await store.failInterruptedJobs(silentSince: start.addingTimeInterval(60), now: start.addingTimeInterval(180)).isEmpty)
            #expect(try await store.failInterruptedJobs(silentSince: start.addingTimeInterval(200), now: start.addingTimeInterval(320)).count == 1)
            #expect(try await store.touchJob(arriving.id, now: start.addingTimeInterval(330)) == false)
        }
    }
}
