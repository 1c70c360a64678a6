import AssayCore
import AssayStore
import Foundation

/// Everything the server needs to start, gathered in one value from flags and the environment.
///
/// Nothing else in the server reads the environment: `assay serve`, `assay demo` and the tests build one of
/// these and pass it to ``configure(_:settings:)``.
public struct Settings: Sendable {
    /// The SQLite file or PostgreSQL URL.
    public var database: DatabaseLocation
    /// Address to bind; `127.0.0.1` keeps the server local.
    public var hostname: String
    /// Port to bind; 0 picks a free one.
    public var port: Int
    /// The largest request body accepted for direct imports, in bytes. A direct import is one transaction, which
    /// on SQLite holds the only connection while it runs: bigger files go through import jobs, in batches.
    public var maxImportBytes: Int
    /// The largest upload accepted by an import job, in bytes.
    public var maxJobUploadBytes: Int
    /// Where job uploads and export files are kept; by default beside the SQLite file, or `./assay-jobs`.
    public var jobsDirectory: String?
    /// How often expired leases are swept back into the pool, in seconds.
    public var leaseSweepSeconds: Double
    /// How often queues decided by weighted or Dawid–Skene consensus are re-estimated when they have new judgments.
    public var consensusSeconds: Double
    /// Where "now" comes from.
    public var clock: any TimeSource
    /// Where the store's random choices (gold draws, QA samples) come from: the system's generator unless a test
    /// wants them reproducible.
    public var chance: Chance
    /// Whether to log each request.
    public var logsRequests: Bool

    /// The largest body a direct import takes: 32 MiB, about 100,000 rows (bigger files go to a background job).
    public static let defaultMaxImportBytes = 32 * 1024 * 1024
    /// The largest upload an import job takes: 8 GiB.
    public static let defaultMaxJobUploadBytes = 8 * 1024 * 1024 * 1024

    /// Settings with defaults for a local server.
    public init(
        database: DatabaseLocation, hostname: String = "127.0.0.1", port: Int = 8080,
        maxImportBytes: Int = Settings.defaultMaxImportBytes, maxJobUploadBytes: Int = Settings.defaultMaxJobUploadBytes,
        jobsDirectory: String? = nil, leaseSweepSeconds: Double = 5, consensusSeconds: Double = 300,
        clock: any TimeSource = SystemTime(), chance: Chance = .system, logsRequests: Bool = false
    ) {
        self.database = database
        self.hostname = hostname
        self.port = port
        self.maxImportBytes = maxImportBytes
        self.maxJobUploadBytes = maxJobUploadBytes
        self.jobsDirectory = jobsDirectory
        self.leaseSweepSeconds = leaseSweepSeconds
        self.consensusSeconds = consensusSeconds
        self.clock = clock
        self.chance = chance
        self.logsRequests = logsRequests
    }
}

extension Settings {
    /// The jobs folder: as set, else `<sqlite file>.jobs`, else `./assay-jobs`.
    var resolvedJobsDirectory: URL {
        if let jobsDirectory { return URL(fileURLWithPath: jobsDirectory) }
        if case .sqlite(let path) = database { return URL(fileURLWithPath: path + ".jobs") }
        return URL(fileURLWithPath: "assay-jobs")
    }
}
