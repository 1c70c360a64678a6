import Foundation

/// An exam: a set of a queue's gold items and a pass mark. Passing a qualification exam grants a qualification for
/// the queue for `qualificationDays`, and lifts a suspension from it (the annotator has requalified). A training
/// exam follows each answer with the reference answer, its rationale and the guideline passage for the label, so
/// passing it grants nothing, and its items are retired from the gold people are scored on.
///
/// After a failed attempt a qualification exam waits `retakeAfterHours` (24 by default) before it may be sat
/// again: each attempt reports a score, so attempts without a wait would let a candidate find the answers one item
/// at a time and pass on what they learnt of the exam, not of the policy.
public struct Exam: Codable, Sendable, Equatable {
    public var id: UUID
    public var queueID: UUID
    public var name: String
    /// The items, in the order they are asked.
    public var itemIDs: [Int64]
    /// The share of right answers that passes, 0 to 1.
    public var passMark: Double
    public var qualificationDays: Int
    public var training: Bool
    /// Hours from a failed attempt to the next; 0 lets it be sat again at once. (An exam created from a draft waits
    /// 24 hours after a failed qualification attempt unless told otherwise: ``ExamDraft/retakeWait``.)
    public var retakeAfterHours: Int
    public var createdAt: Date

    public init(
        id: UUID, queueID: UUID, name: String, itemIDs: [Int64], passMark: Double, qualificationDays: Int,
        training: Bool, retakeAfterHours: Int = 0, createdAt: Date
    ) {
        self.id = id
        self.queueID = queueID
        self.name = name
        self.itemIDs = itemIDs
        self.passMark = passMark
        self.qualificationDays = qualificationDays
        self.training = training
        self.retakeAfterHours = retakeAfterHours
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, training
        case queueID = "queue_id", itemIDs = "item_ids", passMark = "pass_mark"
        case qualificationDays = "qualification_days", retakeAfterHours = "retake_after_hours", createdAt = "created_at"
    }
}

/// An exam as an analyst defines it: gold items by external id.
public struct ExamDraft: Codable, Sendable, Equatable {
    public var name: String
    public var items: [String]
    public var passMark: Double
    public var qualificationDays: Int?
    public var training: Bool?
    /// Hours from a failed attempt to the next: 24 for a qualification exam unless given, 0 for training (which
    /// shows its answers anyway).
    public var retakeAfterHours: Int?

    public init(
        name: String, items: [String], passMark: Double, qualificationDays: Int? = nil, training: Bool? = nil,
        retakeAfterHours: Int? = nil
    ) {
        self.name = name
        self.items = items
        self.passMark = passMark
        self.qualificationDays = qualificationDays
        self.training = training
        self.retakeAfterHours = retakeAfterHours
    }

    /// The wait after a failed attempt, in hours, as the draft gives it or by default.
    public var retakeWait: Int { retakeAfterHours ?? ((training ?? false) ? 0 : 24) }

    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for an empty name or item list, a repeated item,
    ///   a pass mark outside (0, 1], a qualification of no days, or a retake wait outside 0 to 720 hours.
    public func validated() throws -> ExamDraft {
        guard !name.trimmingBlanksAndNewlines.isEmpty else {
            throw AssayError.invalidInput(field: "name", line: nil, reason: "an exam needs a name")
        }
        guard !items.isEmpty, items.count <= 1_000 else {
            throw AssayError.invalidInput(field: "items", line: nil, reason: "an exam needs 1 to 1000 gold items")
        }
        if let repeated = Dictionary(grouping: items, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw AssayError.invalidInput(field: "items", line: nil, reason: "'\(repeated)' is listed twice")
        }
        guard passMark.isFinite, passMark > 0, passMark <= 1 else {
            throw AssayError.invalidInput(field: "pass_mark", line: nil, reason: "must be above 0 and at most 1, got \(passMark)")
        }
        if let days = qualificationDays, !(1...3_650).contains(days) {
            throw AssayError.invalidInput(field: "qualification_days", line: nil, reason: "must be 1 to 3650, got \(days)")
        }
        if let hours = retakeAfterHours, !(0...720).contains(hours) {
            throw AssayError.invalidInput(field: "retake_after_hours", line: nil, reason: "must be 0 to 720 (30 days), got \(hours)")
        }
        return self
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, items, training
        case passMark = "pass_mark", qualificationDays = "qualification_days", retakeAfterHours = "retake_after_hours"
    }

    /// Decodes a draft; a key it does not know is refused (`"trainig": true` made a qualification exam).
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self, calling: "field")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name), items: try container.decode([String].self, forKey: .items),
            passMark: try container.decode(Double.self, forKey: .passMark),
            qualificationDays: try container.decodeIfPresent(Int.self, forKey: .qualificationDays),
            training: try container.decodeIfPresent(Bool.self, forKey: .training),
            retakeAfterHours: try container.decodeIfPresent(Int.self, forKey: .retakeAfterHours))
    }
}

/// What answering one exam item tells the candidate: nothing more than that it was recorded in an exam; in
/// training, whether it was right, the reference answer and why, and the guideline passage. When the last item
/// is answered, the result.
public struct ExamFeedback: Codable, Sendable, Equatable {
    public var recorded: Bool
    public var correct: Bool?
    public var reference: [String]?
    public var rationale: String?
    public var guidelinePassage: String?
    public var result: ExamResult?

    public init(
        recorded: Bool, correct: Bool?, reference: [String]?, rationale: String?, guidelinePassage: String?,
        result: ExamResult?
    ) {
        self.recorded = recorded
        self.correct = correct
        self.reference = reference
        self.rationale = rationale
        self.guidelinePassage = guidelinePassage
        self.result = result
    }

    enum CodingKeys: String, CodingKey {
        case recorded, correct, reference, rationale, result
        case guidelinePassage = "guideline_passage"
    }
}

/// A finished attempt.
public struct ExamResult: Codable, Sendable, Equatable {
    public var examID: UUID
    public var answered: Int
    public var correct: Int
    public var score: Double
    public var passed: Bool
    /// Until when the qualification holds, when passed.
    public var qualifiedUntil: Date?

    public init(examID: UUID, answered: Int, correct: Int, score: Double, passed: Bool, qualifiedUntil: Date?) {
        self.examID = examID
        self.answered = answered
        self.correct = correct
        self.score = score
        self.passed = passed
        self.qualifiedUntil = qualifiedUntil
    }

    enum CodingKeys: String, CodingKey {
        case answered, correct, score, passed
        case examID = "exam_id", qualifiedUntil = "qualified_until"
    }
}
