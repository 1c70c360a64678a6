import AssayCore
import Foundation
import SQLKit

/// An item handed to an annotator, with the assignment to submit or skip it through.
public struct Lease: Codable, Sendable, Equatable {
    /// The assignment (its id is what submit and skip take).
    public var assignment: Assignment
    /// The item to label.
    public var item: Item
    /// The queue's predictor's suggestion for the item, when the queue shows suggestions and has one.
    public var suggestion: Suggestion?

    /// Makes a lease value.
    public init(assignment: Assignment, item: Item, suggestion: Suggestion? = nil) {
        self.assignment = assignment
        self.item = item
        self.suggestion = suggestion
    }
}

/// What a submit did: the judgment stored (or found, for a repeated submit) and the item's final label if
/// this judgment completed it.
public struct SubmitOutcome: Sendable, Equatable {
    /// The judgment.
    public var judgment: Judgment
    /// Whether this was a repeat of an earlier submit that changed nothing.
    public var isReplay: Bool
    /// The item's final label, once the overlap is met.
    public var finalLabel: FinalLabel?
}

extension Store {
    /// Hands the next item of a queue to a person, or returns `nil` when nothing is available to them.
    ///
    /// A person who still holds an unexpired lease in the queue gets that lease back. Otherwise the item is the
    /// first, in the queue's order, that has an open slot, matches the person's languages and markets, and was
    /// never assigned to them. The slot is taken by a conditional update (`open_slots > 0`), so concurrent
    /// callers, in one process or many, never lease an item beyond its overlap.
    ///
    /// - Throws: ``AssayError/busy(_:)`` when open items were there and others claimed every one the person may take
    ///   first, look after look (a moment of contention, not "nothing left").
    ///
    /// Call ``Eligibility/requireCanWork(_:on:)`` first: this method does not check the queue-level rule.
    public func leaseNextItem(in queue: Queue, for person: Person, now: Date) async throws -> Lease? {
        try await transaction { sql in
            try await self.requireMayTakeWork(person, in: queue, now: now, sql)
            return try await self.withSuggestion(try await self.takeLease(in: queue, for: person, now: now, sql), in: queue, sql)
        }
    }

    /// The checks that come before any lease: not suspended, qualified when the queue asks it, under the day's
    /// exposure limit.
    private func requireMayTakeWork(_ person: Person, in queue: Queue, now: Date, _ sql: any SQLDatabase) async throws {
        try await Self.requireNotSuspended(person, from: queue, sql)
        try await Self.requireQualified(person, for: queue, now: now, sql)
        try await requireUnderExposureLimit(person, in: queue, now: now, sql)
    }

    /// Whether the person's languages or markets may exclude items of the queue, so that finding their next item
    /// may read past many others. Not when the person has no restriction, nor when every language and market the
    /// queue takes passes their filters (as the lease query applies them): then every item matches (the usual
    /// case, and the annotator loop's).
    static func mayPassOverItems(of queue: Queue, for person: Person) -> Bool {
        var languages = false
        if let match = Eligibility.languages(of: person) {
            // A queue language is wholly theirs when they take it and every variant of it (a `pt` queue may hold
            // `pt-PT` items, which a `pt-BR` reviewer does not take).
            languages = queue.languages.isEmpty
                || !queue.languages.allSatisfy { code in match.variantsOf.contains { code == $0 || code.hasPrefix($0 + "-") } }
        }
        let markets = !person.markets.isEmpty && (queue.markets.isEmpty || !Set(queue.markets).isSubset(of: person.markets))
        return languages || markets
    }

    /// The lease ``leaseNextItem(in:for:now:)`` hands out, inside its transaction: the one held, a gold item, or
    /// the next item with an open slot.
    private func takeLease(in queue: Queue, for person: Person, now: Date, _ sql: any SQLDatabase) async throws -> Lease? {
        if let held = try await Self.heldLease(in: queue.id, by: person.id, now: now, sql) { return held }
        // At the queue's gold rate, a gold item the person has not seen comes first, when one is left.
        var goldDrawn = queue.quality.goldRate > 0 && chance.uniform() < queue.quality.goldRate
        var reclaimed = false
        for round in 1...Self.claimRounds {
            let candidates = try await self.nextCandidates(in: queue, for: person, round: round, sql)
            guard !candidates.ids.isEmpty else {
                // Before answering "nothing left", give back the slots of leases that ran out and look again.
                // Look again even if this call reclaimed nothing: the sweeper may have just freed a slot that
                // the first look (an earlier snapshot, on PostgreSQL) could not see.
                if !reclaimed {
                    reclaimed = true
                    try await Self.reclaimExpiredLeases(in: queue.id, now: now, backend: self.backend, sql)
                    continue
                }
                return nil
            }
            // Gold only while ordinary work is left for the person: an item that came after "nothing left" would be
            // known for gold.
            if goldDrawn {
                goldDrawn = false
                if let gold = try await self.leaseGold(in: queue, for: person, now: now, sql) { return gold }
            }
            // The last round waits for the first candidate, as a batch (an import, a re-estimate) can hold many
            // items for seconds: passing over them for ever would answer "busy" for the batch's whole length.
            let waiting = round == Self.claimRounds
            if let lease = try await claim(candidates, waitingForTheFirst: waiting, in: queue, for: person, now: now, sql) {
                return lease
            }
        }
        // Open items were there at every look, and others took each one first: not "nothing left" (a client would
        // stop), but a moment of contention worth another try.
        throw AssayError.busy("every open item this person may take was being claimed by others; try again in a second")
    }

