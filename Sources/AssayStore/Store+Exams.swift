import AssayCore
import Foundation
import SQLKit

extension Store {
    /// Creates an exam from gold items of the queue, logged as `exam.created`.
    ///
    /// A qualification exam takes active gold: it never shows answers, so its items go on checking people in the
    /// queue. A training exam shows each item's reference after the answer, so its items leave the gold people are
    /// scored on: the active ones are retired here (logged as `gold.retired`), and retired gold may be used again.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for a bad draft or an item that is not gold (active
    ///   gold, for a qualification exam) in the queue; ``AssayError/conflict(_:)`` for a name the queue already uses.
    public func createExam(_ draft: ExamDraft, in queue: Queue, by actor: Person, now: Date) async throws -> Exam {
        let draft = try draft.validated()
        let training = draft.training ?? false
        return try await transaction { sql in
            let ids = try await Self.itemIDs(forExternalIDs: Set(draft.items), in: queue.id, sql)
            // Locked before anything about them is read: a training and a qualification exam over the same items,
            // or gold set or retired on them, at the same moment, would otherwise each pass the other's check.
            try await Self.lockItems(Set(ids.values), backend: backend, sql)
            // A training exam shows its answers: none of its items may be one a qualification exam still asks.
            if training {
                for row in try await sql.raw("""
                    SELECT name, item_ids FROM exams WHERE queue_id = \(bind: queue.id) AND training = \(bind: false) ORDER BY name
                    """).all() {
                    let asked = Set(try Column.decode([Int64].self, from: try row.string("item_ids")))
                    if let shared = draft.items.first(where: { ids[$0].map(asked.contains) ?? false }) {
                        throw AssayError.invalidInput(
                            field: "items", line: nil,
                            reason: "'\(shared)' is in the qualification exam '\(try row.string("name"))': a training exam shows its answer")
                    }
                }
            }
            var itemIDs: [Int64] = []
            var toRetire: [Int64] = []
            for externalID in draft.items {
                var state: String?
                if let id = ids[externalID] {
                    state = try await sql.raw("SELECT gold_state FROM items WHERE id = \(bind: id) AND gold_labels IS NOT NULL")
                        .first()?.optionalString("gold_state")
                }
                guard let id = ids[externalID], state == "active" || (training && state == "retired") else {
                    throw AssayError.invalidInput(
                        field: "items", line: nil,
                        reason: "'\(externalID)' is not \(training ? "a gold item" : "an active gold item") of queue '\(queue.name)'")
                }
                itemIDs.append(id)
                if training, state == "active" { toRetire.append(id) }
            }
            let exam = Exam(
                id: UUID(), queueID: queue.id, name: draft.name.trimmingBlanksAndNewlines, itemIDs: itemIDs,
                passMark: draft.passMark, qualificationDays: draft.qualificationDays ?? 90, training: training,
                retakeAfterHours: draft.retakeWait, createdAt: now)
            guard try await sql.raw("""
                INSERT INTO exams (id, queue_id, name, item_ids, pass_mark, qualification_days, training, retake_after_hours,
                                   created_at_ms)
                VALUES (\(bind: exam.id), \(bind: queue.id), \(bind: exam.name), \(bind: try Column.json(itemIDs)),
                        \(bind: exam.passMark), \(bind: exam.qualificationDays), \(bind: exam.training),
                        \(bind: exam.retakeAfterHours), \(bind: Column.millis(now)))
                ON CONFLICT DO NOTHING RETURNING id
                """).first() != nil
            else { throw AssayError.conflict("queue '\(queue.name)' already has an exam named '\(exam.name)'") }
            var events = [
                AuditEvent(
                    at: now, actorID: actor.id, action: .examCreated, entity: "exam", entityID: exam.id.uuidString,
                    queueID: queue.id, before: nil,
                    after: ["name": .string(exam.name), "items": .number(Double(itemIDs.count)), "training": .bool(training),
                            "pass_mark": .number(exam.passMark), "retake_after_hours": .number(Double(exam.retakeAfterHours))])
            ]
            for chunk in toRetire.chunks() {
                for row in try await sql.raw("""
                    UPDATE items SET gold_state = 'retired' WHERE id IN (\(binds: chunk)) AND gold_state = 'active' RETURNING id
                    """).all() {
                    events.append(AuditEvent(
                        at: now, actorID: actor.id, action: .goldRetired, entity: "item", entityID: String(try row.int64("id")),
                        queueID: queue.id, before: ["state": "active"], after: ["state": "retired"],
                        reason: "shown with its answer in training exam '\(exam.name)'"))
                }
            }
            try await AuditLog.append(events, sql)
            return exam
        }
    }

