import AssayCore
import Foundation
import SQLKit

/// What a gold set import did.
public struct GoldImportReport: Codable, Sendable, Equatable {
    /// Rows in the file.
    public var received: Int
    /// Items whose reference answer was set or changed.
    public var set: Int
    /// Items that already had exactly this reference answer.
    public var unchanged: Int

    enum CodingKeys: String, CodingKey {
        case received, set, unchanged
    }
}

extension Store {
    // MARK: - Setting gold

    /// Sets (or replaces) an item's reference answer; the item becomes gold: out of the production pool, served
    /// to each annotator at most once at the queue's gold rate. Logged as `gold.set`.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` for an unknown item; ``AssayError/invalidInput(field:line:reason:)``
    ///   for labels the queue's schema rejects.
    public func setGold(
        labels: [String], rationale: String?, onItem itemID: Int64, by actor: Person, now: Date
    ) async throws -> GoldAnswer {
        try await transaction { sql in
            let item = try await Self.item(itemID, sql)
            let queue = try await self.queue(id: item.queueID, sql)
            let canonical = try queue.schema.canonicalLabels(labels)
            let entry = GoldEntry(itemID: item.id, externalID: item.externalID, labels: canonical, rationale: rationale)
            _ = try await Self.setGold([entry], in: queue.id, by: actor, now: now, backend: self.backend, sql)
            return GoldAnswer(
                itemID: item.id, itemExternalID: item.externalID, labels: canonical, rationale: entry.rationale,
                state: .active)
        }
    }

    /// Sets the reference answers of a gold set file, all or nothing: every row's item must exist in the queue
    /// and every row's labels must fit the schema, or nothing changes and the error names the line.
    public func importGold(_ drafts: [GoldDraft], into queue: Queue, by actor: Person, now: Date) async throws
        -> GoldImportReport
    {
        var lines: [String: Int?] = [:]
        let checked = try drafts.mapEach { draft -> (draft: GoldDraft, labels: [String]) in
            if let first = lines.updateValue(draft.line, forKey: draft.itemExternalID) {
                throw AssayError.invalidInput(
                    field: "external_id", line: draft.line,
                    reason: "item '\(draft.itemExternalID)' already has a row\(first.map { " on line \($0)" } ?? ""); keep one")
            }
            do {
                return (draft, try queue.schema.canonicalLabels(draft.labels))
            } catch let error as AssayError {
                throw draft.line.map { error.at(line: $0) } ?? error
            }
        }
        return try await transaction { sql in
            let ids = try await Self.itemIDs(forExternalIDs: Set(drafts.map(\.itemExternalID)), in: queue.id, sql)
            try Self.requireItems(checked.map { ($0.draft.itemExternalID, $0.draft.line) }, in: ids, of: queue)
            let changed = try await Self.setGold(
                checked.map {
                    GoldEntry(
                        itemID: ids[$0.draft.itemExternalID]!, externalID: $0.draft.itemExternalID, labels: $0.labels,
                        rationale: $0.draft.rationale)
                }, in: queue.id, by: actor, now: now, backend: self.backend, sql)
            return GoldImportReport(received: drafts.count, set: changed, unchanged: drafts.count - changed)
        }
    }

    /// Stops serving an item as gold. Its past answers keep counting, and it does not return to production.
    /// Logged as `gold.retired`; retiring a retired item changes nothing.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` when the item is not gold.
    public func retireGold(onItem itemID: Int64, by actor: Person, now: Date) async throws -> GoldAnswer {
        try await transaction { sql in
            guard let gold = try await Self.goldAnswers(where: "id = \(bind: itemID)", sql).first else {
                throw AssayError.notFound(entity: "gold item", id: String(itemID))
            }
            guard gold.state == .active else { return gold }
            let retired = try await sql.raw("""
                UPDATE items SET gold_state = 'retired' WHERE id = \(bind: itemID) AND gold_state = 'active' RETURNING queue_id
                """).first()
            guard let retired else { return gold }
            try await AuditLog.append([
                AuditEvent(
                    at: now, actorID: actor.id, action: .goldRetired, entity: "item", entityID: String(itemID),
                    queueID: try retired.uuid("queue_id"), before: ["state": "active"], after: ["state": "retired"])
            ], sql)
            var changed = gold
            changed.state = .retired
            return changed
        }
    }