    /// How many times a lease looks for open items and tries to claim one before giving up.
    static let claimRounds = 12

    /// Takes a slot of the first candidate that has one and leases it to the person: nil when others took every
    /// candidate's slots first, or the item was theirs once already. A lease of theirs that came first (a second
    /// "next" at once) is handed back.
    ///
    /// The candidates of a place search (whose probes lock nothing) are claimed in one statement that passes over
    /// items another transaction is claiming (`SKIP LOCKED`, on PostgreSQL): waiting on each in turn, every caller
    /// but the first few lost the same item, then the next one, and ran out of tries while hundreds were open. With
    /// `waitingForTheFirst`, or a single candidate (the whole-queue search's, locked already), the first candidate
    /// is claimed once its lock is free.
    private func claim(
        _ candidates: Candidates, waitingForTheFirst: Bool, in queue: Queue, for person: Person, now: Date,
        _ sql: any SQLDatabase
    ) async throws -> Lease? {
        let claimed: (any SQLRow)?
        if candidates.ids.count == 1 || waitingForTheFirst {
            claimed = try await sql.raw("""
                UPDATE items SET open_slots = open_slots - 1 WHERE id = \(bind: candidates.ids[0]) AND open_slots > 0
                RETURNING \(unsafeRaw: Self.itemColumns)
                """).first()
        } else {
            claimed = try await sql.raw("""
                UPDATE items SET open_slots = open_slots - 1
                WHERE id = (SELECT i.id FROM items i WHERE i.id IN (\(binds: candidates.ids)) AND i.open_slots > 0
                            ORDER BY \(unsafeRaw: candidates.order.orderBy("i.")) LIMIT 1\(unsafeRaw: backend.claimLock))
                  AND open_slots > 0
                RETURNING \(unsafeRaw: Self.itemColumns)
                """).first()
        }
        guard let claimed else { return nil }
        let item = try Self.item(from: claimed)
        guard let assignment = try await Self.insertLease(of: item.id, in: queue, for: person, now: now, sql) else {
            try await Self.returnSlots(1, to: item.id, sql)
            return try await Self.heldLease(in: queue.id, by: person.id, now: now, sql)
        }
        return Lease(assignment: assignment, item: item)
    }

    /// Records a lease of an item to a person, expiring after the queue's lease time; nil when the person already
    /// holds one in the queue. The partial unique index (one live lease per person and queue) makes a concurrent
    /// second "next" of the same person a no-op here: the caller hands back the lease they hold instead.
    static func insertLease(
        of itemID: Int64, in queue: Queue, for person: Person, now: Date, _ sql: any SQLDatabase
    ) async throws -> Assignment? {
        let expires = now.addingTimeInterval(TimeInterval(queue.leaseSeconds))
        guard let row = try await sql.raw("""
            INSERT INTO assignments (item_id, queue_id, annotator_id, state, leased_at_ms, expires_at_ms)
            VALUES (\(bind: itemID), \(bind: queue.id), \(bind: person.id), 'leased', \(bind: Column.millis(now)),
                    \(bind: Column.millis(expires)))
            ON CONFLICT DO NOTHING RETURNING id
            """).first()
        else { return nil }
        return Assignment(
            id: try row.int64("id"), itemID: itemID, queueID: queue.id, annotatorID: person.id, state: .leased,
            leasedAt: now, expiresAt: expires)
    }