    /// The items a training exam of the queue shows with their answers: they stay out of the gold people are scored
    /// on, whatever sets their reference again.
    static func itemsShownInTraining(in queueID: UUID, _ sql: any SQLDatabase) async throws -> Set<Int64> {
        var shown = Set<Int64>()
        for row in try await sql.raw("SELECT item_ids FROM exams WHERE queue_id = \(bind: queueID) AND training = \(bind: true)").all() {
            shown.formUnion(try Column.decode([Int64].self, from: try row.string("item_ids")))
        }
        return shown
    }

    /// A queue's exams, by name.
    public func exams(in queueID: UUID) async throws -> [Exam] {
        let sql = try sql()
        return try await sql.raw("SELECT \(unsafeRaw: Self.examColumns) FROM exams WHERE queue_id = \(bind: queueID) ORDER BY name\(unsafeRaw: sql.bytewise)")
            .all().map(Self.exam(from:))
    }

    /// How many items the person has answered in each exam of the queue they are in the middle of, by exam: an
    /// attempt resumes where it stopped, so a page can count from there.
    public func answeredInOpenAttempts(by person: Person, in queueID: UUID) async throws -> [UUID: Int] {
        var answered: [UUID: Int] = [:]
        for row in try await sql().raw("""
            SELECT t.exam_id, t.answered FROM exam_attempts t JOIN exams e ON e.id = t.exam_id
            WHERE e.queue_id = \(bind: queueID) AND t.person_id = \(bind: person.id) AND t.state = 'in_progress'
            """).all() {
            answered[try row.uuid("exam_id")] = try row.int("answered")
        }
        return answered
    }

    /// - Throws: ``AssayError/notFound(entity:id:)``.
    public func exam(_ id: UUID) async throws -> Exam {
        guard let row = try await sql().raw("SELECT \(unsafeRaw: Self.examColumns) FROM exams WHERE id = \(bind: id)").first()
        else { throw AssayError.notFound(entity: "exam", id: id.uuidString) }
        return try Self.exam(from: row)
    }

    /// The next exam item for the person, starting an attempt if they have none in progress (a retake, after a
    /// finished one). An attempt finishes with its last answer, so an open one always has an item left; nil only
    /// for an exam without items. Items come as annotators see any item: no sign of the reference.
    public func nextExamItem(of exam: Exam, for person: Person, now: Date) async throws -> Item? {
        try await transaction { sql in
            let attempt = try await Self.openAttempt(of: exam, for: person, now: now, sql)
            let answered = Set(try await sql.raw("SELECT item_id FROM exam_answers WHERE attempt_id = \(bind: attempt)")
                .all().map { try $0.int64("item_id") })
            guard let next = exam.itemIDs.first(where: { !answered.contains($0) }) else { return nil }
            return try await Self.item(next, sql)
        }
    }