    /// A queue's gold items, active and retired, in id order, a page at a time.
    public func gold(in queueID: UUID, after itemID: Int64?, limit: Int) async throws -> [GoldAnswer] {
        try await Self.goldAnswers(
            where: "queue_id = \(bind: queueID) AND gold_state IS NOT NULL AND id > \(bind: itemID ?? 0)", limit: limit, sql())
    }

    struct GoldEntry {
        var itemID: Int64
        var externalID: String
        var labels: [String]
        var rationale: String?
    }

    /// Writes reference answers that differ from the stored ones, takes the items out of the production pool,
    /// and logs each change. Returns how many changed.
    ///
    /// Each chunk's items are locked (in id order, as every other writer locks them) before anything is read, so
    /// that what decides the queue's gold count, whether an item was gold and whether it has a final label, is what
    /// is there when the item changes: a submit or an arbitration deciding the item meanwhile waits, or is waited for.
    static func setGold(
        _ entries: [GoldEntry], in queueID: UUID, by actor: Person, now: Date, backend: Backend, _ sql: any SQLDatabase
    ) async throws -> Int {
        var events: [AuditEvent] = []
        var leftUnlabelled = 0
        let entries = entries.sorted { $0.itemID < $1.itemID }
        for chunk in entries.chunks() {
            try await lockItems(Set(chunk.map(\.itemID)), backend: backend, sql)
            // A reference a training exam has shown stays retired when set again (a gold file imported once more,
            // say). Read once the items are locked: an exam retiring them meanwhile has committed by then.
            let shown = try await itemsShownInTraining(in: queueID, sql)
            let current = try await goldAnswers(where: "id IN (\(binds: chunk.map(\.itemID)))", sql)
            let byID = Dictionary(current.map { ($0.itemID, $0) }, uniquingKeysWith: { first, _ in first })
            // An item that becomes gold before its final label leaves production for good: the queue counts it
            // apart, so that progress and backlog are over the items still to be labelled.
            let newlyGold = chunk.map(\.itemID).filter { byID[$0] == nil }
            if !newlyGold.isEmpty {
                let labelled = try await sql.raw("SELECT item_id FROM final_labels WHERE item_id IN (\(binds: newlyGold))").all()
                leftUnlabelled += newlyGold.count - labelled.count
            }
            for entry in chunk {
                let before = byID[entry.itemID]
                let rationale = entry.rationale?.trimmingBlanksAndNewlines.nilIfEmpty
                let state: GoldAnswer.State = shown.contains(entry.itemID) ? .retired : .active
                if let before, before.labels == entry.labels, before.rationale == rationale, before.state == state {
                    continue
                }
                try await sql.raw("""
                    UPDATE items SET gold_labels = \(bind: try Column.json(entry.labels)), gold_rationale = \(bind: rationale),
                                     gold_state = \(bind: state.rawValue), open_slots = 0
                    WHERE id = \(bind: entry.itemID)
                    """).run()
                events.append(
                    AuditEvent(
                        at: now, actorID: actor.id, action: .goldSet, entity: "item", entityID: String(entry.itemID),
                        queueID: queueID, before: before.map { goldValue($0.labels, $0.rationale, $0.state) },
                        after: goldValue(entry.labels, rationale, state),
                        reason: state == .retired ? "a training exam shows its answer: it stays retired" : nil))
            }
        }
        try await AuditLog.append(events, sql)
        try await QueueCounters.add([.goldItems: leftUnlabelled], to: queueID, sql)
        return events.count
    }

    private static func goldValue(_ labels: [String], _ rationale: String?, _ state: GoldAnswer.State) -> JSONValue {
        ["labels": .array(labels.map(JSONValue.string)), "rationale": rationale.map(JSONValue.string) ?? .null,
         "state": .string(state.rawValue)]
    }

