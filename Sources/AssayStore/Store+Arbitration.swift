import AssayCore
import Foundation
import SQLKit

/// Arbitration: cases opened where consensus cannot decide (or on appeal), leased to one arbitrator at a time,
/// decided once; the decision is the final label, whatever a later estimate says.
extension Store {
    /// A queue's arbitration cases in a state, oldest first, a page at a time, each with its item, judgments
    /// (without who gave them unless the queue shows annotators to arbitrators), current final label, and the
    /// guidelines in force at `now`.
    public func arbitrationFiles(
        in queue: Queue, state: ArbitrationCase.State, after caseID: Int64?, limit: Int, now: Date
    ) async throws -> [ArbitrationFile] {
        let sql = try sql()
        let cases = try await sql.raw("""
            SELECT \(unsafeRaw: Self.caseColumns) FROM arbitration_cases
            WHERE queue_id = \(bind: queue.id) AND state = \(bind: state.rawValue) AND id > \(bind: caseID ?? 0)
            ORDER BY id LIMIT \(literal: limit)
            """).all().map(Self.arbitrationCase(from:))
        return try await files(for: cases, in: queue, now: now, sql)
    }

    /// How long an arbitrator holds a case they were given before it goes back to the others.
    public static let arbitrationLeaseSeconds: Double = 15 * 60

    /// The case an arbitrator should decide next in a queue: the one they hold, or the oldest open case nobody holds
    /// (or whose holder let the lease run out), leased to them. Nil when there is none.
    ///
    /// The lease is a conditional update, so two arbitrators asking at once get different cases. While it lasts, only its
    /// holder may decide the case (``decide(_:labels:rationale:promoteToGold:by:now:)``); a case nobody holds is anyone's.
    public func leaseArbitrationCase(in queue: Queue, for arbitrator: Person, now: Date) async throws -> ArbitrationFile? {
        let nowMs = Column.millis(now)
        let expires = Column.millis(now.addingTimeInterval(Self.arbitrationLeaseSeconds))
        let free: SQLQueryString = """
            (leased_by IS NULL OR lease_expires_at_ms < \(bind: nowMs) OR leased_by = \(bind: arbitrator.id))
            """
        let leased = try await transaction { sql -> ArbitrationCase? in
            // Two calls of one arbitrator at once would each find nothing held and each lease a case.
            try await Self.serializeClaims(of: arbitrator.id, sql)
            if let held = try await sql.raw("""
                SELECT \(unsafeRaw: Self.caseColumns) FROM arbitration_cases
                WHERE queue_id = \(bind: queue.id) AND state = 'open' AND leased_by = \(bind: arbitrator.id)
                  AND lease_expires_at_ms >= \(bind: nowMs)
                ORDER BY id LIMIT 1
                """).first() {
                return try Self.arbitrationCase(from: held)
            }
            // The outer condition repeats the inner one: on PostgreSQL a case taken meanwhile by someone else is not
            // taken again after waiting for its row.
            return try await sql.raw("""
                UPDATE arbitration_cases SET leased_by = \(bind: arbitrator.id), lease_expires_at_ms = \(bind: expires)
                WHERE id = (SELECT id FROM arbitration_cases
                            WHERE queue_id = \(bind: queue.id) AND state = 'open' AND \(free)
                            ORDER BY id LIMIT 1\(unsafeRaw: self.skipLocked))
                  AND state = 'open' AND \(free)
                RETURNING \(unsafeRaw: Self.caseColumns)
                """).first().map(Self.arbitrationCase(from:))
        }
        guard let leased else { return nil }
        return try await files(for: [leased], in: queue, now: now, try sql()).first
    }

    /// One case as an arbitrator sees it.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)``.
    public func arbitrationFile(_ caseID: Int64, now: Date) async throws -> ArbitrationFile {
        let sql = try sql()
        let found = try await Self.arbitrationCase(caseID, sql)
        return try await files(for: [found], in: try await queue(id: found.queueID, sql), now: now, sql)[0]
    }

