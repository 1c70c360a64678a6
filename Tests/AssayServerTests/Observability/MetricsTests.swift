import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

@testable import AssayServer

@Suite("Prometheus metrics")
struct MetricsTests {
    @Test("GET /metrics shows queue progress, requests by route and the SQLite writer, to admins and analysts only",
          arguments: TestBackend.allCases)
    func scrape(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            _ = try await Fixtures.queue(server.store, name: "comments-en", overlap: 1)
            let items = "external_id,text\nc-1,first\nc-2,second\nc-3,third\n"
            let imported = try await server.request(
                .POST, "/api/v1/queues/comments-en/items", body: Data(items.utf8), contentType: "text/csv")
            #expect(imported.status == .created)
            let analyst = try await Fixtures.token(server.store, role: .analyst, name: "Ana Lyst")
            let annotator = try await Fixtures.annotators(server.store, count: 1)[0].token

            #expect(try await server.request(.GET, "/metrics", token: .some(nil)).status == .unauthorized)
            #expect(try await server.request(.GET, "/metrics", token: annotator).status == .forbidden)
            // Prometheus and curl accept */*: they get the JSON error, not the sign-in form a browser is sent to.
            for accept in ["*/*", "text/plain;version=0.0.4;q=0.9,*/*;q=0.1"] {
                let scraper = try await server.request(.GET, "/metrics", token: .some(nil), headers: ["Accept": accept])
                #expect(scraper.status == .unauthorized && scraper.reason.contains("token"), "\(accept): \(scraper.status) \(scraper.text)")
            }
            let browser = try await server.request(.GET, "/metrics", token: .some(nil), headers: ["Accept": "text/html,*/*;q=0.8"])
            #expect(browser.status == .seeOther, "a browser is sent to sign in")
            let before = try await Self.scrape(server, token: analyst)

            let client = LoopClient(server: server, token: annotator)
            let lease = try #require(try await client.next("comments-en"))
            #expect(try await client.submit(lease.assignmentID, labels: ["none"]).status == .created)

            let reply = try await server.request(.GET, "/metrics", token: analyst)
            #expect(reply.status == .ok)
            #expect(reply.headers.first(name: "content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let after = try Self.samples(in: reply.text)

            let queue = "{queue=\"comments-en\"}"
            #expect(after["assay_queue_items\(queue)"] == 3)
            #expect(after["assay_queue_judgments\(queue)"] == 1)
            #expect(after["assay_queue_completed_items\(queue)"] == 1)
            #expect(after["assay_queue_backlog_items\(queue)"] == 2)
            #expect(after["assay_queue_resolved_items\(queue)"] == 1)
            #expect(after["assay_queue_skips\(queue)"] == 0)

            // The registry is the process's, shared with tests running alongside: compare before and after.
            let next = "http_requests_total{method=\"POST\",path=\"/api/v1/queues/:queue/next\",status=\"200\"}"
            #expect((after[next] ?? 0) >= (before[next] ?? 0) + 1, "\(reply.text)")

            let transactions = "assay_sqlite_write_transactions_total"
            switch backend {
            case .sqlite:
                #expect(try #require(after[transactions]) >= (before[transactions] ?? 0) + 2, "a lease and a submit")
                #expect(try #require(after["assay_sqlite_commits_total"]) >= 1)
                #expect(try #require(after["assay_sqlite_writer_busy_seconds_total"]) > 0)
                #expect(after["assay_sqlite_writer_queue"] != nil)
            case .postgres:
                #expect(after[transactions] == nil, "PostgreSQL has no single writer to report on")
            }
        }
    }

    @Test("GET /metrics counts background jobs by kind and state, zeros included, and how long the oldest queued one waited",
          arguments: TestBackend.allCases)
    func jobs(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, name: "comments-en")
            let analyst = try await Fixtures.token(server.store, role: .analyst, name: "Ana Lyst")
            server.clock.freeze()  // so that the waits are exactly what is set up
            let now = server.clock.now
            let store = server.store
            let waiting = try await store.createJob(.export, on: queue.id, format: .csv, by: nil, now: now.addingTimeInterval(-90))
            _ = try await store.createJob(.export, on: queue.id, format: .jsonl, by: nil, now: now.addingTimeInterval(-30))
            let done = try await store.createJob(.importItems, on: queue.id, format: .jsonl, by: nil, now: now)
            #expect(try await store.startJob(done.id, now: now))
            try await store.finishJob(done.id, exportedRows: nil, now: now)
            let broken = try await store.createJob(.importJudgments, on: queue.id, format: .csv, by: nil, now: now)
            try await store.failJob(broken.id, reason: "line 3: unknown label", now: now)

            let samples = try await Self.scrape(server, token: analyst)
            func jobs(_ kind: String, _ state: String) -> Double? { samples["assay_jobs{kind=\"\(kind)\",state=\"\(state)\"}"] }
            #expect(jobs("export", "queued") == 2)
            #expect(jobs("import_items", "succeeded") == 1)
            #expect(jobs("import_judgments", "failed") == 1)
            #expect(jobs("import_items", "running") == 0, "every kind and state has a series")
            // Times are stored to the millisecond.
            let exportWait = try #require(samples["assay_jobs_oldest_queued_seconds{kind=\"export\"}"])
            #expect(abs(exportWait - 90) < 0.002, "\(exportWait)")
            #expect(samples["assay_jobs_oldest_queued_seconds{kind=\"import_items\"}"] == 0)

            // Once the oldest starts, the next one is the oldest waiting.
            #expect(try await store.startJob(waiting.id, now: now))
            let later = try await Self.scrape(server, token: analyst)
            let nextWait = try #require(later["assay_jobs_oldest_queued_seconds{kind=\"export\"}"])
            #expect(abs(nextWait - 30) < 0.002, "\(nextWait)")
            #expect(later["assay_jobs{kind=\"export\",state=\"running\"}"] == 1)
        }
    }

    @Test("label values are escaped and whole numbers written without a fraction")
    func textFormat() {
        var text = PrometheusText()
        text.family("assay_example", type: .gauge, help: "An example.\nSecond line.")
        text.sample("assay_example", labels: ["queue": "say \"hi\"\\now", "a": "first"], value: 3)
        text.sample("assay_example", value: 0.25)
        #expect(text.text == """
            # HELP assay_example An example.\\nSecond line.
            # TYPE assay_example gauge
            assay_example{a="first",queue="say \\"hi\\"\\\\now"} 3
            assay_example 0.25

            """)
    }

    private static func scrape(_ server: LiveServer, token: String) async throws -> [String: Double] {
        let reply = try await server.request(.GET, "/metrics", token: token)
        try #require(reply.status == .ok, "\(reply.status) \(reply.text)")
        return try samples(in: reply.text)
    }

    /// Each sample line's value by its name and labels, after checking every line has the exposition's shape and every
    /// sampled family was declared with a type.
    static func samples(in text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        var typed: Set<String> = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                typed.insert(String(line.split(separator: " ")[2]))
                continue
            }
            if line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ")
            try #require(parts.count == 2, "a sample is a name with labels, then a value: \(line)")
            let value = try #require(Double(parts[1]), "not a number in: \(line)")
            let key = String(parts[0])
            let family = String(key.prefix { $0 != "{" })
            let base = ["_bucket", "_sum", "_count"].reduce(family) { name, suffix in
                name.hasSuffix(suffix) && typed.contains(String(name.dropLast(suffix.count))) ? String(name.dropLast(suffix.count)) : name
            }
            #expect(typed.contains(base), "\(family) has no # TYPE line")
            samples[key] = value
        }
        return samples
    }
}
