import AssayCore
import AssayTesting
import Foundation
import NIOHTTP1
import SQLKit
import Testing

@testable import AssayStore

@Suite("Background jobs for big files")
struct JobsTests {
    /// Polls a job until it ends (at most 60 s).
    func finished(_ server: LiveServer, _ path: String) async throws -> [String: JSONValue] {
        for _ in 0..<600 {
            let job = try await server.request(.GET, path).object()
            let state = job["job"]?["state"]?.stringValue
            if state == "succeeded" || state == "failed" { return job }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSetupError("job \(path) did not finish in 60 s")
    }

    @Test("an import job answers 202 at once, then loads the file and reports", arguments: TestBackend.allCases)
    func importJob(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store)
            let lines = (1...30_000).map { #"{"external_id": "j-\#($0)", "text": "row \#($0)"}"# }.joined(separator: "\n")
            let submitted = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/imports", body: Data(lines.utf8), contentType: "application/x-ndjson")
            #expect(submitted.status == .accepted)
            let link = try #require(try submitted.object()["links"]?["job"]?.stringValue)
            let job = try await finished(server, link)
            #expect(job["job"]?["state"] == "succeeded", "\(job)")
            #expect(job["job"]?["report"]?["inserted"] == 30_000)
            #expect(job["job"]?["progress"] == 1)
            #expect(try await server.store.stats(of: queue.id).items == 30_000)
        }
    }

