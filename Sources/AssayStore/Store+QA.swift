import AssayCore
import Foundation
import SQLKit

extension Store {
    // MARK: - Sampling

    /// Samples an item's judgments for QA once its final label is decided (``QASampling``). Runs in the
    /// transaction that decided it; nothing happens when the queue's `qa_rate` is 0.
    static func sampleForQA(
        _ final: FinalLabel, queue: Queue, now: Date, chance: Chance, _ sql: any SQLDatabase
    ) async throws {
        guard queue.quality.qaRate > 0 else { return }
        // Each judgment is sampled when a uniform draw falls under its probability. Drawing first, against the
        // highest probability any judgment can have, gives the same samples and spares the hot path the queries
        // below for the items none of whose draws could succeed (most of them at a 5% rate).
        let ceiling = QASampling.highestProbability(settings: queue.quality, confidence: final.confidence)
        // Each judgment's draw is fixed by its place among the item's judgments: an item decided again draws the
        // same numbers for the judgments it had, so none gets a second chance at a review, or at the score's sample.
        let draws = (0..<final.judgmentCount).map { chance.uniform(fixedBy: final.itemID, $0) }
        guard draws.contains(where: { $0 < ceiling }) else { return }
        let rows = try await sql.raw("""
            SELECT j.id, j.annotator_id, j.labels, p.vendor_id, p.created_at_ms, i.market, i.priority
            FROM judgments j JOIN people p ON p.id = j.annotator_id JOIN items i ON i.id = j.item_id
            WHERE j.item_id = \(bind: final.itemID) ORDER BY j.id
            """).all()
        let newSince = Column.millis(now.addingTimeInterval(-QASampling.newAnnotatorDays * 86_400))
        for (index, row) in rows.enumerated() {
            let draw = index < draws.count ? draws[index] : chance.uniform(fixedBy: final.itemID, index)
            guard draw < ceiling else { continue }
            let labels = try Column.strings(from: try row.string("labels"))
            let stratum = QASampling.stratumKey(
                vendorID: try row.optionalUUID("vendor_id"), market: try row.optionalString("market"),
                label: labels.first ?? "-", tier: try row.int("priority"))
            let counts = try await sql.raw("""
                SELECT reviewed, errors, sampled FROM qa_strata WHERE queue_id = \(bind: queue.id) AND stratum = \(bind: stratum)
                """).first()
            let stratumCounts = QAStratumCounts(
                reviewed: try counts?.int("reviewed") ?? 0, errors: try counts?.int("errors") ?? 0,
                sampled: try counts?.int("sampled") ?? 0)
            let probability = QASampling.probability(
                settings: queue.quality, stratum: stratumCounts, isNewAnnotator: try row.int64("created_at_ms") > newSince,
                confidence: final.confidence)
            guard draw < probability else { continue }
            let needsReviews = queue.quality.qaSampling == .stratified
                && stratumCounts.needsMoreSamples(width: queue.quality.qaTargetWidth)
            // Under the base rate, the same draw picks every judgment alike: those reviews are the QA score's sample.
            let inScore = draw < queue.quality.qaRate
            guard try await sql.raw("""
                INSERT INTO qa_reviews (queue_id, judgment_id, item_id, annotator_id, stratum, reason, state, sampled_at_ms,
                                        in_score)
                VALUES (\(bind: queue.id), \(bind: try row.int64("id")), \(bind: final.itemID), \(bind: try row.uuid("annotator_id")),
                        \(bind: stratum), \(bind: (needsReviews ? QASampling.Reason.stratumNeedsReviews : .rate).rawValue),
                        'pending', \(bind: Column.millis(now)), \(bind: inScore))
                ON CONFLICT DO NOTHING RETURNING id
                """).first() != nil
            else { continue }
            try await sql.raw("""
                INSERT INTO qa_strata (queue_id, stratum, reviewed, errors, sampled) VALUES (\(bind: queue.id), \(bind: stratum), 0, 0, 1)
                ON CONFLICT (queue_id, stratum) DO UPDATE SET sampled = qa_strata.sampled + 1
                """).run()
        }
    }

    // MARK: - Reviewing