    static func goldAnswers(where condition: SQLQueryString, limit: Int? = nil, _ sql: any SQLDatabase)
        async throws -> [GoldAnswer]
    {
        let limitClause: SQLQueryString = limit.map { " LIMIT \(literal: $0)" } ?? ""
        return try await sql.raw("""
            SELECT id, external_id, gold_labels, gold_rationale, gold_state FROM items
            WHERE \(condition) AND gold_state IS NOT NULL ORDER BY id\(limitClause)
            """).all().map { row in
            GoldAnswer(
                itemID: try row.int64("id"), itemExternalID: try row.string("external_id"),
                labels: try Column.strings(from: try row.string("gold_labels")),
                rationale: try row.optionalString("gold_rationale"),
                state: GoldAnswer.State(rawValue: try row.string("gold_state")) ?? .retired)
        }
    }

    // MARK: - Serving gold

    /// Leases a gold item of the queue that the person has never been given, or returns nil when none is left.
    ///
    /// Nor one they answered in an exam or a calibration session: both are made of gold items, and a training exam
    /// shows the reference (a session discusses it), so such an item would tell them it is gold and its answer.
    ///
    /// Gold items hold no places in the pool (their `open_slots` is 0), so nothing is claimed: the unique
    /// (item, annotator) key alone keeps each person to one answer per gold item. Each lease starts from a random
    /// point of the gold set and takes the first item after it the person has not had (wrapping around), so people
    /// meet gold in no shared order and neighbours cannot compare notes by position.
    ///
    /// Both looks walk the partial index of active gold from a point and stop at the first unseen item: the lease
    /// runs inside the writer's transaction, and ordering the whole gold set per lease (as a first version did, by
    /// a hash per person) held the writer for milliseconds with thousands of gold items.
    func leaseGold(in queue: Queue, for person: Person, now: Date, _ sql: any SQLDatabase) async throws -> Lease? {
        let filters = Self.eligibilityFilters(for: person)
        // The pivot is uniform over the active gold's id range (its two ends, each one index probe), so that every
        // gold item is as likely to start a person's look wherever the gold sits among the queue's items.
        var ends: [Int64] = []
        for direction in ["ASC", "DESC"] {
            guard let end = try await sql.raw("""
                SELECT id FROM items WHERE queue_id = \(bind: queue.id) AND gold_state = 'active'
                ORDER BY id \(unsafeRaw: direction) LIMIT 1
                """).first()?.int64("id")
            else { return nil }
            ends.append(end)
        }
        let pivot = chance.integer(in: ends[0]...ends[1])
        var found: Int64?
        // Gold whose prediction would auto-accept an ordinary item, or send it to an expert, is passed over
        // (``goldRoute(of:labels:confidence:content:in:now:_:)``), a few at most: past them, the person gets ordinary
        // work this time.
        var passedOver: [Int64] = []
        // Read once for every candidate (review routing weighs it), and only when it is needed.
        let peopleAccuracy = queue.assist.showPredictions && queue.assist.reviewRouting != nil
            ? try await Self.recentGoldAccuracy(of: queue, now: now, sql) : nil
        while found == nil, passedOver.count <= 20 {
            let skipped: SQLQueryString = passedOver.isEmpty ? "" : "AND i.id NOT IN (\(binds: passedOver))"
            var candidate: Int64?
            for range: SQLQueryString in ["i.id >= \(bind: pivot)", "i.id < \(bind: pivot)"] where candidate == nil {
                candidate = try await sql.raw("""
                    SELECT i.id FROM items i
                    WHERE i.queue_id = \(bind: queue.id) AND i.gold_state = 'active' AND \(range) \(skipped)
                      \(SQLList(filters, separator: SQLRaw(" ")))
                      AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.annotator_id = \(bind: person.id))
                      AND i.id NOT IN (SELECT e.item_id FROM exam_attempts t JOIN exam_answers e ON e.attempt_id = t.id
                                       WHERE t.person_id = \(bind: person.id))
                      AND i.id NOT IN (SELECT c.item_id FROM calibration_answers c WHERE c.person_id = \(bind: person.id))
                    ORDER BY i.id LIMIT 1
                    """).first()?.int64("id")
            }
            guard let candidate else { break }
            if try await isServableGold(candidate, in: queue, now: now, peopleAccuracy: peopleAccuracy, sql) { found = candidate } else { passedOver.append(candidate) }
        }
        guard let itemID = found else { return nil }
        guard let assignment = try await Self.insertLease(of: itemID, in: queue, for: person, now: now, sql) else {
            // A concurrent "next" of the same person won: hand back the lease they now hold.
            return try await Self.heldLease(in: queue.id, by: person.id, now: now, sql)
        }
        return Lease(assignment: assignment, item: try await Self.item(itemID, sql))
    }

