import AssayCore
import Foundation
import SQLKit

extension Store {
    /// Records a new job, queued.
    public func createJob(_ kind: Job.Kind, on queueID: UUID, format: ImportFormat, by personID: UUID?, now: Date)
        async throws -> Job
    {
        let job = Job(id: UUID(), kind: kind, queueID: queueID, format: format, createdAt: now)
        try await sql().raw("""
            INSERT INTO jobs (id, kind, queue_id, format, state, progress, created_by, created_at_ms)
            VALUES (\(bind: job.id), \(bind: kind.rawValue), \(bind: queueID), \(bind: format.rawValue), 'queued', 0,
                    \(bind: personID), \(bind: Column.millis(now)))
            """).run()
        return job
    }

    /// How many jobs there are of each kind in each state, and when the oldest of them was created: what
    /// `GET /metrics` reports. Jobs are few (one per big import or export), so this reads them all.
    public func jobTallies() async throws -> [JobTally] {
        try await sql().raw("""
            SELECT kind, state, count(*) AS jobs, min(created_at_ms) AS oldest FROM jobs GROUP BY kind, state
            """).all().compactMap { row in
            guard let kind = Job.Kind(rawValue: try row.string("kind")),
                let state = Job.State(rawValue: try row.string("state"))
            else { return nil }
            return JobTally(
                kind: kind, state: state, count: try row.decode(column: "jobs", as: Int.self),
                oldestCreatedAt: try row.date("oldest"))
        }
    }

    /// The job with this id.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)``.
    public func job(_ id: UUID) async throws -> Job {
        guard let row = try await sql().raw("""
            SELECT \(unsafeRaw: Self.jobColumns) FROM jobs WHERE id = \(bind: id)
            """).first()
        else { throw AssayError.notFound(entity: "job", id: id.uuidString) }
        return try Self.job(from: row)
    }

    /// Jobs newest first, of one queue or all, a page at a time: those submitted before `cursor` (the last of the
    /// page before), up to `limit`. So a client that lost a job's id finds it again.
    public func jobs(in queueID: UUID?, before cursor: Job.Cursor?, limit: Int) async throws -> [Job] {
        var conditions: [SQLQueryString] = []
        if let queueID { conditions.append("queue_id = \(bind: queueID)") }
        if let cursor {
            conditions.append("""
                (created_at_ms < \(bind: Column.millis(cursor.createdAt))
                 OR (created_at_ms = \(bind: Column.millis(cursor.createdAt)) AND id < \(bind: cursor.id)))
                """)
        }
        let filter: SQLQueryString = conditions.isEmpty ? "" : "WHERE \(SQLList(conditions, separator: SQLRaw(" AND ")))"
        return try await sql().raw("""
            SELECT \(unsafeRaw: Self.jobColumns) FROM jobs \(filter) ORDER BY created_at_ms DESC, id DESC LIMIT \(bind: limit)
            """).all().map(Self.job(from:))
    }

    static let jobColumns = "id, kind, queue_id, format, state, progress, report, exported_rows, error, created_at_ms, finished_at_ms"

    static func job(from row: any SQLRow) throws -> Job {
        Job(
            id: try row.uuid("id"), kind: Job.Kind(rawValue: try row.string("kind")) ?? .export,
            queueID: try row.uuid("queue_id"), format: ImportFormat(rawValue: try row.string("format")) ?? .jsonl,
            state: Job.State(rawValue: try row.string("state")) ?? .failed,
            progress: try row.decode(column: "progress", as: Double.self),
            report: try row.optionalString("report").map { try Column.decode(ImportReport.self, from: $0) },
            exportedRows: try row.decode(column: "exported_rows", as: Int?.self), error: try row.optionalString("error"),
            createdAt: try row.date("created_at_ms"), finishedAt: try row.optionalDate("finished_at_ms"))
    }

    /// Moves a queued job to running; returns false if it was not queued (so only one runner starts it).
    public func startJob(_ id: UUID, now: Date) async throws -> Bool {
        try await sql().raw("""
            UPDATE jobs SET state = 'running', heartbeat_at_ms = \(bind: Column.millis(now))
            WHERE id = \(bind: id) AND state = 'queued' RETURNING id
            """).first() != nil
    }

