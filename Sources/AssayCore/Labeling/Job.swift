import Foundation

/// A long import or export running in the background, with its progress and, when done, its outcome.
///
/// Large files go through jobs so that no HTTP request has to outlive a proxy's timeout: the client uploads,
/// gets a job id at once, polls it, and downloads the result.
public struct Job: Codable, Sendable, Equatable, Identifiable {
    /// What a job does.
    public enum Kind: String, Codable, Sendable, CaseIterable, ClosedChoice {
        /// Import items from an uploaded file.
        case importItems = "import_items"
        /// Import judgments made in other tools from an uploaded file.
        case importJudgments = "import_judgments"
        /// Write a queue's final labels to a file to download.
        case export
    }

    /// Where a job stands.
    public enum State: String, Codable, Sendable, CaseIterable, ClosedChoice {
        /// Waiting to run.
        case queued
        /// Running.
        case running
        /// Done; `report` (imports) or the download (exports) is ready.
        case succeeded
        /// Stopped; `error` says why. A failed import changed nothing unless `report` counts rows it stored (each
        /// batch is committed as it is loaded; importing the file again skips them and finishes the rest).
        case failed
    }

    /// Where a list of jobs, newest first, goes on from: the last job of the page before, by submission and id.
    public struct Cursor: Sendable, Equatable {
        public var createdAt: Date
        public var id: UUID

        public init(createdAt: Date, id: UUID) {
            self.createdAt = createdAt
            self.id = id
        }

        /// As a list's `next` gives it: `<milliseconds since 1970>_<id>`.
        public var text: String { "\(Int64((createdAt.timeIntervalSince1970 * 1000).rounded()))_\(id.uuidString)" }

        /// Reads a list's `next`; nil for anything else.
        public init?(text: String) {
            let parts = text.split(separator: "_")
            guard parts.count == 2, let millis = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else { return nil }
            self.init(createdAt: Date(timeIntervalSince1970: Double(millis) / 1000), id: id)
        }
    }

    /// Where a list goes on after this job.
    public var cursor: Cursor { Cursor(createdAt: createdAt, id: id) }

    /// The job's id.
    public var id: UUID
    /// What it does.
    public var kind: Kind
    /// The queue it works on.
    public var queueID: UUID
    /// The file format.
    public var format: ImportFormat
    /// Where it stands.
    public var state: State
    /// Share done, 0–1.
    public var progress: Double
    /// What an import did.
    public var report: ImportReport?
    /// Rows an export wrote.
    public var exportedRows: Int?
    /// Why it failed.
    public var error: String?
    /// When it was submitted.
    public var createdAt: Date
    /// When it ended.
    public var finishedAt: Date?

    /// Makes a job value.
    public init(
        id: UUID, kind: Kind, queueID: UUID, format: ImportFormat, state: State = .queued, progress: Double = 0,
        report: ImportReport? = nil, exportedRows: Int? = nil, error: String? = nil, createdAt: Date,
        finishedAt: Date? = nil
    ) {
        self.id = id
        self.kind = kind
        self.queueID = queueID
        self.format = format
        self.state = state
        self.progress = progress
        self.report = report
        self.exportedRows = exportedRows
        self.error = error
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }
}

extension Job {
    enum CodingKeys: String, CodingKey {
        case id, kind, format, state, progress, report, error
        case queueID = "queue_id", exportedRows = "exported_rows", createdAt = "created_at", finishedAt = "finished_at"
    }
}