    // MARK: - Scoring

    /// Records whether a judgment on a gold item matched the reference (and counts it in the gold confusion sums
    /// under the annotator's vendor), and moves the annotator's status if their running score calls for it
    /// (``GoldStanding``). Returns whether it matched; the caller adds the answer to the
    /// day's running sums with the judgment itself.
    @discardableResult
    static func scoreGoldAnswer(
        _ judgment: Judgment, reference: [String], by vendorID: UUID?, queue: Queue, now: Date, _ sql: any SQLDatabase
    ) async throws -> Bool {
        let correct = LabelMatch.isSame(judgment.labels, as: reference)
        try await sql.raw("""
            INSERT INTO gold_answers (judgment_id, queue_id, annotator_id, item_id, correct, answered_at_ms)
            VALUES (\(bind: judgment.id), \(bind: queue.id), \(bind: judgment.annotatorID), \(bind: judgment.itemID),
                    \(bind: correct), \(bind: Column.millis(now)))
            """).run()
        try await GoldConfusionRollup.add([
            GoldConfusionRollup.Key(
                queueID: queue.id, day: ActivityRollup.day(Column.millis(now)), vendorID: vendorID,
                reference: try Column.json(reference), given: try Column.json(judgment.labels)): 1,
        ], sql)
        guard queue.quality.minGoldAccuracy != nil else { return correct }
        try await updateStanding(of: judgment.annotatorID, in: queue, now: now, sql)
        return correct
    }

    /// Scores imported judgments (rows of `judgments`: id, item_id, annotator_id, labels, submitted_at_ms) that
    /// fall on gold items, each at its own submission time, then re-checks the standing of everyone scored.
    /// Returns the gold items among them, which must not get final labels.
    static func scoreImportedGoldAnswers(
        _ judgments: [any SQLRow], queue: Queue, now: Date, _ sql: any SQLDatabase
    ) async throws -> Set<Int64> {
        let itemIDs = Array(Set(try judgments.map { try $0.int64("item_id") })).sorted()
        var reference: [Int64: [String]] = [:]
        var markets: [Int64: String] = [:]
        for chunk in itemIDs.chunks() {
            for row in try await sql.raw("""
                SELECT id, gold_labels, market FROM items WHERE id IN (\(binds: chunk)) AND gold_labels IS NOT NULL
                """).all() {
                reference[try row.int64("id")] = try Column.strings(from: try row.string("gold_labels"))
                markets[try row.int64("id")] = try row.optionalString("market") ?? ""
            }
        }
        guard !reference.isEmpty else { return [] }
        var answers: [SQLQueryString] = []
        var scored: Set<UUID> = []
        var rollup: [ActivityRollup.Key: ActivityRollup.Change] = [:]
        for row in judgments {
            guard let gold = reference[try row.int64("item_id")] else { continue }
            let annotator = try row.uuid("annotator_id")
            let correct = LabelMatch.isSame(try Column.strings(from: try row.string("labels")), as: gold)
            answers.append("""
                (\(bind: try row.int64("id")), \(bind: queue.id), \(bind: annotator), \(bind: try row.int64("item_id")),
                 \(bind: correct), \(bind: try row.int64("submitted_at_ms")))
                """)
            scored.insert(annotator)
            let key = ActivityRollup.Key(
                queueID: queue.id, day: ActivityRollup.day(try row.int64("submitted_at_ms")), annotatorID: annotator,
                market: markets[try row.int64("item_id")] ?? "")
            rollup[key, default: .init()].goldAnswered += 1
            rollup[key, default: .init()].goldCorrect += correct ? 1 : 0
        }
        try await ActivityRollup.add(rollup, sql)
        try await GoldConfusionRollup.add(try await confusion(of: judgments, reference: reference, queue: queue, sql), sql)
        for chunk in answers.chunks() {
            try await sql.raw("""
                INSERT INTO gold_answers (judgment_id, queue_id, annotator_id, item_id, correct, answered_at_ms)
                VALUES \(SQLList(chunk))
                """).run()
        }
        if queue.quality.minGoldAccuracy != nil {
            for annotator in scored.sorted(by: { $0.uuidString < $1.uuidString }) {
                try await updateStanding(of: annotator, in: queue, now: now, sql)
            }
        }
        return Set(reference.keys)
    }

