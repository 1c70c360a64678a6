import AssayCore
import Foundation
import SQLKit

extension Store {
    /// Final labels of a queue in item order, a page at a time (keyset: pass the last item id of the previous
    /// page).
    public func finalLabels(in queueID: UUID, after itemID: Int64?, limit: Int) async throws -> [FinalLabel] {
        try await FinalLabels.page(in: queueID, after: itemID ?? 0, limit: limit, sql())
    }

    /// Walks every final label of a queue in pages of `pageSize`, for streaming exports: memory stays flat
    /// however large the queue.
    public func forEachFinalLabelPage(
        in queueID: UUID, pageSize: Int = 5_000, _ body: ([FinalLabel]) async throws -> Void
    ) async throws {
        var after: Int64 = 0
        while true {
            let page = try await FinalLabels.page(in: queueID, after: after, limit: pageSize, sql())
            guard let last = page.last else { return }
            try await body(page)
            after = last.itemID
        }
    }

    /// The judgments of one item, oldest first.
    public func judgments(of itemID: Int64) async throws -> [Judgment] {
        try await sql().raw("""
            SELECT \(unsafeRaw: Self.judgmentColumns) FROM judgments WHERE item_id = \(bind: itemID) ORDER BY id
            """).all().map(Self.judgment(from:))
    }
}

/// Final labels: computed from an item's judgments by its queue's consensus rule once the overlap is met.
enum FinalLabels {
    /// Recomputes an item's final label if it has all its judgments, and adds the counter changes that follow
    /// to `counters` (the caller applies them once, at the end of its transaction).
    ///
    /// Runs inside the transaction that added the judgment, after the item row was updated: on PostgreSQL that
    /// row lock orders concurrent submits on one item, so the last one sees every judgment.
    @discardableResult
    static func refresh(
        _ itemID: Int64, externalID: String, judgmentCount: Int, queue: Queue, now: Date,
        counters: inout QueueCounters.Changes, _ sql: any SQLDatabase
    ) async throws -> FinalLabel? {
        guard judgmentCount >= queue.overlap else { return nil }
        let votes = try await sql.raw("SELECT labels FROM judgments WHERE item_id = \(bind: itemID) ORDER BY id").all()
            .map { try Column.decode([String].self, from: try $0.string("labels")) }
        let outcome = queue.consensus.resolve(votes, kind: queue.schema.kind)
        let provenance = FinalLabel.provenance(of: outcome)
        let previous = try await sql.raw("SELECT provenance FROM final_labels WHERE item_id = \(bind: itemID)").first()
            .map { FinalLabel.Provenance(rawValue: try $0.string("provenance")) ?? .unresolved }
        try await sql.raw("""
            INSERT INTO final_labels (item_id, queue_id, labels, provenance, confidence, judgment_count, unresolved_reason,
                                      decided_at_ms)
            VALUES (\(bind: itemID), \(bind: queue.id), \(bind: try outcome.labels.map(Column.json)),
                    \(bind: provenance.rawValue), \(bind: outcome.agreement), \(bind: votes.count),
                    \(bind: outcome.reason?.rawValue), \(bind: Column.millis(now)))
            ON CONFLICT (item_id) DO UPDATE SET labels = excluded.labels, provenance = excluded.provenance,
                confidence = excluded.confidence, judgment_count = excluded.judgment_count,
                unresolved_reason = excluded.unresolved_reason, decided_at_ms = excluded.decided_at_ms
            """).run()
        if previous == nil { counters[.completedItems, default: 0] += 1 }
        if let previous { counters[previous == .unresolved ? .unresolvedItems : .resolvedItems, default: 0] -= 1 }
        counters[provenance == .unresolved ? .unresolvedItems : .resolvedItems, default: 0] += 1
        return FinalLabel(
            itemID: itemID, externalID: externalID, labels: outcome.labels, provenance: provenance,
            confidence: outcome.agreement, judgmentCount: votes.count, unresolvedReason: outcome.reason, decidedAt: now)
    }

    static func page(in queueID: UUID, after itemID: Int64, limit: Int, _ sql: any SQLDatabase) async throws
        -> [FinalLabel]
    {
        try await sql.raw("""
            SELECT f.item_id, i.external_id, f.labels, f.provenance, f.confidence, f.judgment_count, f.unresolved_reason,
                   f.decided_at_ms
            FROM final_labels f JOIN items i ON i.id = f.item_id
            WHERE f.queue_id = \(bind: queueID) AND f.item_id > \(bind: itemID)
            ORDER BY f.item_id LIMIT \(bind: limit)
            """).all().map { row in
            FinalLabel(
                itemID: try row.int64("item_id"), externalID: try row.string("external_id"),
                labels: try row.optionalString("labels").map { try Column.decode([String].self, from: $0) },
                provenance: FinalLabel.Provenance(rawValue: try row.string("provenance")) ?? .unresolved,
                confidence: try row.decode(column: "confidence", as: Double.self),
                judgmentCount: try row.int("judgment_count"),
                unresolvedReason: try row.optionalString("unresolved_reason").flatMap(ConsensusOutcome.Reason.init(rawValue:)),
                decidedAt: try row.date("decided_at_ms"))
        }
    }
}
