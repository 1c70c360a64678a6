import AssayCore
import Vapor

/// A job, with the links to poll it and (for a finished export) to download its file.
struct JobResponse: Content {
    struct Links: Codable {
        let job: String
        let download: String?
    }

    let job: Job
    let links: Links

    /// - Parameter now: when asked; an export whose file was removed (``JobRunner/exportKeptFor``) has no download.
    init(_ job: Job, now: Date? = nil) {
        self.job = job
        let base = "/api/v1/jobs/\(job.id.uuidString)"
        let downloadable = job.kind == .export && job.state == .succeeded && !(now.map(job.isExpired(now:)) ?? false)
        links = Links(job: base, download: downloadable ? base + "/download" : nil)
    }
}

extension Job {
    /// Whether this export's file is past its keeping (``JobRunner/exportKeptFor``), so removed or about to be.
    func isExpired(now: Date) -> Bool {
        guard kind == .export, let finishedAt else { return false }
        return now.timeIntervalSince(finishedAt) > JobRunner.exportKeptFor
    }
}