    private func files(for cases: [ArbitrationCase], in queue: Queue, now: Date, _ sql: any SQLDatabase) async throws
        -> [ArbitrationFile]
    {
        guard !cases.isEmpty else { return [] }
        let guideline: Guideline?
        do {
            guideline = try await self.guideline(of: queue.id, version: nil, now: now)
        } catch AssayError.notFound {
            guideline = nil
        }
        let ids = cases.map(\.itemID)
        var items: [Int64: Item] = [:]
        for row in try await sql.raw("SELECT \(unsafeRaw: Self.itemColumns) FROM items WHERE id IN (\(binds: ids))").all() {
            let item = try Self.item(from: row)
            items[item.id] = item
        }
        var votes: [Int64: [ArbitrationFile.Vote]] = [:]
        let shows = queue.quality.arbitrationShowsAnnotators
        for row in try await sql.raw("""
            SELECT j.item_id, j.labels, j.rationale, j.annotator_id, p.name FROM judgments j JOIN people p ON p.id = j.annotator_id
            WHERE j.item_id IN (\(binds: ids)) ORDER BY j.item_id, j.id
            """).all() {
            votes[try row.int64("item_id"), default: []].append(ArbitrationFile.Vote(
                labels: try Column.strings(from: try row.string("labels")), rationale: try row.optionalString("rationale"),
                annotatorID: shows ? try row.uuid("annotator_id") : nil, annotatorName: shows ? try row.string("name") : nil))
        }
        let finals = try await FinalLabels.labels(of: ids, sql)
        let gold = Dictionary(
            uniqueKeysWithValues: try await Self.goldAnswers(where: "id IN (\(binds: ids)) AND gold_state = 'active'", sql)
                .map { ($0.itemID, $0) })
        return try cases.map { found in
            guard let item = items[found.itemID] else { throw AssayError.notFound(entity: "item", id: String(found.itemID)) }
            return ArbitrationFile(
                arbitrationCase: found, item: item, judgments: votes[found.itemID] ?? [], finalLabel: finals[found.itemID],
                guideline: guideline, gold: gold[found.itemID])
        }
    }

    /// Records an arbitrator's decision on an open case: it becomes the item's final label (provenance
    /// `arbitration`, confidence 1), and with `promoteToGold` the item's reference answer. Logged as
    /// `final_label.arbitrated` (and `gold.set`).
    ///
    /// A case another arbitrator holds (``leaseArbitrationCase(in:for:now:)``) is theirs until their lease runs out.
    /// On an active gold item the decision must agree with the reference, or replace it (`promoteToGold`): a final
    /// label that contradicts the gold it keeps scoring people against would leave one of them wrong.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)``; ``AssayError/conflict(_:)`` for a case no longer open or held by
    ///   another arbitrator; ``AssayError/invalidInput(field:line:reason:)`` for labels the schema rejects, or a
    ///   decision against an active gold reference.
    public func decide(
        _ caseID: Int64, labels: [String], rationale: String?, promoteToGold: Bool, by actor: Person, now: Date
    ) async throws -> ArbitrationCase {
        try await transaction { sql in
            let found = try await Self.arbitrationCase(caseID, sql)
            let queue = try await self.queue(id: found.queueID, sql)
            let decision = try queue.schema.canonicalLabels(labels)
            let rationale = rationale?.trimmingBlanksAndNewlines.nilIfEmpty
            // The item's row first, locked (before the case, in the order a submit takes them): a gold set or a submit
            // on it meanwhile waits, so what is read below (its final label, whether it is gold) is what the decision
            // changes.
            let locked = try await sql.raw("""
                SELECT judgment_count, gold_state, gold_labels FROM items WHERE id = \(bind: found.itemID)\(unsafeRaw: self.forUpdate)
                """).first()!
            let judgmentCount = try locked.int("judgment_count")
            let nowMs = Column.millis(now)
            guard try await sql.raw("""
                UPDATE arbitration_cases SET state = 'decided', decided_at_ms = \(bind: nowMs),
                    decided_by = \(bind: actor.id), labels = \(bind: try Column.json(decision)), rationale = \(bind: rationale),
                    leased_by = NULL, lease_expires_at_ms = NULL
                WHERE id = \(bind: caseID) AND state = 'open'
                  AND (leased_by IS NULL OR leased_by = \(bind: actor.id) OR lease_expires_at_ms < \(bind: nowMs))
                RETURNING id
                """).first() != nil
            else { throw try await Self.undecidable(caseID, by: actor, now: now, sql) }
            // Checked once the case is known to be this arbitrator's to decide; refused, the transaction undoes the
            // update above.
            if !promoteToGold, try locked.optionalString("gold_state") == "active",
                let reference = try locked.optionalString("gold_labels").map(Column.strings(from:)), Set(reference) != Set(decision)
            {
                throw AssayError.invalidInput(
                    field: "labels", line: nil,
                    reason: "the item is gold with the reference \(reference.joined(separator: ", ")): decide that, or make the decision its new reference (promote_to_gold)")
            }
            let before = try await FinalLabels.labels(of: [found.itemID], sql)[found.itemID]
            let item = try await Self.item(found.itemID, sql)
            let label = FinalLabel(
                itemID: found.itemID, externalID: item.externalID, labels: decision, provenance: .arbitration,
                confidence: 1, judgmentCount: judgmentCount, unresolvedReason: nil, decidedAt: now)
            var counters: QueueCounters.Changes = [:]
            // A gold item decided here (an escalation, an expert review) now has a final label: it is counted among
            // the complete items, no longer among the gold ones left unlabelled.
            if before == nil, try locked.optionalString("gold_state") != nil { counters[.goldItems] = -1 }
            try await FinalLabels.write(
                [label], previous: before.map { [found.itemID: $0.provenance] } ?? [:], queue: queue, now: now,
                counters: &counters, sql)
            var decisions = DecisionRollup.Changes()
            decisions.arbitration(
                market: item.market, queue: queue, isAppeal: found.reason == "appeal",
                overturned: found.appealedLabels.map { Set($0) != Set(decision) } ?? false,
                isFirstResolution: found.reason != "appeal" && (before == nil || before?.provenance == .unresolved),
                importedAtMs: try await Self.importedAt(found.itemID, sql), now: Column.millis(now))
            // Decision sums, then counters: the order of every deciding transaction, so two never wait on each other
            // in opposite orders on PostgreSQL.
            try await DecisionRollup.add(decisions, sql)
            try await QueueCounters.add(counters, to: queue.id, sql)
            try await AuditLog.append([
                AuditEvent(
                    at: now, actorID: actor.id, action: .finalLabelArbitrated, entity: "item",
                    entityID: String(found.itemID), queueID: queue.id, before: before.map(\.auditValue),
                    after: label.auditValue, reason: rationale)
            ], sql)
            if promoteToGold {
                _ = try await Self.setGold(
                    [GoldEntry(itemID: item.id, externalID: item.externalID, labels: decision, rationale: rationale)],
                    in: queue.id, by: actor, now: now, backend: self.backend, sql)
            }
            var decided = found
            decided.state = .decided
            decided.decidedAt = now
            decided.decidedBy = actor.id
            decided.labels = decision
            decided.rationale = rationale
            return decided
        }
    }