    /// Records the person's answer to one item of their attempt. In training, the feedback shows the reference,
    /// its rationale and the guideline passage for the reference's first label. After the last item, the attempt is
    /// scored; passing a qualification exam grants (or renews) the queue qualification and lifts a suspension from
    /// the queue, passing a training exam neither.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` for an item not in the exam; ``AssayError/conflict(_:)`` for
    ///   an item already answered in this attempt; ``AssayError/invalidInput(field:line:reason:)`` for labels the
    ///   schema rejects.
    public func answerExam(_ exam: Exam, item itemID: Int64, labels: [String], by person: Person, now: Date) async throws
        -> ExamFeedback
    {
        try await transaction { sql in
            guard exam.itemIDs.contains(itemID) else { throw AssayError.notFound(entity: "exam item", id: String(itemID)) }
            let queue = try await self.queue(id: exam.queueID, sql)
            let chosen = try queue.schema.canonicalLabels(labels)
            let attempt = try await Self.openAttempt(of: exam, for: person, now: now, sql)
            guard let gold = try await sql.raw("""
                SELECT gold_labels, gold_rationale FROM items WHERE id = \(bind: itemID) AND gold_labels IS NOT NULL
                """).first()
            else { throw AssayError.conflict("item \(itemID) is no longer gold; the exam needs updating") }
            let reference = try Column.strings(from: try gold.string("gold_labels"))
            let correct = LabelMatch.isSame(chosen, as: reference)
            guard try await sql.raw("""
                INSERT INTO exam_answers (attempt_id, item_id, labels, correct, answered_at_ms)
                VALUES (\(bind: attempt), \(bind: itemID), \(bind: try Column.json(chosen)), \(bind: correct), \(bind: Column.millis(now)))
                ON CONFLICT DO NOTHING RETURNING item_id
                """).first() != nil
            else { throw AssayError.conflict("item \(itemID) was already answered in this attempt") }
            let counts = try await sql.raw("""
                UPDATE exam_attempts SET answered = answered + 1, correct = correct + \(literal: correct ? 1 : 0)
                WHERE id = \(bind: attempt) RETURNING answered, correct
                """).first()!
            var result: ExamResult?
            if try counts.int("answered") == exam.itemIDs.count {
                result = try await Self.finish(attempt, of: exam, queue: queue, person: person,
                                              answered: try counts.int("answered"), correct: try counts.int("correct"),
                                              now: now, sql)
            }
            guard exam.training else {
                return ExamFeedback(recorded: true, correct: nil, reference: nil, rationale: nil, guidelinePassage: nil, result: result)
            }
            let passage = try await sql.raw("""
                SELECT passages FROM guidelines
                WHERE queue_id = \(bind: queue.id) AND version = \(GuidelineVersions.inForce(in: queue.id, at: now))
                """).first().map { try Column.decode([String: String].self, from: try $0.string("passages")) }
            return ExamFeedback(
                recorded: true, correct: correct, reference: reference, rationale: try gold.optionalString("gold_rationale"),
                guidelinePassage: reference.first.flatMap { passage?[$0] }, result: result)
        }
    }

    /// Whether the person holds a current qualification for the queue.
    static func requireQualified(_ person: Person, for queue: Queue, now: Date, _ sql: any SQLDatabase) async throws {
        guard queue.quality.requiresQualification else { return }
        let current = try await sql.raw("""
            SELECT expires_at_ms FROM qualifications
            WHERE queue_id = \(bind: queue.id) AND person_id = \(bind: person.id) AND expires_at_ms > \(bind: Column.millis(now))
            """).first()
        guard current == nil else { return }
        // Only a qualification exam qualifies: name them, or say there is none, which no candidate can remedy.
        let exams = try await sql.raw("""
            SELECT name FROM exams WHERE queue_id = \(bind: queue.id) AND training = \(bind: false) ORDER BY name\(unsafeRaw: sql.bytewise)
            """).all(decodingColumn: "name", as: String.self)
        let remedy = exams.isEmpty
            ? "the queue has no qualification exam yet (a training exam does not qualify); ask an analyst or arbitrator to create one"
            : "pass its qualification exam " + exams.map { "'\($0)'" }.joined(separator: " or ") + " first"
        throw AssayError.forbidden("\(person.name) needs a current qualification for queue '\(queue.name)'; \(remedy)")
    }

