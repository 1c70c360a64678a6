import AssayCore
import FluentPostgresDriver
import Foundation
import Logging
import SQLKit

extension Store {
    /// Final labels of a queue in item order, a page at a time (keyset: pass the last item id of the previous
    /// page).
    public func finalLabels(in queueID: UUID, after itemID: Int64?, limit: Int) async throws -> [FinalLabel] {
        try await finalLabelPage(in: queueID, after: itemID ?? 0, limit: limit)
    }

    /// A page of final labels in item order. On PostgreSQL the rows are decoded by position with PostgresNIO's
    /// typed decoding (as in ``forEachVote(in:_:)``): through SQLKit, looking up eight columns by name in every row
    /// took most of a million-row export's time.
    func finalLabelPage(in queueID: UUID, after itemID: Int64, limit: Int) async throws -> [FinalLabel] {
        guard case .postgres = connections else {
            return try await FinalLabels.page(in: queueID, after: itemID, limit: limit, sql())
        }
        let postgres = try sql() as! any PostgresDatabase
        return try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                var labels: [FinalLabel] = []
                labels.reserveCapacity(limit)
                let rows = try await connection.query("""
                    SELECT f.item_id, i.external_id, f.labels, f.provenance, f.confidence, f.judgment_count,
                           f.unresolved_reason, f.decided_at_ms
                    FROM final_labels f JOIN items i ON i.id = f.item_id
                    WHERE f.queue_id = \(queueID) AND f.item_id > \(itemID) ORDER BY f.item_id LIMIT \(limit)
                    """, logger: Logger(label: "assay.export"))
                // Cell by cell with concrete types: decoding the row as one tuple looked up the tuple's type
                // metadata at run time for every row.
                for try await row in rows {
                    var cells = row.makeIterator()
                    func next<T: PostgresDecodable>(_ type: T.Type) throws -> T { try cells.next()!.decode(type) }
                    labels.append(try FinalLabels.finalLabel(
                        itemID: try next(Int64.self), externalID: try next(String.self), labels: try next(String?.self),
                        provenance: try next(String.self), confidence: try next(Double.self),
                        judgmentCount: try next(Int.self), unresolvedReason: try next(String?.self),
                        decidedAtMs: try next(Int64.self)))
                }
                return labels
            }
        }.get()
    }

    /// Walks every final label of a queue (of items after `firstID`) in pages of `pageSize`, for streaming exports:
    /// memory stays flat however large the queue (two pages at most).
    ///
    /// The next page is read while `body` handles the current one, so reading and writing an export share the
    /// cores rather than take turns: on PostgreSQL, 200,000 rows exported in 1.2 s against 1.5 s.
    public func forEachFinalLabelPage(
        in queueID: UUID, after firstID: Int64 = 0, pageSize: Int = 5_000, _ body: ([FinalLabel]) async throws -> Void
    ) async throws {
        var next = Task { try await finalLabelPage(in: queueID, after: firstID, limit: pageSize) }
        defer { next.cancel() }
        while true {
            let page = try await next.value
            guard let last = page.last else { return }
            next = Task { try await finalLabelPage(in: queueID, after: last.itemID, limit: pageSize) }
            try await body(page)
        }
    }

    /// Items with a final label people or a model decided (not unresolved), with their content, in item order, a page
    /// at a time (keyset on the item id): what a preference export reads.
    public func decidedItems(in queue: Queue, after itemID: Int64?, limit: Int) async throws -> [(item: Item, label: FinalLabel)] {
        let rows = try await sql().raw("""
            SELECT \(unsafeRaw: Self.itemColumnsOfI)
            FROM final_labels f JOIN items i ON i.id = f.item_id
            WHERE f.queue_id = \(bind: queue.id) AND f.item_id > \(bind: itemID ?? 0) AND f.labels IS NOT NULL
            ORDER BY f.item_id LIMIT \(bind: limit)
            """).all()
        let items = try rows.map(Self.item(from:))
        let labels = try await FinalLabels.labels(of: items.map(\.id), sql())
        return items.compactMap { item in labels[item.id].map { (item, $0) } }
    }

    /// Every judgment of a queue, by external ids, in the order they were stored, a page at a time (keyset on the
    /// judgment id; the next page is read while `body` handles this one): what a judgments export writes.
    public func forEachJudgmentPage(
        in queueID: UUID, pageSize: Int = 10_000, _ body: ([JudgmentRecord]) async throws -> Void
    ) async throws {
        func page(after id: Int64) async throws -> (records: [JudgmentRecord], last: Int64?) {
            let rows = try await sql().raw("""
                SELECT j.id, i.external_id AS item, p.external_id AS annotator, j.labels, j.rationale, j.started_at_ms,
                       j.submitted_at_ms, j.ranking
                FROM judgments j JOIN items i ON i.id = j.item_id JOIN people p ON p.id = j.annotator_id
                WHERE j.queue_id = \(bind: queueID) AND j.id > \(bind: id) ORDER BY j.id LIMIT \(bind: pageSize)
                """).all()
            let records = try rows.map { row in
                JudgmentRecord(
                    itemExternalID: try row.string("item"), annotatorExternalID: try row.string("annotator"),
                    labels: try Column.strings(from: try row.string("labels")), rationale: try row.optionalString("rationale"),
                    startedAt: try row.optionalDate("started_at_ms"), submittedAt: try row.date("submitted_at_ms"),
                    ranking: try row.optionalString("ranking").map(Column.strings(from:)))
            }
            return (records, try rows.last?.int64("id"))
        }
        var next = Task { try await page(after: 0) }
        defer { next.cancel() }
        while true {
            let (records, last) = try await next.value
            guard let last else { return }
            next = Task { try await page(after: last) }
            try await body(records)
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
        var market: String?
        var importedAtMs: Int64
        /// The judgments review routing asked for; nil: the queue's overlap.
        var requiredJudgments: Int?

        /// From a row of the statement that counted the judgment (`judgment_count`, `external_id`, `market`,
        /// `imported_at_ms`, `required_judgments`).
        init(_ itemID: Int64, _ row: any SQLRow) throws {
            self.itemID = itemID
            externalID = try row.string("external_id")
            judgmentCount = try row.int("judgment_count")
            market = try row.optionalString("market")
            importedAtMs = try row.int64("imported_at_ms")
            requiredJudgments = try row.decode(column: "required_judgments", as: Int?.self)
        }
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
        let complete = judged.filter { $0.judgmentCount >= ($0.requiredJudgments ?? queue.overlap) }
            .sorted { $0.itemID < $1.itemID }
        guard !complete.isEmpty else { return [] }
        let decider = try await Self.decider(of: queue, sql)
        var written: [FinalLabel] = []
        written.reserveCapacity(complete.count)
        // Summed over every chunk and added once: one shard per transaction (see `DecisionRollup.add`).
        var decisions = DecisionRollup.Changes()
        for chunk in complete.chunks() {
            let ids = chunk.map(\.itemID)
            // Each item's votes in judgment order, with its current final label (if any) alongside.
            var votes: [Int64: [(annotator: String, labels: [String])]] = [:]
            var values: [Int64: [String]] = [:]  // the labels as stored, for agreement
            var previous: [Int64: Previous] = [:]
            // When the last judgment came: for work done in another tool and imported later, the item was decided
            // then, not on the day of the import (a live submit's judgment is made now).
            var lastJudgedMs: [Int64: Int64] = [:]
            for row in try await sql.raw("""
                SELECT j.item_id, \(unsafeRaw: annotatorKey) AS annotator, j.labels, j.submitted_at_ms, f.provenance,
                       f.unresolved_reason
                FROM judgments j LEFT JOIN final_labels f ON f.item_id = j.item_id
                WHERE j.item_id IN (\(binds: ids)) ORDER BY j.item_id, j.id
                """).all() {
                let itemID = try row.int64("item_id")
                let stored = try row.string("labels")
                lastJudgedMs[itemID] = max(lastJudgedMs[itemID] ?? 0, try row.int64("submitted_at_ms"))
                votes[itemID, default: []].append((try row.string("annotator"), try Column.strings(from: stored)))
                values[itemID, default: []].append(stored)
                if let provenance = try row.optionalString("provenance") {
                    previous[itemID] = Previous(
                        provenance: FinalLabel.Provenance(rawValue: provenance) ?? .unresolved,
                        reason: try row.optionalString("unresolved_reason").flatMap(ConsensusOutcome.Reason.init(rawValue:)))
                }
            }
            var labels: [FinalLabel] = []
            for item in chunk {
                // An arbitrator's decision, or an appeal waiting for one, is not the consensus rule's to change.
                if let before = previous[item.itemID], before.isSettledByPeople { continue }
                let decidedMs = min(Column.millis(now), lastJudgedMs[item.itemID] ?? Column.millis(now))
                let label = decider.finalLabel(
                    of: item.itemID, externalID: item.externalID, votes: votes[item.itemID] ?? [],
                    decidedAt: Column.date(decidedMs))
                labels.append(label)
                // Agreement and waiting time describe an item's first decision; re-decisions do not count again.
                if previous[item.itemID] == nil {
                    decisions.firstDecision(label, values: values[item.itemID] ?? [], of: item, queue: queue, now: decidedMs)
                } else if previous[item.itemID]?.provenance == .unresolved, label.provenance != .unresolved {
                    decisions.laterResolution(of: item, queue: queue, now: decidedMs)
                }
            }
            try await write(labels, previous: previous.mapValues(\.provenance), queue: queue, now: now, counters: &counters, sql)
            written += labels
        }
        try await DecisionRollup.add(decisions, sql)
        return written
    }

    /// How a judgment's annotator is named in a ``ConsensusModel``: the id as the database writes it as text
    /// (upper case on SQLite, lower on PostgreSQL; the same in every query of one database), read without
    /// parsing a UUID per judgment.
    static let annotatorKey = "CAST(annotator_id AS TEXT)"

    /// What an item's final label was before a refresh.
    struct Previous {
        var provenance: FinalLabel.Provenance
        var reason: ConsensusOutcome.Reason?

        var isSettledByPeople: Bool { FinalLabel.isSettledByPeople(provenance, reason: reason) }
    }

    /// The queue's decider, with its current skill model for a model-based rule.
    static func decider(of queue: Queue, _ sql: any SQLDatabase) async throws -> ConsensusDecider {
        ConsensusDecider(
            queue: queue, model: queue.consensus.kind.isModelBased ? try await ConsensusModels.current(of: queue.id, sql) : nil)
    }

    /// Upserts final labels, keeps the queue's counters, and keeps arbitration cases in step: an unresolved item
    /// gets an open case (one at most, by the partial unique index), whose reason follows the item's; an item the
    /// rule now resolves has its open case, if the rule opened it, withdrawn. Appeal cases are left alone.
    static func write(
        _ labels: [FinalLabel], previous: [Int64: FinalLabel.Provenance], queue: Queue, now: Date,
        counters: inout QueueCounters.Changes, _ sql: any SQLDatabase
    ) async throws {
        guard !labels.isEmpty else { return }
        var values: [SQLQueryString] = []
        var cases: [SQLQueryString] = []
        var nowResolved: [Int64] = []
        for label in labels {
            values.append("""
                (\(bind: label.itemID), \(bind: queue.id), \(bind: try label.labels.map(Column.json)),
                 \(bind: label.provenance.rawValue), \(bind: label.confidence), \(bind: label.judgmentCount),
                 \(bind: label.unresolvedReason?.rawValue), \(bind: Column.millis(label.decidedAt)))
                """)
            let before = previous[label.itemID]
            if let before {
                counters[before == .unresolved ? .unresolvedItems : .resolvedItems, default: 0] -= 1
            } else {
                counters[.completedItems, default: 0] += 1
            }
            counters[label.provenance == .unresolved ? .unresolvedItems : .resolvedItems, default: 0] += 1
            if label.provenance == .unresolved {
                cases.append("""
                    (\(bind: queue.id), \(bind: label.itemID), \(bind: (label.unresolvedReason ?? .tie).rawValue), 'open',
                     \(bind: Column.millis(label.decidedAt)))
                    """)
            } else if before == .unresolved {
                nowResolved.append(label.itemID)
            }
        }
        try await sql.raw("""
            INSERT INTO final_labels (item_id, queue_id, labels, provenance, confidence, judgment_count,
                                      unresolved_reason, decided_at_ms)
            VALUES \(SQLList(values))
            ON CONFLICT (item_id) DO UPDATE SET labels = excluded.labels, provenance = excluded.provenance,
                confidence = excluded.confidence, judgment_count = excluded.judgment_count,
                unresolved_reason = excluded.unresolved_reason, decided_at_ms = excluded.decided_at_ms
            """).run()
        if !cases.isEmpty {
            try await sql.raw("""
                INSERT INTO arbitration_cases (queue_id, item_id, reason, state, opened_at_ms) VALUES \(SQLList(cases))
                ON CONFLICT (item_id) WHERE state = 'open' DO UPDATE SET reason = excluded.reason
                WHERE arbitration_cases.reason <> 'appeal'
                """).run()
        }
        if !nowResolved.isEmpty {
            try await sql.raw("""
                UPDATE arbitration_cases SET state = 'withdrawn', decided_at_ms = \(bind: Column.millis(now))
                WHERE item_id IN (\(binds: nowResolved)) AND state = 'open' AND reason <> 'appeal'
                """).run()
        }
    }

    static func page(in queueID: UUID, after itemID: Int64, limit: Int, _ sql: any SQLDatabase) async throws
        -> [FinalLabel]
    {
        try await select("f.queue_id = \(bind: queueID) AND f.item_id > \(bind: itemID) ORDER BY f.item_id LIMIT \(bind: limit)", sql)
    }

    /// The final labels of these items (those that have one), by item id.
    static func labels(of itemIDs: [Int64], _ sql: any SQLDatabase) async throws -> [Int64: FinalLabel] {
        guard !itemIDs.isEmpty else { return [:] }
        let found = try await select("f.item_id IN (\(binds: itemIDs))", sql)
        return Dictionary(found.map { ($0.itemID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private static func select(_ condition: SQLQueryString, _ sql: any SQLDatabase) async throws -> [FinalLabel] {
        try await sql.raw("""
            SELECT f.item_id, i.external_id, f.labels, f.provenance, f.confidence, f.judgment_count, f.unresolved_reason,
                   f.decided_at_ms
            FROM final_labels f JOIN items i ON i.id = f.item_id
            WHERE \(condition)
            """).all().map { row in
            try finalLabel(
                itemID: try row.int64("item_id"), externalID: try row.string("external_id"),
                labels: try row.optionalString("labels"), provenance: try row.string("provenance"),
                confidence: try row.decode(column: "confidence", as: Double.self), judgmentCount: try row.int("judgment_count"),
                unresolvedReason: try row.optionalString("unresolved_reason"), decidedAtMs: try row.int64("decided_at_ms"))
        }
    }

    /// A final label from its stored columns.
    static func finalLabel(
        itemID: Int64, externalID: String, labels: String?, provenance: String, confidence: Double, judgmentCount: Int,
        unresolvedReason: String?, decidedAtMs: Int64
    ) throws -> FinalLabel {
        FinalLabel(
            itemID: itemID, externalID: externalID, labels: try labels.map { try Column.strings(from: $0) },
            provenance: FinalLabel.Provenance(rawValue: provenance) ?? .unresolved, confidence: confidence,
            judgmentCount: judgmentCount, unresolvedReason: unresolvedReason.flatMap(ConsensusOutcome.Reason.init(rawValue:)),
            decidedAt: Column.date(decidedAtMs))
    }
}