    /// Leases the oldest waiting review of the queue to a reviewer (never one of their own judgments), or gives
    /// back the one they hold. Returns nil when nothing waits. Claimed by a conditional update, so two reviewers
    /// never get the same review.
    public func nextQAReview(in queue: Queue, for reviewer: Person, now: Date) async throws -> QATask? {
        try await transaction { sql in
            // Two calls of one reviewer at once would each find nothing held and each claim a review.
            try await Self.serializeClaims(of: reviewer.id, sql)
            let nowMillis = Column.millis(now)
            if let held = try await sql.raw("""
                SELECT \(unsafeRaw: Self.reviewColumns) FROM qa_reviews
                WHERE queue_id = \(bind: queue.id) AND reviewer_id = \(bind: reviewer.id) AND state = 'leased'
                  AND lease_expires_at_ms > \(bind: nowMillis)
                ORDER BY id LIMIT 1
                """).first()
            {
                return try await Self.task(for: try Self.review(from: held), queue: queue, sql)
            }
            for _ in 0..<5 {
                guard let candidate = try await sql.raw("""
                    SELECT id FROM qa_reviews
                    WHERE queue_id = \(bind: queue.id) AND state <> 'done' AND annotator_id <> \(bind: reviewer.id)
                      AND (state = 'pending' OR lease_expires_at_ms <= \(bind: nowMillis))
                    ORDER BY id LIMIT 1\(unsafeRaw: self.skipLocked)
                    """).first()
                else { return nil }
                let expires = Column.millis(now.addingTimeInterval(TimeInterval(queue.leaseSeconds)))
                guard let claimed = try await sql.raw("""
                    UPDATE qa_reviews SET state = 'leased', reviewer_id = \(bind: reviewer.id), lease_expires_at_ms = \(bind: expires)
                    WHERE id = \(bind: try candidate.int64("id"))
                      AND (state = 'pending' OR (state = 'leased' AND lease_expires_at_ms <= \(bind: nowMillis)))
                    RETURNING \(unsafeRaw: Self.reviewColumns)
                    """).first()
                else { continue }
                return try await Self.task(for: try Self.review(from: claimed), queue: queue, sql)
            }
            return nil
        }
    }