    /// Records a judgment on an assignment and, when it completes the item, its final label.
    ///
    /// Idempotent: a second submit with the same `client_key`, or on an already submitted assignment, returns the
    /// first judgment and changes nothing. A submit after the lease was reclaimed succeeds only if the item still
    /// has an open slot.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` for an assignment that is not the person's;
    ///   ``AssayError/invalidInput(field:line:reason:)`` for labels the schema rejects;
    ///   ``AssayError/conflict(_:)`` for a skipped assignment, or an expired one whose slot was taken.
    public func submitJudgment(
        _ submission: JudgmentSubmission, on assignmentID: Int64, by person: Person, now: Date
    ) async throws -> SubmitOutcome {
        try await transaction { sql in
            // The common case, the person's live lease, takes one statement that both checks and marks it.
            // Anything else (a repeat, a skipped or expired lease, someone else's id) goes the long way below.
            if let row = try await sql.raw("""
                UPDATE assignments SET state = 'submitted'
                WHERE id = \(bind: assignmentID) AND annotator_id = \(bind: person.id) AND state = 'leased'
                RETURNING \(unsafeRaw: Self.assignmentColumns)
                """).first()
            {
                var assignment = try Self.assignment(from: row)
                assignment.state = .leased  // as it was; RETURNING gives the new state
                try await Self.requireUnused(submission.clientKey, by: person.id, sql)
                let queue = try await self.queue(id: assignment.queueID, sql)
                let valid = try submission.validated(against: queue.schema)
                return try await self.record(valid, on: assignment, by: person.vendorID, queue: queue, now: now, sql)
            }
            let assignment = try await Self.assignment(assignmentID, of: person.id, lock: self.forUpdate, sql)
            if assignment.state != .submitted { try await Self.requireUnused(submission.clientKey, by: person.id, sql) }
            let queue = try await self.queue(id: assignment.queueID, sql)
            let valid = try submission.validated(against: queue.schema)
            switch assignment.state {
            case .submitted:
                let earlier = try await Self.judgment(item: assignment.itemID, annotator: person.id, sql)
                return SubmitOutcome(judgment: earlier, isReplay: true, finalLabel: nil)
            case .skipped:
                throw AssayError.conflict("assignment \(assignmentID) was skipped; ask for the next item instead")
            case .expired:
                // A late answer takes its place back if one is still open. A gold item has no places (it is served
                // outside the pool), so a late answer on one is simply taken.
                let regained = try await sql.raw("""
                    UPDATE items SET open_slots = open_slots - 1
                    WHERE id = \(bind: assignment.itemID) AND open_slots > 0 AND gold_state IS NULL
                    RETURNING id
                    """).first()
                var isGold = false
                if regained == nil {
                    isGold = try await sql.raw("""
                        SELECT id FROM items WHERE id = \(bind: assignment.itemID) AND gold_state IS NOT NULL
                        """).first() != nil
                }
                guard regained != nil || isGold else {
                    throw AssayError.conflict("the lease on assignment \(assignmentID) expired and the item went to someone else")
                }
            case .leased:
                break  // taken by the conditional update above unless it raced with a sweep; mark it here
            }
            try await sql.raw("UPDATE assignments SET state = 'submitted' WHERE id = \(bind: assignmentID)").run()
            return try await self.record(valid, on: assignment, by: person.vendorID, queue: queue, now: now, sql)
        }
    }

    /// A client key names one judgment: reusing it on another assignment is a client bug, reported as a conflict.
    private static func requireUnused(_ clientKey: String?, by personID: UUID, _ sql: any SQLDatabase) async throws {
        guard let key = clientKey, let earlier = try await judgment(annotator: personID, clientKey: key, sql) else { return }
        throw AssayError.conflict(
            "client_key '\(key)' was already used for judgment \(earlier.id) on another assignment; use a new key")
    }

    /// Stores the judgment of an assignment just marked submitted, counts it on its item, and refreshes the
    /// item's final label and the queue's counters.
    private func record(
        _ submission: JudgmentSubmission, on assignment: Assignment, by vendorID: UUID?, queue: Queue, now: Date,
        _ sql: any SQLDatabase
    ) async throws -> SubmitOutcome {
        let judgment = try await Self.insertJudgment(submission, for: assignment, startedAt: assignment.leasedAt, now: now, sql)
        let item = try await sql.raw("""
            UPDATE items SET judgment_count = judgment_count + 1 WHERE id = \(bind: assignment.itemID)
            RETURNING judgment_count, external_id, gold_labels, market, imported_at_ms, required_judgments
            """).first()!
        let exposed = Self.exposure(to: judgment.labels, of: queue, by: judgment.annotatorID, at: Column.millis(now))
        if !exposed.isEmpty { try await Self.recordExposure(Dictionary(exposed.map { ($0, 1) }, uniquingKeysWith: +), sql) }
        // The day's running sums get the judgment, and for a gold item its score, in one statement.
        var activity = ActivityRollup.Change(judgments: 1, timed: 1, timeSpentMs: judgment.timeSpentMs)
        if let reference = try item.optionalString("gold_labels") {
            // A gold item's judgment scores the annotator; it never makes a final label.
            let correct = try await Self.scoreGoldAnswer(
                judgment, reference: try Column.strings(from: reference), by: vendorID, queue: queue, now: now, sql)
            activity.goldAnswered = 1
            activity.goldCorrect = correct ? 1 : 0
            try await ActivityRollup.add(
                activity, queueID: queue.id, annotatorID: judgment.annotatorID, market: try item.optionalString("market"),
                at: Column.millis(now), sql)
            try await QueueCounters.add([.judgments: 1], to: queue.id, sql)
            return SubmitOutcome(judgment: judgment, isReplay: false, finalLabel: nil)
        }
        try await ActivityRollup.add(
                activity, queueID: queue.id, annotatorID: judgment.annotatorID, market: try item.optionalString("market"),
                at: Column.millis(now), sql)
        var counters: QueueCounters.Changes = [.judgments: 1]
        let judged = try FinalLabels.Judged(assignment.itemID, item)
        let final = try await FinalLabels.refresh([judged], queue: queue, now: now, counters: &counters, sql).first
        try await QueueCounters.add(counters, to: queue.id, sql)
        if let final { try await Self.sampleForQA(final, queue: queue, now: now, chance: chance, sql) }
        return SubmitOutcome(judgment: judgment, isReplay: false, finalLabel: final)
    }

