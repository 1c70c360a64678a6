import AssayCore
import Foundation
import Vapor

/// `PUT /items/{id}/gold`: the reference labels, and why.
struct GoldRequest: Content, ClosedBody {
    let labels: [String]
    let rationale: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case labels, rationale }
}

/// `POST /queues/{queue}/annotators/{id}/reinstate`: an optional note for the audit log.
struct ReinstateRequest: Content, ClosedBody {
    let reason: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case reason }
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