    /// Records progress (0–1) of a running job, which also shows the job is alive, and for an import what it has
    /// stored so far: kept if the job stops before its end (its process dies, say), so the report still says.
    ///
    /// - Returns: false when the job is no longer running (it was marked failed), so the runner stops.
    @discardableResult
    public func recordProgress(_ progress: Double, of id: UUID, stored: ImportReport? = nil, now: Date) async throws -> Bool {
        try await sql().raw("""
            UPDATE jobs SET progress = \(bind: min(1, max(0, progress))), heartbeat_at_ms = \(bind: Column.millis(now)),
                report = COALESCE(\(bind: try stored.map(Column.json)), report)
            WHERE id = \(bind: id) AND state = 'running' RETURNING id
            """).first() != nil
    }

    /// Shows an unfinished job (its upload arriving, or running) is alive.
    ///
    /// - Returns: false when the job is no longer unfinished (it ended, or was taken for dead and marked failed).
    @discardableResult
    public func touchJob(_ id: UUID, now: Date) async throws -> Bool {
        try await sql().raw("""
            UPDATE jobs SET heartbeat_at_ms = \(bind: Column.millis(now))
            WHERE id = \(bind: id) AND state IN ('queued', 'running')
            RETURNING id
            """).first() != nil
    }

    /// Marks a running job done, with what it did.
    public func finishJob(_ id: UUID, report: ImportReport? = nil, exportedRows: Int? = nil, now: Date) async throws {
        try await sql().raw("""
            UPDATE jobs SET state = 'succeeded', progress = 1, report = \(bind: try report.map(Column.json)),
                exported_rows = \(bind: exportedRows), finished_at_ms = \(bind: Column.millis(now))
            WHERE id = \(bind: id) AND state = 'running'
            """).run()
    }

    /// Marks a job failed, with the reason a person should read (and what it did before failing, if anything: else
    /// the report its progress last recorded stays).
    public func failJob(_ id: UUID, reason: String, report: ImportReport? = nil, now: Date) async throws {
        try await sql().raw("""
            UPDATE jobs SET state = 'failed', error = \(bind: reason), report = COALESCE(\(bind: try report.map(Column.json)), report),
                finished_at_ms = \(bind: Column.millis(now))
            WHERE id = \(bind: id) AND state IN ('queued', 'running')
            """).run()
    }

    /// Fails the jobs whose runner stopped: no heartbeat since `silentSince`. Servers call this as they start and
    /// every minute while they run, `sparing` the jobs they run themselves; a job a live process runs beats every
    /// 10 seconds and is left alone. (Each server stamps beats by its own clock: clocks more than the allowed
    /// silence apart would fail live jobs.)
    @discardableResult
    public func failInterruptedJobs(silentSince cutoff: Date, now: Date, sparing ownJobs: [UUID] = []) async throws -> [UUID] {
        let spared: SQLQueryString = ownJobs.isEmpty ? "" : "AND id NOT IN (\(binds: ownJobs))"
        return try await failJobs(
            "state IN ('queued', 'running') AND COALESCE(heartbeat_at_ms, created_at_ms) < \(bind: Column.millis(cutoff)) \(spared)",
            reason: "interrupted: its server stopped, or could no longer write to the database (its log says which)", now: now)
    }

    /// Fails the given jobs, which this process was running and will not finish (its server is shutting down).
    @discardableResult
    public func failStoppedJobs(_ ids: [UUID], now: Date) async throws -> [UUID] {
        guard !ids.isEmpty else { return [] }
        return try await failJobs(
            "state IN ('queued', 'running') AND id IN (\(binds: ids))", reason: "stopped when its server shut down",
            now: now)
    }

    /// Marks failed the unfinished jobs `condition` picks, saying what became of their work: an import keeps the
    /// batches it loaded, and running it again skips their rows, since their external ids are known.
    private func failJobs(_ condition: SQLQueryString, reason: String, now: Date) async throws -> [UUID] {
        let importAdvice = "\(reason); it had not finished: import the file again (the rows already loaded are skipped)"
        let exportAdvice = "\(reason); it had not finished: export again"
        return try await sql().raw("""
            UPDATE jobs SET state = 'failed', finished_at_ms = \(bind: Column.millis(now)),
                error = CASE WHEN kind = 'export' THEN \(bind: exportAdvice) ELSE \(bind: importAdvice) END
            WHERE \(condition)
            RETURNING id
            """).all().map { try $0.uuid("id") }
    }
}

/// The jobs of one kind in one state.
public struct JobTally: Sendable, Equatable {
    /// What the jobs do.
    public let kind: Job.Kind
    /// Where they are.
    public let state: Job.State
    /// How many there are.
    public let count: Int
    /// When the oldest of them was created.
    public let oldestCreatedAt: Date
}