    /// Gives an item back without judging it; the person will not be offered it again.
    ///
    /// Skipping twice is harmless, and so is skipping a lease that expired: its item went back to the pool when
    /// it was reclaimed, so neither is counted again. - Throws: ``AssayError/conflict(_:)`` for a submitted
    /// assignment.
    public func skip(_ assignmentID: Int64, by person: Person, now: Date) async throws {
        try await transaction { sql in
            _ = try await self.release(assignmentID, by: person, sql)
        }
    }

    /// Gives an item back as ``skip(_:by:now:)`` does and asks a policy expert about it: an arbitration case with
    /// reason `escalated` and the person's note opens for the item (unless one is open already, which then
    /// stands). Logged as `item.escalated`.
    ///
    /// Only a lease the person still holds can be escalated: an item skipped or let expire may have been decided
    /// by others since, and reopening it would be an appeal, which is not an annotator's to make.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` without a note or with one over 2,000 characters;
    ///   ``AssayError/conflict(_:)`` for an assignment submitted, skipped or expired; as `skip` for someone else's.
    public func escalate(_ assignmentID: Int64, note: String, by person: Person, now: Date) async throws -> ArbitrationCase {
        let note = note.trimmingBlanksAndNewlines
        guard !note.isEmpty, note.count <= 2_000 else {
            throw AssayError.invalidInput(field: "note", line: nil, reason: "say in 1 to 2000 characters why an expert should look")
        }
        return try await transaction { sql in
            let (assignment, released) = try await self.release(assignmentID, by: person, sql)
            guard released else {
                throw AssayError.conflict(
                    assignment.state == .skipped
                        ? "assignment \(assignmentID) was skipped: only an item you hold can be escalated"
                        : "the lease on assignment \(assignmentID) expired: only an item you hold can be escalated")
            }
            // Decided meanwhile (others' judgments, an arbitrator): reopening it would be an appeal.
            if try await sql.raw("""
                SELECT item_id FROM final_labels WHERE item_id = \(bind: assignment.itemID) AND provenance <> 'unresolved'
                """).first() != nil
            {
                throw AssayError.conflict(
                    "item of assignment \(assignmentID) was decided meanwhile; skip it, or ask an analyst to appeal its label")
            }
            let opened = try await sql.raw("""
                INSERT INTO arbitration_cases (queue_id, item_id, reason, note, state, opened_at_ms, opened_by)
                VALUES (\(bind: assignment.queueID), \(bind: assignment.itemID), 'escalated', \(bind: note), 'open',
                        \(bind: Column.millis(now)), \(bind: person.id))
                ON CONFLICT DO NOTHING RETURNING \(unsafeRaw: Self.caseColumns)
                """).first()
            let found: ArbitrationCase
            if let opened {
                found = try Self.arbitrationCase(from: opened)
            } else {
                let open = try await sql.raw("""
                    SELECT id FROM arbitration_cases WHERE item_id = \(bind: assignment.itemID) AND state = 'open'
                    """).first()!.int64("id")
                found = try await Self.arbitrationCase(open, sql)
            }
            try await AuditLog.append([
                AuditEvent(
                    at: now, actorID: person.id, action: .itemEscalated, entity: "item",
                    entityID: String(assignment.itemID), queueID: assignment.queueID, vendorID: person.vendorID,
                    before: nil, after: nil, reason: note)
            ], sql)
            return found
        }
    }

