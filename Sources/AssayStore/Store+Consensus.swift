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
            SELECT id, gold_labels FROM items WHERE queue_id = \(bind: queue.id) AND gold_state IS NOT NULL
            """).all() {
            if let label = try Column.strings(from: try row.string("gold_labels")).first { gold[String(try row.int64("id"))] = label }
        }
        let (kind, codes, clamped) = (queue.consensus.kind, queue.schema.codes, gold)
        let model = try await HeavyWork.run {
            try ConsensusModel.estimate(kind: kind, labels: codes, matrix: matrix, gold: clamped, now: now)
        }
        try await transaction { sql in try await ConsensusModels.save(model, for: queue.id, sql) }

        let decider = ConsensusDecider(queue: queue, model: model)
        var redecided = 0
        var changed = 0
        let current = try await currentDecisions
        for chunk in current.chunks(of: 2_000) {
            // The labels that differ from the snapshot read at the start...
            var candidates: [Int64: FinalLabel] = [:]
            for decision in chunk {
                redecided += 1
                let label = decider.finalLabel(of: decision.itemID, votes: Self.votes(of: decision.itemID, in: matrix), decidedAt: now)
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
                var events: [AuditEvent] = []
                for (itemID, label) in candidates.sorted(by: { $0.key < $1.key }) {
                    // Left as it is: an arbitrator's or an appeal's, or decided from a judgment the model has not seen
                    // (a submit since the snapshot; the next estimate takes it in), or already what the model says.
                    guard let there = fresh[itemID], there.isConsensus, there.judgmentCount == label.judgmentCount,
                        !there.matches(label)
                    else { continue }
                    previous[itemID] = there.provenance
                    updates.append(label)
                    // Every change to a final label is in the audit log, a model's as much as a person's.
                    events.append(AuditEvent(
                        at: now, actorID: nil, action: .finalLabelReestimated, entity: "item", entityID: String(itemID),
                        queueID: queue.id, before: there.auditValue, after: label.auditValue,
                        reason: "consensus re-estimated (\(queue.consensus.kind.rawValue))"))
                }
                var counters: QueueCounters.Changes = [:]
                // Counters move from the previous provenance to the new one; completion does not change.
                try await FinalLabels.write(updates, previous: previous, queue: queue, now: now, counters: &counters, sql)
                try await QueueCounters.add(counters, to: queue.id, sql)
                try await AuditLog.append(events, sql)
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
        /// The judgments the label was decided from (read with the fresh labels only).
        var judgmentCount: Int?

        /// Whether consensus may change it: not an arbitrator's decision, nor an item waiting on appeal.
        var isConsensus: Bool { !FinalLabel.isSettledByPeople(provenance, reason: reason) }

        /// As the audit log records a final label (``FinalLabel/auditValue``).
        var auditValue: JSONValue {
            [
                "labels": labels.map { .array($0.map(JSONValue.string)) } ?? .null,
                "provenance": .string(provenance.rawValue), "confidence": .number(confidence),
            ]
        }

        /// Whether `label` says the same: the labels, how they were decided, why unresolved, and a confidence
        /// within 0.01 (a smaller move is not worth a write).
        func matches(_ label: FinalLabel) -> Bool {
            labels == label.labels && provenance == label.provenance && reason == label.unresolvedReason
                && abs(confidence - label.confidence) <= 0.01
        }

        init(
            itemID: Int64, labels: String?, provenance: String, confidence: Double, reason: String?, judgmentCount: Int? = nil
        ) throws {
            self.judgmentCount = judgmentCount
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
            SELECT item_id, labels, provenance, confidence, unresolved_reason, judgment_count FROM final_labels
            WHERE item_id IN (\(binds: itemIDs))
            """).all() {
            let decision = try CurrentDecision(
                itemID: try row.int64("item_id"), labels: try row.optionalString("labels"), provenance: try row.string("provenance"),
                confidence: try row.decode(column: "confidence", as: Double.self), reason: try row.optionalString("unresolved_reason"),
                judgmentCount: try row.int("judgment_count"))
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
        if case .postgres = store.connections {
            // Decoded by position, as in forEachVote: by name, a third of a million rows took seconds.
            let postgres = try store.sql() as! any PostgresDatabase
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
        case .postgres:
            let postgres = try sql() as! any PostgresDatabase
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
