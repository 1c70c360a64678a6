import AssayCore
import AssayStore
import Foundation
import Metrics
import Prometheus

/// The process's Prometheus registry, and the text `GET /metrics` answers with.
///
/// Vapor records every request through swift-metrics (`http_requests_total`, `http_request_duration_seconds`
/// and `http_request_errors_total`, labelled by method, route pattern and status), so the registry is installed as
/// swift-metrics' backend, once per process, by the first app built. The store's figures are read at scrape time
/// instead: queue progress from the maintained counters, background jobs by kind and state, and on SQLite what its
/// single writer has done.
///
/// For example, a Prometheus scrape job (the route asks for an admin's or analyst's token):
/// ```yaml
/// - job_name: assay
///   authorization: {credentials: assay_…}
///   static_configs: [{targets: ["127.0.0.1:8080"]}]
/// ```
enum ServerMetrics {
    /// The registry Vapor's request metrics land in, shared by every app of the process (tests build many).
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Makes sure requests are recorded from the first one on.
    static func install() {
        _ = registry
    }

    /// The exposition: the registry's metrics, then the store's.
    static func exposition(of store: Store, now: Date) async throws -> String {
        var text = PrometheusText()
        let queues = try await store.statsOfEveryQueue()
        let perQueue: [(String, String, KeyPath<QueueStats, Int>)] = [
            ("assay_queue_items", "Items imported into the queue, gold included.", \.items),
            ("assay_queue_gold_items", "Gold items without a final label (never labelled; left out of the backlog).", \.goldItems),
            ("assay_queue_completed_items", "Items with every judgment the overlap asks for.", \.completedItems),
            ("assay_queue_backlog_items", "Items still waiting for judgments.", \.backlog),
            ("assay_queue_judgments", "Judgments received.", \.judgments),
            ("assay_queue_skips", "Items skipped by annotators.", \.skips),
            ("assay_queue_resolved_items", "Items with a final label.", \.resolvedItems),
            ("assay_queue_unresolved_items", "Items whose judgments reached no consensus.", \.unresolvedItems),
        ]
        // Gauges, not counters: a re-import, a re-decision or a deleted queue can lower them.
        for (name, help, figure) in perQueue {
            text.family(name, type: .gauge, help: help)
            for queue in queues { text.sample(name, labels: ["queue": queue.name], value: Double(queue.stats[keyPath: figure])) }
        }
        let jobs = try await store.jobTallies()
        // Every kind and state, zeros included, so a rate or an alert has a series from the start.
        text.family("assay_jobs", type: .gauge, help: "Background imports and exports, by kind and state.")
        for kind in Job.Kind.allCases {
            for state in Job.State.allCases {
                let tally = jobs.first { $0.kind == kind && $0.state == state }
                text.sample("assay_jobs", labels: ["kind": kind.rawValue, "state": state.rawValue], value: Double(tally?.count ?? 0))
            }
        }
        text.family(
            "assay_jobs_oldest_queued_seconds", type: .gauge,
            help: "How long the oldest job still queued has waited to start (0 when none waits): an upload still arriving, or a job left by a crash.")
        for kind in Job.Kind.allCases {
            let waited = jobs.first { $0.kind == kind && $0.state == .queued }.map { now.timeIntervalSince($0.oldestCreatedAt) }
            text.sample("assay_jobs_oldest_queued_seconds", labels: ["kind": kind.rawValue], value: max(0, waited ?? 0))
        }
        if let writer = store.writerStatistics {
            text.family("assay_sqlite_write_transactions_total", type: .counter, help: "Transactions run on the SQLite writer.")
            text.sample("assay_sqlite_write_transactions_total", value: Double(writer.transactions))
            text.family("assay_sqlite_commits_total", type: .counter, help: "SQLite commits; transactions queued together share one.")
            text.sample("assay_sqlite_commits_total", value: Double(writer.commits))
            text.family("assay_sqlite_writer_busy_seconds_total", type: .counter, help: "Seconds the single writer was held.")
            text.sample("assay_sqlite_writer_busy_seconds_total", value: writer.busySeconds)
            text.family(
                "assay_sqlite_writer_wait_seconds_total", type: .counter, help: "Seconds transactions waited for the writer, summed.")
            text.sample("assay_sqlite_writer_wait_seconds_total", value: writer.waitSeconds)
            text.family("assay_sqlite_writer_queue", type: .gauge, help: "Transactions waiting for the writer now.")
            text.sample("assay_sqlite_writer_queue", value: Double(writer.queuedTransactions))
        }
        return registry.emitToString() + text.text
    }
}
