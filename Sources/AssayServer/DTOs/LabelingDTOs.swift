import AssayCore
import AssayStore
import Vapor

/// The answer to `POST /api/v1/queues/{queue}/next`: the assignment and the item, as the annotator sees it.
///
/// Only content and the fields an annotator needs are shown: never scores, other judgments or provenance, nor the
/// item's id or external id. Both usually follow import order, and ordinary work is served in that order, so a
/// gold item stood out by its id out of sequence (an auditor picked 34 of 38 gold items by external id alone); the
/// assignment's id is what submit, skip and escalate take, and what the workbench shows.
struct LeaseResponse: Content {
    struct AssignmentView: Codable {
        let id: Int64
        let expiresAt: Date
        /// Seconds left.
        let leaseSeconds: Int
        /// Seconds since the lease began: a page reloaded mid-item counts its time from here, not from the reload.
        let heldSeconds: Int

        enum CodingKeys: String, CodingKey {
            case id
            case expiresAt = "expires_at", leaseSeconds = "lease_seconds", heldSeconds = "held_seconds"
        }
    }

    struct ItemView: Codable {
        /// Shown in calibration sessions and exams, whose answers name the item; never on a lease (absent there).
        let id: Int64?
        /// Shown in calibration sessions and exams; never on a lease (absent there).
        let externalID: String?
        let content: [String: JSONValue]
        let market: String?
        let language: String?

        enum CodingKeys: String, CodingKey {
            case id, content, market, language
            case externalID = "external_id"
        }

        init(_ item: Item) {
            self.init(
                id: item.id, externalID: item.externalID, content: item.content, market: item.market, language: item.language)
        }

        init(id: Int64?, externalID: String?, content: [String: JSONValue], market: String?, language: String?) {
            self.id = id
            self.externalID = externalID
            self.content = content
            self.market = market
            self.language = language
        }
    }

    let assignment: AssignmentView
    let item: ItemView
    /// The model's suggestion, on queues that show one (absent otherwise).
    let suggestion: Suggestion?

    init(_ lease: Lease, now: Date) {
        assignment = AssignmentView(
            id: lease.assignment.id, expiresAt: lease.assignment.expiresAt,
            leaseSeconds: max(0, Int(lease.assignment.expiresAt.timeIntervalSince(now).rounded())),
            heldSeconds: max(0, Int(now.timeIntervalSince(lease.assignment.leasedAt).rounded())))
        item = ItemView(
            id: nil, externalID: nil, content: lease.item.content, market: lease.item.market,
            language: lease.item.language)
        suggestion = lease.suggestion
    }
}

/// The answer to a submit: the judgment, and whether it repeated an earlier submit.
struct SubmitResponse: Content {
    /// The judgment as stored, but for the item's id, which the annotator is never shown (see ``LeaseResponse``).
    struct JudgmentView: Codable {
        let id: Int64
        let queueID: UUID
        let annotatorID: UUID
        let labels: [String]
        let ranking: [String]?
        let rationale: String?
        let timeSpentMs: Int
        let startedAt: Date?
        let submittedAt: Date
        let origin: Judgment.Origin
        let guidelineVersion: Int?

        enum CodingKeys: String, CodingKey {
            case id, labels, ranking, rationale, origin
            case queueID = "queue_id", annotatorID = "annotator_id", timeSpentMs = "time_spent_ms"
            case startedAt = "started_at", submittedAt = "submitted_at", guidelineVersion = "guideline_version"
        }
    }

    let judgment: JudgmentView
    let replayed: Bool

    init(_ judgment: Judgment, replayed: Bool) {
        self.judgment = JudgmentView(
            id: judgment.id, queueID: judgment.queueID, annotatorID: judgment.annotatorID, labels: judgment.labels,
            ranking: judgment.ranking, rationale: judgment.rationale, timeSpentMs: judgment.timeSpentMs,
            startedAt: judgment.startedAt, submittedAt: judgment.submittedAt, origin: judgment.origin,
            guidelineVersion: judgment.guidelineVersion)
        self.replayed = replayed
    }
}
