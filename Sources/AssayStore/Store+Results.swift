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
    /// An item whose judgment count just changed: what ``refresh(_:queue:now:counters:_:)`` needs to know.
    struct Judged: Sendable {
        var itemID: Int64
        var externalID: String
        var judgmentCount: Int
    }

    /// Recomputes the final label of each item that has all its judgments, and adds the counter changes that
    /// follow to `counters` (the caller applies them once, at the end of its transaction).
    ///
    /// Set-based, 500 items per statement, so that a judgment import recomputes a million labels in a few
    /// thousand statements; a submit passes its one item.
    ///
    /// Runs inside the transaction that added the judgments, after the item rows were updated: on PostgreSQL
    /// those row locks order concurrent submits on one item, so the last one sees every judgment.
    ///
    /// - Returns: the final labels written, in item id order.
    @discardableResult
    static func refresh(
        _ judged: [Judged], queue: Queue, now: Date, counters: inout QueueCounters.Changes, _ sql: any SQLDatabase
    ) async throws -> [FinalLabel] {
        let complete = judged.filter { $0.judgmentCount >= queue.overlap }.sorted { $0.itemID < $1.itemID }
        var written: [FinalLabel] = []
        written.reserveCapacity(complete.count)
        for start in stride(from: 0, to: complete.count, by: Store.rowsPerStatement) {
            let chunk = complete[start..<min(start + Store.rowsPerStatement, complete.count)]
            let ids = chunk.map(\.itemID)
            // Each item's votes in judgment order, with its current final label's provenance (if any) alongside.
            var votes: [Int64: [[String]]] = [:]
            var previous: [Int64: FinalLabel.Provenance] = [:]
            for row in try await sql.raw("""
                SELECT j.item_id, j.labels, f.provenance FROM judgments j LEFT JOIN final_labels f ON f.item_id = j.item_id
                WHERE j.item_id IN (\(binds: ids)) ORDER BY j.item_id, j.id
                """).all() {
                let itemID = try row.int64("item_id")
                votes[itemID, default: []].append(try Column.strings(from: try row.string("labels")))
                if let provenance = try row.optionalString("provenance") {
                    previous[itemID] = FinalLabel.Provenance(rawValue: provenance) ?? .unresolved
                }
            }
            var values: [SQLQueryString] = []
            for item in chunk {
                let itemVotes = votes[item.itemID] ?? []
                let outcome = queue.consensus.resolve(itemVotes, kind: queue.schema.kind)
                let label = FinalLabel(
                    itemID: item.itemID, externalID: item.externalID, labels: outcome.labels,
                    provenance: FinalLabel.provenance(of: outcome), confidence: outcome.agreement,
                    judgmentCount: itemVotes.count, unresolvedReason: outcome.reason, decidedAt: now)
                values.append("""
                    (\(bind: label.itemID), \(bind: queue.id), \(bind: try label.labels.map(Column.json)),
                     \(bind: label.provenance.rawValue), \(bind: label.confidence), \(bind: label.judgmentCount),
                     \(bind: label.unresolvedReason?.rawValue), \(bind: Column.millis(now)))
                    """)
                if let before = previous[item.itemID] {
                    counters[before == .unresolved ? .unresolvedItems : .resolvedItems, default: 0] -= 1
                } else {
                    counters[.completedItems, default: 0] += 1
                }
                counters[label.provenance == .unresolved ? .unresolvedItems : .resolvedItems, default: 0] += 1
                written.append(label)
            }
            try await sql.raw("""
                INSERT INTO final_labels (item_id, queue_id, labels, provenance, confidence, judgment_count,
                                          unresolved_reason, decided_at_ms)
                VALUES \(SQLList(values))
                ON CONFLICT (item_id) DO UPDATE SET labels = excluded.labels, provenance = excluded.provenance,
                    confidence = excluded.confidence, judgment_count = excluded.judgment_count,
                    unresolved_reason = excluded.unresolved_reason, decided_at_ms = excluded.decided_at_ms
                """).run()
        }
        return written
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
                labels: try row.optionalString("labels").map { try Column.strings(from: $0) },
                provenance: FinalLabel.Provenance(rawValue: try row.string("provenance")) ?? .unresolved,
                confidence: try row.decode(column: "confidence", as: Double.self),
                judgmentCount: try row.int("judgment_count"),
                unresolvedReason: try row.optionalString("unresolved_reason").flatMap(ConsensusOutcome.Reason.init(rawValue:)),
                decidedAt: try row.date("decided_at_ms"))
        }
    }
}