    /// Marks a person's lease skipped and gives its slot back; returns the assignment as it was, and whether this
    /// released it. An assignment skipped before, or expired (its slot went back when the lease was reclaimed), has
    /// nothing left to give back, and is neither changed nor counted.
    private func release(_ assignmentID: Int64, by person: Person, _ sql: any SQLDatabase) async throws
        -> (assignment: Assignment, released: Bool)
    {
        let assignment = try await Self.assignment(assignmentID, of: person.id, lock: forUpdate, sql)
        switch assignment.state {
        case .skipped, .expired:
            return (assignment, false)
        case .submitted:
            throw AssayError.conflict("assignment \(assignmentID) was already submitted")
        case .leased:
            try await Self.returnSlots(1, to: assignment.itemID, sql)
        }
        try await sql.raw("UPDATE assignments SET state = 'skipped' WHERE id = \(bind: assignmentID)").run()
        try await QueueCounters.add([.skips: 1], to: assignment.queueID, sql)
        return (assignment, true)
    }

    /// Returns the slots of every lease that has run out to the pool; the server calls this periodically.
    ///
    /// - Returns: how many leases were reclaimed.
    @discardableResult
    public func reclaimExpiredLeases(now: Date) async throws -> Int {
        try await transaction { sql in try await Self.reclaimExpiredLeases(in: nil, now: now, backend: self.backend, sql) }
    }

    /// Marks expired leases and frees their slots. Each lease flips from `leased` to `expired` in one
    /// conditional UPDATE, so concurrent reclaimers free each slot exactly once.
    @discardableResult
    static func reclaimExpiredLeases(in queueID: UUID?, now: Date, backend: Backend, _ sql: any SQLDatabase)
        async throws -> Int
    {
        let queueFilter: SQLQueryString = queueID.map { "AND queue_id = \(bind: $0)" } ?? ""
        // Rows are locked in id order and locked ones skipped, so two reclaimers (the sweeper of each process,
        // a "next" that found nothing) neither deadlock nor free a slot twice.
        let rows = try await sql.raw("""
            UPDATE assignments SET state = 'expired'
            WHERE id IN (SELECT id FROM assignments
                         WHERE state = 'leased' AND expires_at_ms <= \(bind: Column.millis(now)) \(queueFilter)
                         ORDER BY id\(unsafeRaw: backend.skipLocked))
              AND state = 'leased'
            RETURNING item_id
            """).all()
        var freed: [Int64: Int] = [:]
        for row in rows { freed[try row.int64("item_id"), default: 0] += 1 }
        for (itemID, slots) in freed.sorted(by: { $0.key < $1.key }) {
            try await returnSlots(slots, to: itemID, sql)
        }
        return rows.count
    }

    // MARK: - Pieces