    /// Why a case could not be decided: it is closed, or another arbitrator holds it.
    private static func undecidable(_ caseID: Int64, by actor: Person, now: Date, _ sql: any SQLDatabase) async throws
        -> AssayError
    {
        let row = try await sql.raw("""
            SELECT c.state, c.lease_expires_at_ms, p.name FROM arbitration_cases c LEFT JOIN people p ON p.id = c.leased_by
            WHERE c.id = \(bind: caseID)
            """).first()!
        let state = try row.string("state")
        guard state == "open", let holder = try row.optionalString("name"),
              let expires = try row.optionalDate("lease_expires_at_ms")
        else { return .conflict("arbitration case \(caseID) is \(state), not open") }
        let minutes = max(1, Int((expires.timeIntervalSince(now) / 60).rounded(.up)))
        return .conflict(
            "arbitration case \(caseID) is being decided by \(holder) (theirs for \(minutes) more minute\(minutes == 1 ? "" : "s")); "
                + "ask for your next case instead")
    }

    /// Reopens an item's final label: it becomes unresolved (`appealed`) and an arbitration case opens for it.
    /// Logged as `final_label.appealed`.
    ///
    /// A vendor lead appeals for their people: only items someone of their vendor judged. The scope is taken from
    /// the person here, not left to callers, so the API and the CLI cannot differ.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` for an item without a final label; ``AssayError/conflict(_:)``
    ///   when a case is already open for it; ``AssayError/forbidden(_:)`` for an item outside a vendor lead's vendor.
    public func appeal(itemID: Int64, note: String?, by actor: Person, now: Date) async throws -> ArbitrationCase {
        let vendorScope = try Policy.vendorScope(of: Actor(person: actor))
        return try await transaction { sql in
            guard let opened = try await self.appealUnlessOpen(
                itemID: itemID, note: note, by: actor, vendorScope: vendorScope, now: now, sql)
            else { throw AssayError.conflict("item \(itemID) already has an open arbitration case") }
            return opened
        }
    }