    /// Each batch of a job's load is committed as it goes: a job stopped half way keeps what it stored, and its report
    /// must say so (a failed job whose report was empty read as "nothing changed").
    @Test("a job stopped during its load keeps the batches it stored and counts them; importing again finishes it",
          arguments: TestBackend.allCases)
    func stoppedLoadCountsWhatItStored(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store)
            let lines = (1...120_000).map { #"{"external_id": "s-\#($0)", "text": "row \#($0)"}"# }.joined(separator: "\n")
            let submitted = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/imports", body: Data(lines.utf8), contentType: "application/x-ndjson")
            let link = try #require(try submitted.object()["links"]?["job"]?.stringValue)
            let id = try #require(UUID(uuidString: String(link.split(separator: "/").last!)))
            // Once the load has stored a batch (past the check, the job's first half), another server takes it for dead.
            var stopped = false
            for _ in 0..<1_200 where !stopped {
                let job = try await server.store.job(id)
                if job.state != .running, job.state != .queued { break }
                if (job.report?.inserted ?? 0) > 0, job.progress > 0.5 {
                    stopped = !(try await server.store.failStoppedJobs([id], now: Date())).isEmpty
                }
                try await Task.sleep(for: .milliseconds(25))
            }
            try #require(stopped, "the job ended before a batch could be seen stored")
            let job = try await finished(server, link)
            #expect(job["job"]?["state"] == "failed")
            let inserted = try #require(job["job"]?["report"]?["inserted"]?.doubleValue)
            let items = try await server.store.stats(of: queue.id).items
            #expect(inserted > 0 && Int(inserted) <= items && items < 120_000, "report \(inserted), stored \(items)")
            // Imported again, the rest goes in and nothing is doubled.
            let again = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/imports", body: Data(lines.utf8), contentType: "application/x-ndjson")
            let finishedAgain = try await finished(server, try #require(try again.object()["links"]?["job"]?.stringValue))
            #expect(finishedAgain["job"]?["state"] == "succeeded")
            #expect(try await server.store.stats(of: queue.id).items == 120_000)
            // A CSV of a header alone fails, as a direct import of it is refused.
            let headerOnly = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/imports?format=csv", body: Data("external_id,text\n".utf8))
            let empty = try await finished(server, try #require(try headerOnly.object()["links"]?["job"]?.stringValue))
            #expect(empty["job"]?["state"] == "failed" && empty["job"]?["error"] == "the file has no rows", "\(empty)")
        }
    }

    @Test("jobs are listed newest first, a page at a time, for one queue or all; annotators may not list them",
          arguments: TestBackend.allCases)
    func listed(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let first = try await Fixtures.queue(server.store, name: "first")
            let second = try await Fixtures.queue(server.store, name: "second")
            var submitted: [String] = []
            for queue in [first, second, first] {
                let answer = try await server.request(.POST, "/api/v1/queues/\(queue.name)/exports?format=csv")
                submitted.append(try #require(try answer.object()["job"]?["id"]?.stringValue))
                server.clock.advance(by: 1)
            }
            let page = try await server.request(.GET, "/api/v1/jobs?limit=2").object()
            let ids = page["data"]?.arrayValue?.compactMap { $0["job"]?["id"]?.stringValue } ?? []
            #expect(ids == [submitted[2], submitted[1]], "newest first")
            let next = try #require(page["next"]?.stringValue)
            let rest = try await server.request(.GET, "/api/v1/jobs?limit=2&after=\(next)").object()
            #expect(rest["data"]?.arrayValue?.compactMap { $0["job"]?["id"]?.stringValue } == [submitted[0]] && rest["next"] == nil)
            let ofFirst = try await server.request(.GET, "/api/v1/jobs?queue=first").object()
            #expect(ofFirst["data"]?.arrayValue?.compactMap { $0["job"]?["id"]?.stringValue } == [submitted[2], submitted[0]])
            #expect(try await server.request(.GET, "/api/v1/jobs?after=yesterday").status == .unprocessableEntity)
            let annotator = try await Fixtures.annotators(server.store, count: 1)[0].token
            #expect(try await server.request(.GET, "/api/v1/jobs", token: annotator).status == .forbidden)
        }
    }

    @Test("a job over a file with bad rows fails, lists them with lines, and imports nothing", arguments: TestBackend.allCases)
    func badImportJob(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store)
            let csv = "external_id,text,priority\nb-1,fine,1\nb-2,bad,high\nb-3,fine,0\n,missing id,0\n"
            let submitted = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/imports?format=csv", body: Data(csv.utf8), contentType: "text/plain")
            #expect(submitted.status == .accepted)
            let job = try await finished(server, try #require(try submitted.object()["links"]?["job"]?.stringValue))
            #expect(job["job"]?["state"] == "failed")
            let error = try #require(job["job"]?["error"]?.stringValue)
            #expect(error.contains("line 3: priority: must be a whole number"), "\(error)")
            #expect(error.contains("line 5: external_id: is required"), "\(error)")
            #expect(try await server.store.stats(of: queue.id).items == 0)
            // Labels outside the schema are found by the check too, every one listed, before any batch is stored.
            #expect(try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/items", body: Data("external_id,text\nb-1,fine\nb-3,fine\n".utf8),
                contentType: "text/csv").status == .created)
            let judgments = "item_external_id,annotator_external_id,label,submitted_at\n"
                + "b-1,w-1,spam,2026-11-02T10:00:00Z\nb-1,w-2,spamm,2026-11-02T10:01:00Z\nb-3,w-1,hatred,2026-11-02T10:02:00Z\n"
            let judged = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/imports?kind=judgments&format=csv", body: Data(judgments.utf8))
            let judgedJob = try await finished(server, try #require(try judged.object()["links"]?["job"]?.stringValue))
            let listed = try #require(judgedJob["job"]?["error"]?.stringValue)
            #expect(listed.contains("line 3: labels:") && listed.contains("line 4: labels:"), "\(listed)")
            #expect(try await server.store.stats(of: queue.id).judgments == 0)
            let unknownKind = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/imports?kind=labels&format=csv", body: Data(csv.utf8))
            #expect(unknownKind.status == .unprocessableEntity)
            // An upload declared empty, or larger than the limit, is refused before a job is created.
            let jobsBefore = try await jobCount(server)
            let empty = try await server.request(.POST, "/api/v1/queues/\(queue.name)/imports?format=csv", body: Data())
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.text.contains("the upload is empty"), "\(empty.text)")
            #expect(try await jobCount(server) == jobsBefore)
        }
    }

    private func jobCount(_ server: LiveServer) async throws -> Int {
        try await server.store.sql().raw("SELECT COUNT(*) AS n FROM jobs").first(decoding: Count.self)?.n ?? -1
    }

    private struct Count: Decodable { let n: Int }

    @Test("an export job writes every final label and offers it for download", arguments: TestBackend.allCases)
    func exportJob(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, overlap: 1)
            try await Fixtures.items(server.store, into: queue, count: 120)
            let judgments = (1...120).map { index in
                ImportedJudgment(
                    itemExternalID: String(format: "item-%04d", index), annotatorExternalID: "elsewhere-1",
                    labels: [index % 2 == 0 ? "spam" : "none"], rationale: nil, startedAt: nil, submittedAt: Date(), line: index)
            }
            _ = try await server.store.importJudgments(judgments, into: queue, now: Date())
            let submitted = try await server.request(.POST, "/api/v1/queues/\(queue.name)/exports?format=csv")
            #expect(submitted.status == .accepted)
            let jobPath = try #require(try submitted.object()["links"]?["job"]?.stringValue)
            let job = try await finished(server, jobPath)
            #expect(job["job"]?["state"] == "succeeded")
            #expect(job["job"]?["exported_rows"] == 120)
            let download = try #require(job["links"]?["download"]?.stringValue)
            let file = try await server.request(.GET, download)
            #expect(file.status == .ok)
            let rows = file.text.split(separator: "\n")
            #expect(rows.count == 121)
            #expect(rows.filter { $0.contains(",spam,") }.count == 60)

            let importJob = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/imports", body: Data(#"{"id": "x", "text": "y"}"#.utf8),
                contentType: "application/x-ndjson")
            let importPath = try #require(try importJob.object()["links"]?["job"]?.stringValue)
            _ = try await finished(server, importPath)
            #expect(try await server.request(.GET, importPath + "/download").status == .conflict)
            #expect(try await server.request(.GET, "/api/v1/jobs/\(UUID().uuidString)").status == .notFound)
        }
    }
}