    /// The gold confusion counts of imported judgments on gold items, under their annotators' vendors.
    private static func confusion(
        of judgments: [any SQLRow], reference: [Int64: [String]], queue: Queue, _ sql: any SQLDatabase
    ) async throws -> [GoldConfusionRollup.Key: Int] {
        let annotators = Array(Set(try judgments.compactMap { row -> UUID? in
            reference[try row.int64("item_id")] == nil ? nil : try row.uuid("annotator_id")
        }))
        var vendors: [UUID: UUID] = [:]
        for chunk in annotators.chunks() {
            for row in try await sql.raw("""
                SELECT id, vendor_id FROM people
                WHERE id IN (\(binds: chunk))
                """).all() {
                if let vendor = try row.optionalUUID("vendor_id") { vendors[try row.uuid("id")] = vendor }
            }
        }
        var counts: [GoldConfusionRollup.Key: Int] = [:]
        for row in judgments {
            guard let gold = reference[try row.int64("item_id")] else { continue }
            let key = GoldConfusionRollup.Key(
                queueID: queue.id, day: ActivityRollup.day(try row.int64("submitted_at_ms")),
                vendorID: vendors[try row.uuid("annotator_id")], reference: try Column.json(gold),
                given: try row.string("labels"))
            counts[key, default: 0] += 1
        }
        return counts
    }

    /// Applies ``GoldStanding`` to the annotator's current score, changing and logging their status if it calls
    /// for a change.
    static func updateStanding(of annotatorID: UUID, in queue: Queue, now: Date, _ sql: any SQLDatabase) async throws {
        let score = try await recentGoldScore(of: annotatorID, in: queue, sql)
        let current = try await memberStatus(of: annotatorID, in: queue.id, sql)
        let next = GoldStanding.status(after: score, settings: queue.quality, current: current.status)
        guard next != current.status else { return }
        try await changeStatus(
            of: annotatorID, in: queue.id, from: current.status, to: next,
            reason: GoldStanding.reason(for: score, settings: queue.quality), by: nil, now: now, sql)
    }

    /// The annotator's score over their last `gold_window` gold answers in the queue.
    static func recentGoldScore(of annotatorID: UUID, in queue: Queue, _ sql: any SQLDatabase) async throws -> GoldScore {
        let row = try await sql.raw("""
            SELECT COUNT(*) AS answered, CAST(COALESCE(SUM(CASE WHEN correct THEN 1 ELSE 0 END), 0) AS BIGINT) AS correct
            FROM (SELECT correct FROM gold_answers
                  WHERE queue_id = \(bind: queue.id) AND annotator_id = \(bind: annotatorID)
                  ORDER BY answered_at_ms DESC, judgment_id DESC LIMIT \(literal: queue.quality.goldWindow)) recent
            """).first()!
        return GoldScore(answered: try row.int("answered"), correct: try row.int("correct"))
    }

    // MARK: - Scores report