    /// ``appeal(itemID:note:by:now:)`` inside the caller's transaction, with the vendor scope given; nil, changing
    /// nothing, when the item already has an open case (the unique index on open cases decides, not a read first).
    func appealUnlessOpen(
        itemID: Int64, note: String?, by actor: Person, vendorScope: UUID?, now: Date, _ sql: any SQLDatabase
    ) async throws -> ArbitrationCase? {
        // The item's row first, locked, as a decision and a re-estimate take it: a re-estimate running meanwhile
        // then sees the reopened label and leaves it to the arbitrator.
        if backend == .postgres { try await sql.raw("SELECT id FROM items WHERE id = \(bind: itemID) FOR UPDATE").run() }
        let item = try await Self.item(itemID, sql)
        if let vendorScope {
            guard try await sql.raw("""
                SELECT 1 AS judged FROM judgments j JOIN people p ON p.id = j.annotator_id
                WHERE j.item_id = \(bind: itemID) AND p.vendor_id = \(bind: vendorScope) LIMIT 1
                """).first() != nil
            else { throw AssayError.forbidden("a vendor lead appeals only items their own vendor's people judged") }
        }
        guard let before = try await FinalLabels.labels(of: [itemID], sql)[itemID] else { throw AssayError.notFound(entity: "final label of item", id: String(itemID)) }
        let note = note?.trimmingBlanksAndNewlines.nilIfEmpty
        guard let opened = try await sql.raw("""
            INSERT INTO arbitration_cases (queue_id, item_id, reason, note, state, opened_at_ms, opened_by, appealed_labels)
            VALUES (\(bind: item.queueID), \(bind: itemID), 'appeal', \(bind: note), 'open', \(bind: Column.millis(now)),
                    \(bind: actor.id), \(bind: try before.labels.map(Column.json)))
            ON CONFLICT DO NOTHING RETURNING \(unsafeRaw: Self.caseColumns)
            """).first()
        else { return nil }
        let queue = try await self.queue(id: item.queueID, sql)
        var reopened = before
        reopened.labels = nil
        reopened.provenance = .unresolved
        reopened.unresolvedReason = .appealed
        reopened.decidedAt = now
        var counters: QueueCounters.Changes = [:]
        try await FinalLabels.write(
            [reopened], previous: [itemID: before.provenance], queue: queue, now: now, counters: &counters, sql)
        try await QueueCounters.add(counters, to: queue.id, sql)
        try await AuditLog.append([
            AuditEvent(
                at: now, actorID: actor.id, action: .finalLabelAppealed, entity: "item", entityID: String(itemID),
                queueID: queue.id, before: before.auditValue, after: reopened.auditValue,
                reason: note)
        ], sql)
        return try Self.arbitrationCase(from: opened)
    }


    static let caseColumns = """
        id, queue_id, item_id, reason, note, state, opened_at_ms, opened_by, decided_at_ms, decided_by, labels, rationale,
        appealed_labels
        """

    static func arbitrationCase(_ id: Int64, _ sql: any SQLDatabase) async throws -> ArbitrationCase {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: caseColumns) FROM arbitration_cases WHERE id = \(bind: id)")
            .first()
        else { throw AssayError.notFound(entity: "arbitration case", id: String(id)) }
        return try arbitrationCase(from: row)
    }

    static func arbitrationCase(from row: any SQLRow) throws -> ArbitrationCase {
        ArbitrationCase(
            id: try row.int64("id"), queueID: try row.uuid("queue_id"), itemID: try row.int64("item_id"),
            reason: try row.string("reason"), note: try row.optionalString("note"),
            state: ArbitrationCase.State(rawValue: try row.string("state")) ?? .open, openedAt: try row.date("opened_at_ms"),
            openedBy: try row.optionalUUID("opened_by"), decidedAt: try row.optionalDate("decided_at_ms"),
            decidedBy: try row.optionalUUID("decided_by"),
            labels: try row.optionalString("labels").map { try Column.strings(from: $0) },
            rationale: try row.optionalString("rationale"),
            appealedLabels: try row.optionalString("appealed_labels").map { try Column.strings(from: $0) })
    }

    /// When an item was imported, in milliseconds.
    static func importedAt(_ itemID: Int64, _ sql: any SQLDatabase) async throws -> Int64 {
        try await sql.raw("SELECT imported_at_ms FROM items WHERE id = \(bind: itemID)").first()!.int64("imported_at_ms")
    }
}
