import AssayCore
import Foundation
import Vapor

/// `PUT /items/{id}/gold`: the reference labels, and why.
struct GoldRequest: Content {
    let labels: [String]
    let rationale: String?
}

/// `POST /queues/{queue}/annotators/{id}/reinstate`: an optional note for the audit log.
struct ReinstateRequest: Content {
    let reason: String?
}

/// `GET /queues/{queue}/scores`.
struct ScoresResponse: Content {
    let queueID: UUID
    /// Answers per annotator the scores cover (their most recent).
    let window: Int
    /// Only answers since this time, when `days` was given.
    let since: Date?
    /// The queue's minimum gold accuracy, if set.
    let threshold: Double?
    let annotators: [AnnotatorScore]

    enum CodingKeys: String, CodingKey {
        case window, since, threshold, annotators
        case queueID = "queue_id"
    }
}

extension GoldAnswer: Content {}