    /// Every annotator with gold answers or QA reviews in the queue: their status, their running gold accuracy
    /// and their QA score (the share of their judgments reviewed in the score's sample found correct, see
    /// ``QASampling``), each with its 95% Wilson
    /// interval, over their last `window` answers or reviews (the queue's `gold_window` by default), counting
    /// only those since `since` when given. `vendorID` keeps to one vendor's people (a vendor lead's view), whose
    /// gold answers count up to the start of `now`'s UTC day (``Store/vendorGoldCutoff(now:)``).
    public func scores(
        in queue: Queue, window: Int? = nil, since: Date? = nil, vendorID: UUID? = nil, now: Date = Date()
    ) async throws -> [AnnotatorScore] {
        let window = window ?? queue.quality.goldWindow
        var goldSince: SQLQueryString = since.map { "AND answered_at_ms >= \(bind: Column.millis($0))" } ?? ""
        if vendorID != nil {
            goldSince = "\(goldSince) AND answered_at_ms < \(bind: Column.millis(Self.vendorGoldCutoff(now: now)))"
        }
        let reviewSince: SQLQueryString = since.map { "AND reviewed_at_ms >= \(bind: Column.millis($0))" } ?? ""
        let vendorFilter: SQLQueryString = vendorID.map { "WHERE p.vendor_id = \(bind: $0)" } ?? ""
        return try await sql().raw("""
            WITH gold AS (
                SELECT annotator_id, COUNT(*) AS answered, CAST(SUM(CASE WHEN correct THEN 1 ELSE 0 END) AS BIGINT) AS correct
                FROM (SELECT annotator_id, correct,
                             ROW_NUMBER() OVER (PARTITION BY annotator_id ORDER BY answered_at_ms DESC, judgment_id DESC) AS recency
                      FROM gold_answers WHERE queue_id = \(bind: queue.id) \(goldSince)) ranked
                WHERE recency <= \(literal: window) GROUP BY annotator_id),
            qa AS (
                SELECT annotator_id, COUNT(*) AS answered, CAST(SUM(CASE WHEN correct THEN 1 ELSE 0 END) AS BIGINT) AS correct
                FROM (SELECT annotator_id, correct,
                             ROW_NUMBER() OVER (PARTITION BY annotator_id ORDER BY reviewed_at_ms DESC, id DESC) AS recency
                      FROM qa_reviews WHERE queue_id = \(bind: queue.id) AND state = 'done' AND in_score \(reviewSince)) ranked
                WHERE recency <= \(literal: window) GROUP BY annotator_id),
            scored AS (SELECT annotator_id FROM gold UNION SELECT annotator_id FROM qa)
            SELECT p.id, p.external_id, p.name, p.vendor_id, p.team_id, COALESCE(m.status, 'active') AS status,
                   COALESCE(g.answered, 0) AS gold_answered, COALESCE(g.correct, 0) AS gold_correct,
                   COALESCE(q.answered, 0) AS qa_reviewed, COALESCE(q.correct, 0) AS qa_correct
            FROM scored s
            JOIN people p ON p.id = s.annotator_id
            LEFT JOIN gold g ON g.annotator_id = s.annotator_id
            LEFT JOIN qa q ON q.annotator_id = s.annotator_id
            LEFT JOIN queue_members m ON m.queue_id = \(bind: queue.id) AND m.annotator_id = p.id
            \(vendorFilter)
            ORDER BY p.name\(unsafeRaw: backend.bytewise), p.id
            """).all().map { row in
            AnnotatorScore(
                annotatorID: try row.uuid("id"), externalID: try row.string("external_id"), name: try row.string("name"),
                vendorID: try row.optionalUUID("vendor_id"), teamID: try row.optionalUUID("team_id"),
                status: MemberStatus(rawValue: try row.string("status")) ?? .active,
                gold: GoldScore(answered: try row.int("gold_answered"), correct: try row.int("gold_correct")),
                qa: GoldScore(answered: try row.int("qa_reviewed"), correct: try row.int("qa_correct")))
        }
    }
}