    /// Records a reviewer's verdict on a review they hold. A judgment found wrong overturns the item's final label
    /// to the right answer (unless an arbitrator decided it), counts against the annotator and their stratum, and
    /// is logged as `qa.reviewed` (and `final_label.overturned`).
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)`` for a review the person does not hold;
    ///   ``AssayError/conflict(_:)`` for one already reviewed; ``AssayError/invalidInput(field:line:reason:)`` for
    ///   a verdict that lacks what the review needs (blind: the reviewer's labels; otherwise `correct`, and for
    ///   a wrong judgment the right labels and a severity).
    public func submitQAReview(_ reviewID: Int64, verdict: QAVerdict, by reviewer: Person, now: Date) async throws
        -> QAReview
    {
        try await transaction { sql in
            guard let found = try await sql.raw("""
                SELECT \(unsafeRaw: Self.reviewColumns) FROM qa_reviews WHERE id = \(bind: reviewID)
                """).first().map(Self.review(from:))
            else { throw AssayError.notFound(entity: "QA review", id: String(reviewID)) }
            guard found.state != .done else { throw AssayError.conflict("QA review \(reviewID) was already reviewed") }
            guard found.state == .leased, found.reviewerID == reviewer.id else {
                throw AssayError.notFound(entity: "QA review", id: String(reviewID))
            }
            let queue = try await self.queue(id: found.queueID, sql)
            // Locked before its final label is read, as every writer of final labels does: an appeal or a decision
            // at the same moment must not be overwritten by what this verdict read before it.
            try await Self.lockItems([found.itemID], backend: backend, sql)
            let judgment = try await sql.raw("""
                SELECT j.labels, i.market FROM judgments j JOIN items i ON i.id = j.item_id WHERE j.id = \(bind: found.judgmentID)
                """).first()!
            let judged = try Column.strings(from: try judgment.string("labels"))
            let (correct, right) = try verdict.settle(judged: judged, blind: queue.quality.qaBlind, schema: queue.schema)
            let severity = correct ? nil : verdict.severity
            if !correct, severity == nil {
                throw AssayError.invalidInput(field: "severity", line: nil, reason: "a wrong judgment needs a severity: critical or minor")
            }
            let errors = correct ? [] : QAError.errors(judged: judged, right: right, labelOrder: queue.schema.codes)
            guard let done = try await sql.raw("""
                UPDATE qa_reviews SET state = 'done', reviewed_at_ms = \(bind: Column.millis(now)), correct = \(bind: correct),
                    right_labels = \(bind: try Column.json(right)), error_category = \(bind: correct ? nil : verdict.errorCategory),
                    severity = \(bind: severity?.rawValue), errors = \(bind: try Column.json(errors))
                WHERE id = \(bind: reviewID) AND state = 'leased' AND reviewer_id = \(bind: reviewer.id)
                RETURNING \(unsafeRaw: Self.reviewColumns), in_score
                """).first()
            else { throw AssayError.conflict("QA review \(reviewID) changed meanwhile; fetch the next one") }
            // Only a review of the score's sample counts in the QA score (see `QASampling`).
            if try done.decode(column: "in_score", as: Bool.self) {
                try await ActivityRollup.add(
                    ActivityRollup.Change(qaReviewed: 1, qaCorrect: correct ? 1 : 0), queueID: queue.id,
                    annotatorID: found.annotatorID, market: try judgment.optionalString("market"), at: Column.millis(now), sql)
            }
            var events = [
                AuditEvent(
                    at: now, actorID: reviewer.id, action: .qaReviewed, entity: "judgment",
                    entityID: String(found.judgmentID), queueID: queue.id,
                    vendorID: try await sql.raw("SELECT vendor_id FROM people WHERE id = \(bind: found.annotatorID)")
                        .first()?.optionalUUID("vendor_id"),
                    before: ["labels": .array(judged.map(JSONValue.string))],
                    after: ["correct": .bool(correct), "right_labels": .array(right.map(JSONValue.string))],
                    reason: verdict.errorCategory)
            ]
            if !correct, let overturn = try await Self.overturn(found.itemID, to: right, queue: queue, now: now, sql) {
                events.append(
                    AuditEvent(
                        at: now, actorID: reviewer.id, action: .finalLabelOverturned, entity: "item",
                        entityID: String(found.itemID), queueID: queue.id, before: overturn.before, after: overturn.after,
                        reason: "QA review \(reviewID)"))
            }
            // After the overturn's counters, as a submit takes the queue's counters before its QA strata: the same
            // order everywhere, so a verdict and a submit never wait for each other crosswise.
            try await sql.raw("""
                INSERT INTO qa_strata (queue_id, stratum, reviewed, errors, sampled)
                VALUES (\(bind: queue.id), \(bind: found.stratum), 1, \(literal: correct ? 0 : 1), 1)
                ON CONFLICT (queue_id, stratum) DO UPDATE SET reviewed = qa_strata.reviewed + 1,
                    errors = qa_strata.errors + excluded.errors
                """).run()
            try await AuditLog.append(events, sql)
            return try Self.review(from: done)
        }
    }

    /// Sets an item's final label to a reviewer's right answer, unless an arbitrator decided it or it already is.
    /// An unresolved item is left too: it waits for its arbitrator, whose decision is the one that settles a tie
    /// (and counts as its resolution, against the SLA); the verdict still counts toward the annotator's QA score.
    private static func overturn(_ itemID: Int64, to right: [String], queue: Queue, now: Date, _ sql: any SQLDatabase)
        async throws -> (before: JSONValue, after: JSONValue)?
    {
        guard let current = try await FinalLabels.labels(of: [itemID], sql)[itemID],
            ![.arbitration, .unresolved].contains(current.provenance), current.labels != right
        else { return nil }
        var overturned = current
        overturned.labels = right
        overturned.provenance = .qaOverturn
        overturned.confidence = 1
        overturned.unresolvedReason = nil
        overturned.decidedAt = now
        var counters: QueueCounters.Changes = [:]
        try await FinalLabels.write(
            [overturned], previous: [itemID: current.provenance], queue: queue, now: now, counters: &counters, sql)
        try await QueueCounters.add(counters, to: queue.id, sql)
        return (current.auditValue, overturned.auditValue)
    }

    private static func task(for review: QAReview, queue: Queue, _ sql: any SQLDatabase) async throws -> QATask {
        let item = try await Self.item(review.itemID, sql)
        guard !queue.quality.qaBlind else {
            // Blind: nothing that gives the annotator's answer away, including the stratum (it names the label).
            var redacted = review
            redacted.stratum = ""
            return QATask(review: redacted, item: item, judgedLabels: nil, rationale: nil)
        }
        let judgment = try await sql.raw("SELECT labels, rationale FROM judgments WHERE id = \(bind: review.judgmentID)").first()!
        return QATask(
            review: review, item: item, judgedLabels: try Column.strings(from: try judgment.string("labels")),
            rationale: try judgment.optionalString("rationale"))
    }

    // MARK: - Reporting

    /// Error rates with 95% intervals: overall, per stratum and per annotator, with missed violations and
    /// over-enforcement per label. `vendorID` keeps to one vendor's people (a vendor lead's view). Overall and per
    /// annotator over the reviews of the score's sample (``QASampling``), which stand for all the work; per stratum
    /// over every review, the stratum being what the extra ones were drawn for.
    public func qaReport(of queue: Queue, vendorID: UUID? = nil) async throws -> QAReport {
        let sql = try sql()
        let vendorFilter: SQLQueryString = vendorID.map { "AND p.vendor_id = \(bind: $0)" } ?? ""
        let reviews = try await sql.raw("""
            SELECT r.stratum, p.external_id, r.correct, r.severity, r.errors, r.in_score
            FROM qa_reviews r JOIN people p ON p.id = r.annotator_id
            WHERE r.queue_id = \(bind: queue.id) AND r.state = 'done' \(vendorFilter)
            """).all().map { row in
            QAReport.Reviewed(
                stratum: try row.string("stratum"), annotator: try row.string("external_id"),
                correct: try row.decode(column: "correct", as: Bool.self),
                critical: try row.optionalString("severity") == QAReview.Severity.critical.rawValue,
                errors: try row.optionalString("errors").map { try Column.decode([QAError].self, from: $0) } ?? [],
                inScore: try row.decode(column: "in_score", as: Bool.self))
        }
        let pending = try await sql.raw("""
            SELECT COUNT(*) AS n FROM qa_reviews r JOIN people p ON p.id = r.annotator_id
            WHERE r.queue_id = \(bind: queue.id) AND r.state <> 'done' \(vendorFilter)
            """).first()!.int("n")
        return QAReport(reviews: reviews, pending: pending)
    }

    static let reviewColumns = """
        id, queue_id, judgment_id, item_id, annotator_id, stratum, reason, state, sampled_at_ms, reviewer_id, reviewed_at_ms,
        correct, right_labels, error_category, severity, errors
        """

    static func review(from row: any SQLRow) throws -> QAReview {
        QAReview(
            id: try row.int64("id"), queueID: try row.uuid("queue_id"), judgmentID: try row.int64("judgment_id"),
            itemID: try row.int64("item_id"), annotatorID: try row.uuid("annotator_id"), stratum: try row.string("stratum"),
            reason: QASampling.Reason(rawValue: try row.string("reason")) ?? .rate,
            state: QAReview.State(rawValue: try row.string("state")) ?? .pending, sampledAt: try row.date("sampled_at_ms"),
            reviewerID: try row.optionalUUID("reviewer_id"), reviewedAt: try row.optionalDate("reviewed_at_ms"),
            correct: try row.decode(column: "correct", as: Bool?.self),
            rightLabels: try row.optionalString("right_labels").map { try Column.strings(from: $0) },
            errorCategory: try row.optionalString("error_category"),
            severity: try row.optionalString("severity").flatMap(QAReview.Severity.init(rawValue:)),
            errors: try row.optionalString("errors").map { try Column.decode([QAError].self, from: $0) } ?? [])
    }
}