    private static func openAttempt(of exam: Exam, for person: Person, now: Date, _ sql: any SQLDatabase) async throws
        -> Int64
    {
        if let open = try await sql.raw("""
            SELECT id FROM exam_attempts WHERE exam_id = \(bind: exam.id) AND person_id = \(bind: person.id) AND state = 'in_progress'
            """).first()
        {
            return try open.int64("id")
        }
        if exam.retakeAfterHours > 0,
            let last = try await sql.raw("""
                SELECT MAX(finished_at_ms) AS finished FROM exam_attempts
                WHERE exam_id = \(bind: exam.id) AND person_id = \(bind: person.id) AND state = 'failed'
                """).first(), let finished = try last.optionalDate("finished")
        {
            let again = finished.addingTimeInterval(Double(exam.retakeAfterHours) * 3_600)
            if again > now {
                throw AssayError.conflict(
                    "\(person.name) failed exam '\(exam.name)' at \(finished.ISO8601Format()); it may be sat again "
                        + "from \(again.ISO8601Format()), \(exam.retakeAfterHours) h after a failed attempt")
            }
        }
        guard let started = try await sql.raw("""
            INSERT INTO exam_attempts (exam_id, person_id, state, started_at_ms, answered, correct)
            VALUES (\(bind: exam.id), \(bind: person.id), 'in_progress', \(bind: Column.millis(now)), 0, 0)
            ON CONFLICT DO NOTHING RETURNING id
            """).first()
        else { throw AssayError.conflict("an attempt at this exam started at the same moment; try again") }
        return try started.int64("id")
    }

    private static func finish(
        _ attempt: Int64, of exam: Exam, queue: Queue, person: Person, answered: Int, correct: Int, now: Date,
        _ sql: any SQLDatabase
    ) async throws -> ExamResult {
        let score = Double(correct) / Double(answered)
        let passed = score + 1e-12 >= exam.passMark
        try await sql.raw("""
            UPDATE exam_attempts SET state = \(bind: passed ? "passed" : "failed"), finished_at_ms = \(bind: Column.millis(now))
            WHERE id = \(bind: attempt)
            """).run()
        var until: Date?
        // A training exam shows its answers as it goes, and can be sat again at once: passing it says the person
        // learnt, not that they qualify. Only a qualification exam, which shows none, grants a qualification or lifts
        // a suspension (one for failing gold could otherwise be undone by sitting a training exam twice).
        if passed, !exam.training {
            let expires = now.addingTimeInterval(Double(exam.qualificationDays) * 86_400)
            until = expires
            try await sql.raw("""
                INSERT INTO qualifications (queue_id, person_id, exam_id, granted_at_ms, expires_at_ms)
                VALUES (\(bind: queue.id), \(bind: person.id), \(bind: exam.id), \(bind: Column.millis(now)), \(bind: Column.millis(expires)))
                ON CONFLICT (queue_id, person_id) DO UPDATE SET exam_id = excluded.exam_id,
                    granted_at_ms = excluded.granted_at_ms, expires_at_ms = excluded.expires_at_ms
                """).run()
            _ = try await setStatus(
                of: person.id, in: queue.id, to: .active, reason: "requalified by passing exam '\(exam.name)'", by: nil,
                now: now, sql)
        }
        try await AuditLog.append([
            AuditEvent(
                at: now, actorID: person.id, action: passed ? .examPassed : .examFailed, entity: "person",
                entityID: person.id.uuidString, queueID: queue.id, vendorID: person.vendorID, before: nil,
                after: ["exam": .string(exam.name), "score": .number(score), "pass_mark": .number(exam.passMark)])
        ], sql)
        return ExamResult(examID: exam.id, answered: answered, correct: correct, score: score, passed: passed, qualifiedUntil: until)
    }

    static let examColumns = "id, queue_id, name, item_ids, pass_mark, qualification_days, training, retake_after_hours, created_at_ms"

    static func exam(from row: any SQLRow) throws -> Exam {
        Exam(
            id: try row.uuid("id"), queueID: try row.uuid("queue_id"), name: try row.string("name"),
            itemIDs: try Column.decode([Int64].self, from: try row.string("item_ids")),
            passMark: try row.decode(column: "pass_mark", as: Double.self), qualificationDays: try row.int("qualification_days"),
            training: try row.decode(column: "training", as: Bool.self), retakeAfterHours: try row.int("retake_after_hours"),
            createdAt: try row.date("created_at_ms"))
    }
}
