import AssayCore
import AssayQuality
import Foundation
import NIOConcurrencyHelpers
import FluentPostgresDriver
import Logging
import SQLKit

/// Reads and writes queues' consensus models.
enum ConsensusModels {
    static func current(of queueID: UUID, _ sql: any SQLDatabase) async throws -> ConsensusModel? {
        guard let row = try await sql.raw("SELECT model FROM consensus_models WHERE queue_id = \(bind: queueID)").first()
        else { return nil }
        return try Column.decode(ConsensusModel.self, from: try row.string("model"))
    }

    static func save(_ model: ConsensusModel, for queueID: UUID, _ sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO consensus_models (queue_id, estimated_at_ms, judgment_count, model)
            VALUES (\(bind: queueID), \(bind: Column.millis(model.estimatedAt)), \(bind: model.judgmentCount),
                    \(bind: try Column.json(model)))
            ON CONFLICT (queue_id) DO UPDATE SET estimated_at_ms = excluded.estimated_at_ms,
                judgment_count = excluded.judgment_count, model = excluded.model
            """).run()
    }
}

extension Store {
    // MARK: - Estimating

    /// Re-estimates a weighted or Dawid–Skene queue's skill model from all its judgments (gold items clamped to
    /// their reference answers), then decides every final label again with it.
    ///
    /// Judgments are read a page at a time outside any transaction; the model is computed in memory; final labels
    /// are rewritten 2,000 items per transaction, and only where the label, its provenance or whether it is
    /// resolved changed (or the confidence moved by more than 0.01), so the writer is never held for long.
    /// Items an arbitrator decided, or that wait for one on appeal, are left alone: each transaction locks its
    /// items and reads their labels again, so a decision made while the model was fitted stands, and a second
    /// estimate running at once (another server's) finds the change made and counts nothing twice.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for a queue whose rule takes no model.
    public func estimateConsensus(of queue: Queue, now: Date) async throws -> ConsensusEstimate {
        let started = ContinuousClock.now
        guard queue.consensus.kind.isModelBased else {
            throw AssayError.invalidInput(
                field: "consensus.kind", line: nil,
                reason: "queue '\(queue.name)' decides by \(queue.consensus.kind.rawValue), which has nothing to estimate")
        }
        let sql = try sql()
        // The current final labels are read on another connection while the judgments are read and the model is
        // fitted: the two reads share nothing, and the machine has a second core.
        async let currentDecisions = Self.currentDecisions(in: queue.id, self)
        // One streamed query: paging by id would make the database sort the queue's judgments for every page (its
        // index is by queue and time), which made a million-judgment estimate quadratic.
        let reader = MatrixReader(try JudgmentMatrix.Builder(labelOrder: queue.schema.codes))
        try await forEachVote(in: queue.id) { item, annotator, labels in reader.add(item: item, annotator: annotator, labels: labels) }
        let matrix = try reader.matrix()
        var gold: [String: String] = [:]
        for row in try await sql.raw("""
            SELECT id, gold_labels FROM items WHERE queue_id = \(bind: queue.id) AND gold_labels IS NOT NULL
            """).all() {
            if let label = try Column.strings(from: try row.string("gold_labels")).first { gold[String(try row.int64("id"))] = label }
        }
        let (kind, codes, clamped) = (queue.consensus.kind, queue.schema.codes, gold)
        let model = try await HeavyWork.run {
            try ConsensusModel.estimate(kind: kind, labels: codes, matrix: matrix, gold: clamped, now: now)
        }
        try await transaction { sql in try await ConsensusModels.save(model, for: queue.id, sql) }

        let decider = FinalLabels.Decider(queue: queue, model: model)
        var redecided = 0
        var changed = 0
        let current = try await currentDecisions
        for start in stride(from: 0, to: current.count, by: 2_000) {
            // The labels that differ from the snapshot read at the start...
            var candidates: [Int64: FinalLabel] = [:]
            for decision in current[start..<min(start + 2_000, current.count)] {
                redecided += 1
                let itemVotes = Self.votes(of: decision.itemID, in: matrix)
                let (outcome, provenance) = decider.decide(itemVotes)
                let label = FinalLabel(
                    itemID: decision.itemID, externalID: "", labels: outcome.labels, provenance: provenance,
                    confidence: outcome.agreement, judgmentCount: itemVotes.count, unresolvedReason: outcome.reason,
                    decidedAt: now)
                if !decision.matches(label) { candidates[decision.itemID] = label }
            }
            guard !candidates.isEmpty else { continue }
            // ...are written from what is there when the items are locked: since the snapshot an arbitrator may
            // have decided one (it stays as decided), an appeal opened, or another estimate (another server's, say)
            // written the same change (the counters would count it twice).
            changed += try await transaction { [candidates, backend] sql in
                try await Self.lockItems(Set(candidates.keys), backend: backend, sql)
                let fresh = try await Self.decisions(of: candidates.keys.sorted(), sql)
                var updates: [FinalLabel] = []
                var previous: [Int64: FinalLabel.Provenance] = [:]
                for (itemID, label) in candidates.sorted(by: { $0.key < $1.key }) {
                    guard let there = fresh[itemID], there.isConsensus, !there.matches(label) else { continue }
                    previous[itemID] = there.provenance
                    updates.append(label)
                }
                var counters: QueueCounters.Changes = [:]
                // Counters move from the previous provenance to the new one; completion does not change.
                try await FinalLabels.write(updates, previous: previous, queue: queue, now: now, counters: &counters, sql)
                try await QueueCounters.add(counters, to: queue.id, sql)
                return updates.count
            }
        }
        let elapsed = ContinuousClock.now - started
        return ConsensusEstimate(
            queueID: queue.id, kind: queue.consensus.kind, judgments: matrix.judgmentCount, annotators: matrix.workerCount, iterations: model.iterations, converged: model.converged,
            itemsRedecided: redecided, itemsChanged: changed,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// An item's votes as the matrix holds them.
    private static func votes(of itemID: Int64, in matrix: JudgmentMatrix) -> [(annotator: String, labels: [String])] {
        guard let item = matrix.itemCoding.index(of: String(itemID)) else { return [] }
        return matrix.judgments(ofItemAt: item).map { judgment in
            (matrix.workerName(at: Int(matrix.workerIndices[judgment])), [matrix.labelName(at: Int(matrix.labelIndices[judgment]))])
        }
    }

    /// A final label as a re-estimate compares it.
    struct CurrentDecision: Sendable {
        var itemID: Int64
        var labels: [String]?
        var provenance: FinalLabel.Provenance
        var reason: ConsensusOutcome.Reason?
        var confidence: Double

        /// Whether consensus may change it: not an arbitrator's decision, nor an item waiting on appeal.
        var isConsensus: Bool { provenance != .arbitration && reason != .appealed }

        /// Whether `label` says the same: the labels, how they were decided, why unresolved, and a confidence
        /// within 0.01 (a smaller move is not worth a write).
        func matches(_ label: FinalLabel) -> Bool {
            labels == label.labels && provenance == label.provenance && reason == label.unresolvedReason
                && abs(confidence - label.confidence) <= 0.01
        }

        init(itemID: Int64, labels: String?, provenance: String, confidence: Double, reason: String?) throws {
            self.itemID = itemID
            self.labels = try labels.map { try Column.strings(from: $0) }
            self.provenance = FinalLabel.Provenance(rawValue: provenance) ?? .unresolved
            self.reason = reason.flatMap(ConsensusOutcome.Reason.init(rawValue:))
            self.confidence = confidence
        }
    }

    /// The final labels of these items as they are now, in the caller's transaction.
    private static func decisions(of itemIDs: [Int64], _ sql: any SQLDatabase) async throws -> [Int64: CurrentDecision] {
        var found: [Int64: CurrentDecision] = [:]
        for row in try await sql.raw("""
            SELECT item_id, labels, provenance, confidence, unresolved_reason FROM final_labels WHERE item_id IN (\(binds: itemIDs))
            """).all() {
            let decision = try CurrentDecision(
                itemID: try row.int64("item_id"), labels: try row.optionalString("labels"), provenance: try row.string("provenance"),
                confidence: try row.decode(column: "confidence", as: Double.self), reason: try row.optionalString("unresolved_reason"))
            found[decision.itemID] = decision
        }
        return found
    }

    /// The queue's final labels that consensus may change (not arbitrated, not on appeal), in item order.
    private static func currentDecisions(in queueID: UUID, _ store: Store) async throws -> [CurrentDecision] {
        var decisions: [CurrentDecision] = []
        func keep(_ item: Int64, _ labels: String?, _ provenance: String, _ confidence: Double, _ reason: String?) throws {
            let decision = try CurrentDecision(itemID: item, labels: labels, provenance: provenance, confidence: confidence, reason: reason)
            if decision.isConsensus { decisions.append(decision) }
        }
        if case .postgres(let database) = store.connections {
            // Decoded by position, as in forEachVote: by name, a third of a million rows took seconds.
            let postgres = try database() as! any PostgresDatabase
            let rows = try await postgres.withConnection { connection in
                connection.eventLoop.makeFutureWithTask {
                    var rows: [(Int64, String?, String, Double, String?)] = []
                    for try await row in try await connection.query("""
                        SELECT item_id, labels, provenance, confidence, unresolved_reason FROM final_labels
                        WHERE queue_id = \(queueID) ORDER BY item_id
                        """, logger: Logger(label: "assay.consensus")).decode((Int64, String?, String, Double, String?).self) {
                        rows.append(row)
                    }
                    return rows
                }
            }.get()
            for row in rows { try keep(row.0, row.1, row.2, row.3, row.4) }
            return decisions
        }
        let sql = try store.sql()
        var after: Int64 = 0
        while true {
            let page = try await sql.raw("""
                SELECT item_id, labels, provenance, confidence, unresolved_reason FROM final_labels
                WHERE queue_id = \(bind: queueID) AND item_id > \(bind: after) ORDER BY item_id LIMIT 20000
                """).all()
            for row in page {
                try keep(
                    try row.int64("item_id"), try row.optionalString("labels"), try row.string("provenance"),
                    try row.decode(column: "confidence", as: Double.self), try row.optionalString("unresolved_reason"))
            }
            guard page.count == 20_000, let last = page.last else { return decisions }
            after = try last.int64("item_id")
        }
    }

    /// The queue's current skill model, if one was estimated.
    public func consensusModel(of queueID: UUID) async throws -> ConsensusModel? {
        try await ConsensusModels.current(of: queueID, sql())
    }

    // MARK: - Arbitration

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
        return try cases.map { found in
            guard let item = items[found.itemID] else { throw AssayError.notFound(entity: "item", id: String(found.itemID)) }
            return ArbitrationFile(
                arbitrationCase: found, item: item, judgments: votes[found.itemID] ?? [], finalLabel: finals[found.itemID],
                guideline: guideline)
        }
    }

    /// Records an arbitrator's decision on an open case: it becomes the item's final label (provenance
    /// `arbitration`, confidence 1), and with `promoteToGold` the item's reference answer. Logged as
    /// `final_label.arbitrated` (and `gold.set`).
    ///
    /// A case another arbitrator holds (``leaseArbitrationCase(in:for:now:)``) is theirs until their lease runs out.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)``; ``AssayError/conflict(_:)`` for a case no longer open or held by
    ///   another arbitrator; ``AssayError/invalidInput(field:line:reason:)`` for labels the schema rejects.
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
                SELECT judgment_count, gold_state FROM items WHERE id = \(bind: found.itemID)\(unsafeRaw: self.forUpdate)
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
            try await self.appeal(itemID: itemID, note: note, by: actor, vendorScope: vendorScope, now: now, sql)
        }
    }

    /// ``appeal(itemID:note:by:now:)`` inside the caller's transaction, with the vendor scope given.
    func appeal(itemID: Int64, note: String?, by actor: Person, vendorScope: UUID?, now: Date, _ sql: any SQLDatabase)
        async throws -> ArbitrationCase
    {
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
        else { throw AssayError.conflict("item \(itemID) already has an open arbitration case") }
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

extension Store {
    /// Re-estimates every weighted or Dawid–Skene queue whose judgment count moved since its last estimate (or
    /// that has none); the server calls this on a timer. Returns what each estimate did.
    @discardableResult
    public func estimateStaleConsensus(now: Date) async throws -> [ConsensusEstimate] {
        var done: [ConsensusEstimate] = []
        for queue in try await queues() where queue.consensus.kind.isModelBased {
            let judgments = try await stats(of: queue.id).judgments
            let model = try await consensusModel(of: queue.id)
            guard judgments > 0, model?.judgmentCount != judgments else { continue }
            done.append(try await estimateConsensus(of: queue, now: now))
        }
        return done
    }
}

extension Store {
    /// Streams a queue's judgments as (item id, annotator key, labels as JSON text), in no particular order.
    ///
    /// On PostgreSQL the rows are decoded by position with PostgresNIO's typed decoding: through SQLKit each
    /// column is looked up by name in every row, which over a million judgments cost more than the query.
    func forEachVote(
        in queueID: UUID, _ body: @escaping @Sendable (_ item: Int64, _ annotator: String, _ labels: String) -> Void
    ) async throws {
        switch connections {
        case .postgres(let database):
            let postgres = try database() as! any PostgresDatabase
            try await postgres.withConnection { connection in
                connection.eventLoop.makeFutureWithTask {
                    let rows = try await connection.query(
                        "SELECT item_id, CAST(annotator_id AS TEXT), labels FROM judgments WHERE queue_id = \(queueID)",
                        logger: Logger(label: "assay.consensus"))
                    for try await (item, annotator, labels) in rows.decode((Int64, String, String).self) {
                        body(item, annotator, labels)
                    }
                }
            }.get()
        case .sqlite:
            let failure = NIOLockedValueBox<(any Error)?>(nil)
            try await sql().raw("""
                SELECT item_id, \(unsafeRaw: FinalLabels.annotatorKey) AS annotator, labels FROM judgments
                WHERE queue_id = \(bind: queueID)
                """).run { row in
                do {
                    body(try row.int64("item_id"), try row.string("annotator"), try row.string("labels"))
                } catch {
                    failure.withLockedValue { if $0 == nil { $0 = error } }
                }
            }
            if let error = failure.withLockedValue({ $0 }) { throw error }
        }
    }
}

/// Builds a judgment matrix from rows as a streamed query delivers them (one label per judgment), keeping the
/// first row that could not be read for the caller to throw.
private final class MatrixReader: @unchecked Sendable {
    private let lock = NIOLock()
    private var builder: JudgmentMatrix.Builder
    private var failure: (any Error)?

    init(_ builder: JudgmentMatrix.Builder) {
        self.builder = builder
    }

    func add(item: Int64, annotator: String, labels: String) {
        lock.withLock {
            guard failure == nil else { return }
            do {
                guard let label = try Column.strings(from: labels).first else { return }
                try builder.append(item: String(item), worker: annotator, label: label)
            } catch {
                failure = error
            }
        }
    }

    func matrix() throws -> JudgmentMatrix {
        try lock.withLock {
            if let failure { throw failure }
            return builder.build()
        }
    }
}
