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

    init(_ job: Job) {
        self.job = job
        let base = "/api/v1/jobs/\(job.id.uuidString)"
        links = Links(job: base, download: job.kind == .export && job.state == .succeeded ? base + "/download" : nil)
    }
}