extension String {
    /// nil for the empty string.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension Store {
    /// The queue's gold-set health (``GoldHealth``): coverage, worn-out and disputed items, suspected leaks.
    ///
    /// `vendorID` makes it a vendor lead's view: the suspected leaks among that vendor's people, and no gold items
    /// (worn-out and disputed stay empty). Which items are gold is not a lead's to know: they could pass it on.
    public func goldHealth(of queue: Queue, vendorID: UUID? = nil, now: Date = Date()) async throws -> GoldHealth {
        let sql = try sql()
        var labelCounts: [String: Int] = [:]
        var marketCounts: [String: Int] = [:]
        var active = 0
        var retired = 0
        for row in try await sql.raw("""
            SELECT gold_labels, gold_state, market FROM items WHERE queue_id = \(bind: queue.id) AND gold_state IS NOT NULL
            """).all() {
            guard try row.string("gold_state") == GoldAnswer.State.active.rawValue else {
                retired += 1
                continue
            }
            active += 1
            for label in try Column.strings(from: try row.string("gold_labels")) { labelCounts[label, default: 0] += 1 }
            marketCounts[try row.optionalString("market") ?? "any", default: 0] += 1
        }
        var overexposed: [GoldHealth.ItemUse] = []
        var disputed: [GoldHealth.ItemUse] = []
        if vendorID == nil {
            for row in try await sql.raw("""
                SELECT item_id, COUNT(*) AS answers, CAST(SUM(CASE WHEN correct THEN 1 ELSE 0 END) AS BIGINT) AS correct
                FROM gold_answers WHERE queue_id = \(bind: queue.id) GROUP BY item_id ORDER BY item_id
                """).all() {
                let answers = try row.int("answers")
                let use = GoldHealth.ItemUse(
                    itemID: try row.int64("item_id"), answers: answers, accuracy: Double(try row.int("correct")) / Double(answers))
                if use.isOverexposed { overexposed.append(use) }
                if use.isDisputed { disputed.append(use) }
            }
        }
        let vendorFilter: SQLQueryString = vendorID.map { "AND p.vendor_id = \(bind: $0)" } ?? ""
        // A lead's gold figures stop at the end of yesterday, as everywhere (``Store/vendorGoldCutoff(now:)``).
        let goldCutoff: SQLQueryString = vendorID == nil ? "" : "AND g.answered_at_ms < \(bind: Column.millis(Self.vendorGoldCutoff(now: now)))"
        var gold: [UUID: (answers: Int, correct: Int)] = [:]
        for row in try await sql.raw("""
            SELECT g.annotator_id, COUNT(*) AS answers, CAST(SUM(CASE WHEN g.correct THEN 1 ELSE 0 END) AS BIGINT) AS correct
            FROM gold_answers g JOIN people p ON p.id = g.annotator_id
            WHERE g.queue_id = \(bind: queue.id) \(vendorFilter) \(goldCutoff) GROUP BY g.annotator_id
            """).all() {
            gold[try row.uuid("annotator_id")] = (try row.int("answers"), try row.int("correct"))
        }
        var leaks: [GoldHealth.SuspectedLeak] = []
        // Only people with enough gold answers can be suspected, so only their judgments are read: the query reads
        // every judgment it is given (2.3 s on a 1M-judgment queue without gold, where nobody qualifies).
        let candidates = gold.filter { $0.value.answers >= GoldHealth.leakMinimumAnswers }.keys.sorted { $0.uuidString < $1.uuidString }
        var agreementRows: [any SQLRow] = []
        for chunk in candidates.chunks() {
            agreementRows += try await sql.raw("""
                SELECT j.annotator_id, p.external_id, COUNT(*) AS judged,
                       CAST(SUM(CASE WHEN j.labels = f.labels THEN 1 ELSE 0 END) AS BIGINT) AS agreed
                FROM judgments j JOIN final_labels f ON f.item_id = j.item_id JOIN people p ON p.id = j.annotator_id
                WHERE j.queue_id = \(bind: queue.id) AND j.annotator_id IN (\(binds: chunk)) AND f.labels IS NOT NULL \(vendorFilter)
                GROUP BY j.annotator_id, p.external_id
                """).all()
        }
        for row in agreementRows {
            let annotator = try row.uuid("annotator_id")
            guard let scored = gold[annotator] else { continue }
            if let leak = GoldHealth.SuspectedLeak(
                annotatorID: annotator, externalID: try row.string("external_id"), goldAnswers: scored.answers,
                goldCorrect: scored.correct, ordinaryJudgments: try row.int("judged"), agreed: try row.int("agreed"))
            {
                leaks.append(leak)
            }
        }
        return GoldHealth(
            activeItems: active, retiredItems: retired,
            labels: queue.schema.codes.map { GoldHealth.Count(key: $0, active: labelCounts[$0] ?? 0) },
            markets: marketCounts.keys.sorted().map { GoldHealth.Count(key: $0, active: marketCounts[$0]!) },
            uncoveredLabels: queue.schema.codes.filter { labelCounts[$0] == nil }, overexposed: overexposed,
            disputed: disputed, suspectedLeaks: leaks.sorted { $0.externalID < $1.externalID })
    }
}
