import AssayCore
import Foundation
import SQLKit

extension Store {
    // MARK: - Texts for the built-in classifier

    /// The queue's items whose final label people decided (by consensus, a skill model, arbitration or a QA
    /// overturn; never the model's own auto-accepted labels, nor unresolved items), in item order, with the text of
    /// `fields`: what the classifier trains on. Read a page of 5,000 at a time.
    public func labeledTexts(in queue: Queue, fields: [String]) async throws -> [LabeledText] {
        let excluded = [FinalLabel.Provenance.model.rawValue, FinalLabel.Provenance.unresolved.rawValue]
        return try await Self.texts(in: queue, fields: fields, sql()) { after in
            """
            SELECT i.id, i.external_id, i.content, f.labels, f.provenance, f.confidence, f.judgment_count, f.decided_at_ms
            FROM final_labels f JOIN items i ON i.id = f.item_id
            WHERE f.queue_id = \(bind: queue.id) AND f.item_id > \(bind: after) AND f.labels IS NOT NULL
              AND f.provenance NOT IN (\(binds: excluded))
            ORDER BY f.item_id LIMIT 5000
            """
        }
    }

    /// The queue's gold items (active and retired) with their reference labels and the text of `fields`: what the
    /// classifier is evaluated on. Gold never gets a final label, so it is held out of training by construction.
    public func goldTexts(in queue: Queue, fields: [String]) async throws -> [LabeledText] {
        try await Self.texts(in: queue, fields: fields, sql()) { after in
            """
            SELECT id, external_id, content, gold_labels AS labels, NULL AS provenance, NULL AS confidence,
                   NULL AS judgment_count, NULL AS decided_at_ms
            FROM items
            WHERE queue_id = \(bind: queue.id) AND id > \(bind: after) AND gold_state IS NOT NULL
            ORDER BY id LIMIT 5000
            """
        }
    }

    /// Every item of the queue with the text of `fields`, a page at a time in item order (keyset on the item id):
    /// what the classifier predicts.
    public func itemTexts(in queue: Queue, fields: [String], after itemID: Int64?, limit: Int) async throws
        -> [(itemID: Int64, externalID: String, text: String)]
    {
        try await sql().raw("""
            SELECT id, external_id, content FROM items WHERE queue_id = \(bind: queue.id) AND id > \(bind: itemID ?? 0)
            ORDER BY id LIMIT \(bind: limit)
            """).all().map { row in
            (try row.int64("id"), try row.string("external_id"),
             LabeledText.text(of: try Self.content(from: try row.string("content")), fields: fields))
        }
    }

    private static func texts(
        in queue: Queue, fields: [String], _ sql: any SQLDatabase, page: (Int64) -> SQLQueryString
    ) async throws -> [LabeledText] {
        var found: [LabeledText] = []
        var after: Int64 = 0
        while true {
            let rows = try await sql.raw(page(after)).all()
            guard !rows.isEmpty else { return found }
            for row in rows {
                found.append(LabeledText(
                    itemID: try row.int64("id"), externalID: try row.string("external_id"),
                    text: LabeledText.text(of: try content(from: try row.string("content")), fields: fields),
                    labels: try Column.strings(from: try row.string("labels")),
                    provenance: try row.optionalString("provenance").flatMap(FinalLabel.Provenance.init(rawValue:)),
                    confidence: try row.decode(column: "confidence", as: Double?.self),
                    judgmentCount: try row.decode(column: "judgment_count", as: Int?.self),
                    decidedAt: try row.optionalDate("decided_at_ms")))
            }
            after = found.last!.itemID
        }
    }

    // MARK: - Label errors

    /// Records label-error flags and, with `sendToReview`, appeals each flagged final label so that an arbitrator
    /// decides it again (the note gives the classifier's figures). A label already before an arbitrator is flagged
    /// without a second case. One transaction: all flags or none.
    ///
    /// - Returns: how many flags opened a re-review.
    @discardableResult
    public func recordLabelErrors(
        _ flags: [LabelErrorFlag], in queue: Queue, sendToReview: Bool, by actor: Person, now: Date
    ) async throws -> Int {
        try await transaction { [backend] sql in
            // The items first, in id order, as imports and re-estimates lock them: flags come in confidence order,
            // and two runs (or a run beside an import) locking in their own orders deadlocked on PostgreSQL.
            if sendToReview { try await Self.lockItems(Set(flags.map(\.itemID)), backend: backend, sql) }
            var sent = 0
            for flag in flags {
                var caseID: Int64?
                // An item already before an arbitrator (perhaps since a moment ago) is flagged without a case.
                if sendToReview, let opened = try await self.appealUnlessOpen(
                    itemID: flag.itemID, note: flag.reviewNote, by: actor, vendorScope: nil, now: now, sql)
                {
                    caseID = opened.id
                    sent += 1
                }
                try await sql.raw("""
                    INSERT INTO label_error_flags (queue_id, item_id, given_labels, suggested_labels, self_confidence,
                                                   suggested_confidence, flagged_at_ms, flagged_by, case_id)
                    VALUES (\(bind: queue.id), \(bind: flag.itemID), \(bind: try Column.json(flag.givenLabels)),
                            \(bind: try Column.json(flag.suggestedLabels)), \(bind: flag.selfConfidence),
                            \(bind: flag.suggestedConfidence), \(bind: Column.millis(now)), \(bind: actor.id), \(bind: caseID))
                    """).run()
            }
            return sent
        }
    }

    /// What became of the queue's label-error flags (``LabelErrorReport``).
    public func labelErrorReport(of queue: Queue) async throws -> LabelErrorReport {
        let rows = try await sql().raw("""
            SELECT f.given_labels, f.suggested_labels, f.case_id, c.state, c.labels
            FROM label_error_flags f LEFT JOIN arbitration_cases c ON c.id = f.case_id
            WHERE f.queue_id = \(bind: queue.id)
            """).all()
        var report = LabelErrorReport(
            flagged: rows.count, sentToReview: 0, open: 0, overturned: GoldScore(answered: 0, correct: 0),
            matchedSuggestion: GoldScore(answered: 0, correct: 0))
        for row in rows {
            guard try row.decode(column: "case_id", as: Int64?.self) != nil else { continue }
            report.sentToReview += 1
            guard try row.optionalString("state") == "decided", let decided = try row.optionalString("labels") else {
                report.open += 1
                continue
            }
            let labels = Set(try Column.strings(from: decided))
            report.overturned.answered += 1
            report.matchedSuggestion.answered += 1
            if labels != Set(try Column.strings(from: try row.string("given_labels"))) { report.overturned.correct += 1 }
            if labels == Set(try Column.strings(from: try row.string("suggested_labels"))) { report.matchedSuggestion.correct += 1 }
        }
        return report
    }
}