    /// Gives `count` places on an item back to the pool (a lease skipped or run out). A gold item has no places:
    /// it is served outside the pool, so it never re-enters production this way.
    static func returnSlots(_ count: Int, to itemID: Int64, _ sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE items SET open_slots = open_slots + \(bind: count) WHERE id = \(bind: itemID) AND gold_state IS NULL
            """).run()
    }

    /// Conditions on items (aliased `i`) that keep to the person's languages and markets.
    static func eligibilityFilters(for person: Person) -> [SQLQueryString] {
        var filters: [SQLQueryString] = []
        if let languages = Eligibility.languages(of: person) {
            // Codes are stored normalised (`pt-BR`), so the comparison is exact on both backends; the prefix is
            // compared with substr, not LIKE, whose case rules differ between them.
            var match: [SQLQueryString] = ["i.language IN (\(binds: languages.exactly))"]
            for code in languages.variantsOf {
                match.append("substr(i.language, 1, \(literal: code.count + 1)) = \(bind: code + "-")")
            }
            filters.append("AND (i.language IS NULL OR \(SQLList(match, separator: SQLRaw(" OR "))))")
        }
        if let markets = Eligibility.marketFilter(for: person) {
            filters.append("AND (i.market IS NULL OR i.market IN (\(binds: markets)))")
        }
        return filters
    }

    private func nextCandidates(in queue: Queue, for person: Person, round: Int, _ sql: any SQLDatabase) async throws
        -> Candidates
    {
        let places = try await placesTaken(in: queue, by: person, sql)
        // Each round that lost every candidate to others reads twice as far down the order: past a batch that holds
        // hundreds of items (an import, a re-estimate) in a few rounds.
        let count = Self.candidatesPerRound << min(round - 1, 9)
        func first(_ order: OpenItemOrder) async throws -> Candidates {
            Candidates(ids: try await firstOpenItems(count, in: queue, for: person, places: places, order: order, sql), order: order)
        }
        switch queue.ordering {
        case .priority: return try await first(.priority)
        case .oldest: return try await first(.oldest)
        case .newest: return try await first(.newest)
        case .uncertainty:
            // Scored items (0 or more) first, most uncertain first; then unscored ones (−1), oldest first. Each
            // half is an index range scan: only scored items are in the uncertainty indexes (migration 037).
            let scored = try await first(.mostUncertain)
            return scored.ids.isEmpty ? try await first(.unscored) : scored
        }
    }

    /// Open items a person may take, in the queue's order, to claim the first of that has a slot left.
    struct Candidates {
        var ids: [Int64]
        var order: OpenItemOrder
    }

    /// How many items a place search offers in its first round; each later round offers twice as many, up to 4,096.
    /// A search over the whole queue offers one, locked.
    static let candidatesPerRound = 8

    /// An order of the next-item search, with the indexes that give it: over the whole queue, and by place.
    struct OpenItemOrder {
        /// The condition that keeps to the half of the queue this order reads, if any.
        let condition: String
        /// The sort keys, as `(column, descending)`.
        let keys: [(column: String, descending: Bool)]
        /// The index of open items of one place in this order (migration 053).
        let placeIndex: String

        static let priority = OpenItemOrder(condition: "", keys: [("priority", true), ("id", false)], placeIndex: "items_open_by_place")
        static let oldest = OpenItemOrder(condition: "", keys: [("id", false)], placeIndex: "items_open_by_place_age")
        static let newest = OpenItemOrder(condition: "", keys: [("id", true)], placeIndex: "items_open_by_place_age")
        static let mostUncertain = OpenItemOrder(
            condition: "AND i.uncertainty >= 0", keys: [("uncertainty", true), ("id", false)],
            placeIndex: "items_open_by_place_uncertainty")
        static let unscored = OpenItemOrder(condition: "AND i.uncertainty < 0", keys: [("id", false)], placeIndex: "items_open_by_place_age")

        /// Whether the order reads its place index backwards (newest first): the place's leading columns must then be
        /// ordered descending too, or PostgreSQL sorts instead of reading the index.
        var readsIndexBackwards: Bool { keys.count == 1 && keys[0].descending }

        /// Whether an item whose sort keys are `a` comes before one whose keys are `b`.
        func precedes(_ a: [Double], _ b: [Double]) -> Bool {
            for (index, key) in keys.enumerated() where a[index] != b[index] {
                return key.descending ? a[index] > b[index] : a[index] < b[index]
            }
            return false
        }

        /// `ORDER BY` terms, on columns of `table` (`"i."`) or on the columns of a union of rows (`""`).
        func orderBy(_ table: String) -> String {
            keys.map { table + $0.column + ($0.descending ? " DESC" : "") }.joined(separator: ", ")
        }
    }

    /// A language and market pair that a queue's items have; nil stands for items that have none.
    struct Place {
        let language: String?
        let market: String?
    }

    /// The places of the queue whose items the person may take, when their languages or markets may pass over some
    /// of the queue; nil when they take every item.
    private func placesTaken(in queue: Queue, by person: Person, _ sql: any SQLDatabase) async throws -> [Place]? {
        guard Self.mayPassOverItems(of: queue, for: person) else { return nil }
        return try await sql.raw("""
            SELECT i.language, i.market FROM queue_places i WHERE i.queue_id = \(bind: queue.id)
              \(SQLList(Self.eligibilityFilters(for: person), separator: SQLRaw(" ")))
            """).all().map { Place(language: try $0.optionalString("language"), market: try $0.optionalString("market")) }
    }

    /// Places probed in one statement (SQLite allows 500 parts in a `UNION ALL`).
    static let placesPerStatement = 100

    /// The first items in `order` that have an open slot, match the person's languages and markets, and were never
    /// assigned to them: up to `count` with `places`, else the first one, locked on PostgreSQL.
    ///
    /// With `places` (see ``placesTaken(in:by:_:)``), the search is one probe of the order's place index per place,
    /// the first `count` of each place taken, a hundred places a statement: no item of a place the person does not
    /// take is read. Each probe orders by the index's leading columns too, which it fixes: PostgreSQL reads an index in order
    /// only when the query's order begins as the index does, and a place without a language or market (`IS NULL`)
    /// does not count as fixed, so it sorted the place's every open item (0.3 s at 250k). The probes take no row
    /// locks: on PostgreSQL, `SKIP LOCKED` in each kept the first item of every place locked until the commit, and
    /// another person found nothing there meanwhile; the claim's conditional update is what keeps the overlap.
    /// Without `places`, the search walks the queue's order, testing each item's language and market.
    private func firstOpenItems(
        _ count: Int, in queue: Queue, for person: Person, places: [Place]?, order: OpenItemOrder, _ sql: any SQLDatabase
    ) async throws -> [Int64] {
        let notTheirs: SQLQueryString = """
            AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.annotator_id = \(bind: person.id))
            """
        guard let places else {
            let filters = Self.eligibilityFilters(for: person)
            return try await sql.raw("""
                SELECT i.id FROM items i
                WHERE i.queue_id = \(bind: queue.id) AND i.open_slots > 0 \(unsafeRaw: order.condition)
                  \(SQLList(filters, separator: SQLRaw(" "))) \(notTheirs)
                ORDER BY \(unsafeRaw: order.orderBy("i.")) LIMIT 1\(unsafeRaw: skipLocked)
                """).first().map { [try $0.int64("id")] } ?? []
        }
        var found: [(id: Int64, keys: [Double])] = []
        for chunk in places.chunks(of: Self.placesPerStatement) {
            let probes = chunk.map { place in
                "SELECT * FROM (\(Self.probe(of: place, in: queue.id, order: order, notTheirs: notTheirs, limit: count, backend: backend))) AS first_of_place"
                    as SQLQueryString
            }
            for row in try await sql.raw("""
                \(SQLList(probes, separator: SQLRaw(" UNION ALL "))) ORDER BY \(unsafeRaw: order.orderBy("")) LIMIT \(unsafeRaw: String(count))
                """).all() {
                found.append((id: try row.int64("id"), keys: try order.keys.map { key in
                    key.column == "uncertainty" ? try row.decode(column: key.column, as: Double.self) : Double(try row.int64(key.column))
                }))
            }
        }
        // A stable sort by the order's keys, ties kept as each statement gave them.
        return found.enumerated().sorted { a, b in
            order.precedes(a.element.keys, b.element.keys) || (!order.precedes(b.element.keys, a.element.keys) && a.offset < b.offset)
        }.prefix(count).map(\.element.id)
    }

    /// The first `limit` open items of one place in `order` that `notTheirs` lets through: one read of the order's
    /// place index.
    static func probe(
        of place: Place, in queueID: UUID, order: OpenItemOrder, notTheirs: SQLQueryString, limit: Int = 1, backend: Backend
    ) -> SQLQueryString {
        // SQLite is told the index: without statistics it may prefer the queue's whole order for a place without a
        // language, and read past every other place's items.
        let index = backend == .sqlite ? " INDEXED BY \(order.placeIndex)" : ""
        let columns = Set(order.keys.map(\.column) + ["id"]).sorted().map { "i." + $0 }.joined(separator: ", ")
        let language: SQLQueryString = place.language.map { "i.language = \(bind: $0)" } ?? "i.language IS NULL"
        let market: SQLQueryString = place.market.map { "i.market = \(bind: $0)" } ?? "i.market IS NULL"
        return """
            SELECT \(unsafeRaw: columns) FROM items i\(unsafeRaw: index)
            WHERE i.queue_id = \(bind: queueID) AND \(language) AND \(market) AND i.open_slots > 0 \(unsafeRaw: order.condition)
              \(notTheirs)
            ORDER BY \(unsafeRaw: order.readsIndexBackwards ? "i.queue_id DESC, i.language DESC, i.market DESC" : "i.queue_id, i.language, i.market"),
                     \(unsafeRaw: order.orderBy("i.")) LIMIT \(unsafeRaw: String(limit))
            """
    }

    /// The person's live lease in the queue, if any. A lease of theirs that has run out but was not swept yet
    /// is reclaimed here, so it neither comes back nor blocks a new lease (one live lease per person and queue).
    static func heldLease(in queueID: UUID, by personID: UUID, now: Date, _ sql: any SQLDatabase) async throws
        -> Lease?
    {
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: assignmentColumns) FROM assignments
            WHERE annotator_id = \(bind: personID) AND queue_id = \(bind: queueID) AND state = 'leased'
            """).first()
        else { return nil }
        let assignment = try Self.assignment(from: row)
        guard assignment.isExpired(at: now) else {
            return Lease(assignment: assignment, item: try await item(assignment.itemID, sql))
        }
        let reclaimed = try await sql.raw("""
            UPDATE assignments SET state = 'expired' WHERE id = \(bind: assignment.id) AND state = 'leased' RETURNING id
            """).first()
        if reclaimed != nil { try await returnSlots(1, to: assignment.itemID, sql) }
        return nil
    }

    static func item(_ id: Int64, _ sql: any SQLDatabase) async throws -> Item {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: itemColumns) FROM items WHERE id = \(bind: id)").first()
        else { throw AssayError.notFound(entity: "item", id: String(id)) }
        return try item(from: row)
    }

    static let assignmentColumns = "id, item_id, queue_id, annotator_id, state, leased_at_ms, expires_at_ms"

    static func assignment(from row: any SQLRow) throws -> Assignment {
        Assignment(
            id: try row.int64("id"), itemID: try row.int64("item_id"), queueID: try row.uuid("queue_id"),
            annotatorID: try row.uuid("annotator_id"), state: Assignment.State(rawValue: try row.string("state")) ?? .expired,
            leasedAt: try row.date("leased_at_ms"), expiresAt: try row.date("expires_at_ms"))
    }

    /// The assignment, if it is the person's; someone else's reads as not found, so ids reveal nothing.
    private static func assignment(_ id: Int64, of personID: UUID, lock: String, _ sql: any SQLDatabase) async throws
        -> Assignment
    {
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: assignmentColumns) FROM assignments WHERE id = \(bind: id)\(unsafeRaw: lock)
            """).first(),
            let assignment = try? Self.assignment(from: row), assignment.annotatorID == personID
        else { throw AssayError.notFound(entity: "assignment", id: String(id)) }
        return assignment
    }

    static let judgmentColumns = """
        id, item_id, queue_id, annotator_id, labels, rationale, time_spent_ms, started_at_ms, submitted_at_ms, origin,
        guideline_version, ranking
        """

    static func judgment(from row: any SQLRow) throws -> Judgment {
        Judgment(
            id: try row.int64("id"), itemID: try row.int64("item_id"), queueID: try row.uuid("queue_id"),
            annotatorID: try row.uuid("annotator_id"), labels: try Column.strings(from: try row.string("labels")),
            rationale: try row.optionalString("rationale"), timeSpentMs: try row.int("time_spent_ms"),
            startedAt: try row.optionalDate("started_at_ms"), submittedAt: try row.date("submitted_at_ms"),
            origin: Judgment.Origin(rawValue: try row.string("origin")) ?? .assay,
            guidelineVersion: try row.decode(column: "guideline_version", as: Int?.self),
            ranking: try row.optionalString("ranking").map(Column.strings(from:)))
    }

    private static func judgment(annotator: UUID, clientKey: String, _ sql: any SQLDatabase) async throws -> Judgment? {
        try await sql.raw("""
            SELECT \(unsafeRaw: judgmentColumns) FROM judgments
            WHERE annotator_id = \(bind: annotator) AND client_key = \(bind: clientKey)
            """).first().map(judgment(from:))
    }

    private static func judgment(item: Int64, annotator: UUID, _ sql: any SQLDatabase) async throws -> Judgment {
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: judgmentColumns) FROM judgments WHERE item_id = \(bind: item) AND annotator_id = \(bind: annotator)
            """).first()
        else { throw AssayError.notFound(entity: "judgment", id: "item \(item)") }
        return try judgment(from: row)
    }

    private static func insertJudgment(
        _ submission: JudgmentSubmission, for assignment: Assignment, startedAt: Date, now: Date, _ sql: any SQLDatabase
    ) async throws -> Judgment {
        let timeSpent = submission.timeSpentMs ?? max(0, Int(now.timeIntervalSince(startedAt) * 1000))
        let row = try await sql.raw("""
            INSERT INTO judgments (item_id, queue_id, annotator_id, assignment_id, labels, rationale, time_spent_ms,
                                   started_at_ms, submitted_at_ms, origin, client_key, guideline_version, ranking)
            VALUES (\(bind: assignment.itemID), \(bind: assignment.queueID), \(bind: assignment.annotatorID),
                    \(bind: assignment.id), \(bind: try Column.json(submission.labels)), \(bind: submission.rationale),
                    \(bind: timeSpent), \(bind: Column.millis(startedAt)), \(bind: Column.millis(now)), 'assay',
                    \(bind: submission.clientKey),
                    \(GuidelineVersions.inForce(in: assignment.queueID, at: now)),
                    \(bind: try submission.ranking.map(Column.json)))
            ON CONFLICT (annotator_id, client_key) DO NOTHING
            RETURNING id, guideline_version
            """).first()
        // The key was free when checked, and another submit by the same person took it since (PostgreSQL runs
        // both at once): the same conflict, now that the other has committed.
        guard let row else {
            try await requireUnused(submission.clientKey, by: assignment.annotatorID, sql)
            throw AssayError.conflict("client_key '\(submission.clientKey ?? "")' was taken by another submit at the same moment; use a new key")
        }
        return Judgment(
            id: try row.int64("id"), itemID: assignment.itemID, queueID: assignment.queueID,
            annotatorID: assignment.annotatorID, labels: submission.labels, rationale: submission.rationale,
            timeSpentMs: timeSpent, startedAt: startedAt, submittedAt: now, origin: .assay,
            guidelineVersion: try row.decode(column: "guideline_version", as: Int?.self), ranking: submission.ranking)
    }
}
