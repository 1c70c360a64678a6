import AssayCore
@testable import AssayServer
import AssayStore
import AssayTesting
import Foundation
import Logging
import Testing

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
            #expect(stopped.error == "stopped when its server shut down before it finished; export again", "\(String(describing: stopped.error))")
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
}
