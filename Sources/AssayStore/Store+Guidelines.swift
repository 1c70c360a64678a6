import AssayCore
import Foundation
import SQLKit

extension Store {
    /// Publishes the next version of a queue's guidelines. Publishes to one queue take turns on its row (locked on
    /// PostgreSQL; SQLite has one writer), so two analysts publishing at once get the next two numbers; the
    /// primary key (queue, version) holds it regardless. With `recertify`, every annotator who has judged in the queue is suspended from it until
    /// reinstated, each logged. Logged as `guideline.published`.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for an empty text or a passage for an unknown label.
    public func publishGuideline(_ draft: GuidelineDraft, for queue: Queue, by actor: Person, now: Date) async throws
        -> Guideline
    {
        let draft = try draft.validated(for: queue.schema)
        return try await transaction { [backend] sql in
            if backend == .postgres {
                // NO KEY: rows that only refer to the queue (judgments, items) do not wait for the publish.
                try await sql.raw("SELECT id FROM queues WHERE id = \(bind: queue.id) FOR NO KEY UPDATE").run()
            }
            let next = try await sql.raw("""
                SELECT COALESCE(MAX(version), 0) + 1 AS next FROM guidelines WHERE queue_id = \(bind: queue.id)
                """).first()!.int("next")
            let guideline = Guideline(
                queueID: queue.id, version: next, markdown: draft.markdown, passages: draft.passages ?? [:],
                effectiveAt: draft.effectiveAt ?? now, createdBy: actor.id, createdAt: now)
            guard try await sql.raw("""
                INSERT INTO guidelines (queue_id, version, markdown, passages, effective_at_ms, created_by, created_at_ms)
                VALUES (\(bind: queue.id), \(bind: next), \(bind: guideline.markdown), \(bind: try Column.json(guideline.passages)),
                        \(bind: Column.millis(guideline.effectiveAt)), \(bind: actor.id), \(bind: Column.millis(now)))
                ON CONFLICT DO NOTHING RETURNING version
                """).first() != nil
            else { throw AssayError.conflict("another version of the guidelines was published at the same moment; publish again") }
            try await AuditLog.append([
                AuditEvent(
                    at: now, actorID: actor.id, action: .guidelinePublished, entity: "queue", entityID: queue.id.uuidString,
                    queueID: queue.id, before: next > 1 ? ["version": .number(Double(next - 1))] : nil,
                    after: ["version": .number(Double(next)), "effective_at": .string(Timestamp.format(guideline.effectiveAt))])
            ], sql)
            if draft.recertify == true {
                let annotators = try await sql.raw("""
                    SELECT DISTINCT annotator_id FROM judgments WHERE queue_id = \(bind: queue.id)
                    """).all().map { try $0.uuid("annotator_id") }
                for annotator in annotators.sorted(by: { $0.uuidString < $1.uuidString }) {
                    _ = try await Self.setStatus(
                        of: annotator, in: queue.id, to: .suspended,
                        reason: "recertification required for guidelines version \(next)", by: actor.id, now: now, sql)
                }
            }
            return guideline
        }
    }

    /// Every version of a queue's guidelines, newest first.
    public func guidelines(of queueID: UUID) async throws -> [Guideline] {
        try await sql().raw("""
            SELECT \(unsafeRaw: Self.guidelineColumns) FROM guidelines WHERE queue_id = \(bind: queueID) ORDER BY version DESC
            """).all().map(Self.guideline(from:))
    }

    /// One version; `nil` asks for the one in force at `now`.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)``.
    public func guideline(of queueID: UUID, version: Int?, now: Date) async throws -> Guideline {
        let condition: SQLQueryString = version.map { "version = \(bind: $0)" }
            ?? "version = \(GuidelineVersions.inForce(in: queueID, at: now))"
        guard let row = try await sql().raw("""
            SELECT \(unsafeRaw: Self.guidelineColumns) FROM guidelines WHERE queue_id = \(bind: queueID) AND \(condition)
            """).first()
        else { throw AssayError.notFound(entity: "guideline version", id: version.map(String.init) ?? "in force") }
        return try Self.guideline(from: row)
    }

    /// The change from one version to another: the Markdown diff, the labels whose passage changed, and the
    /// active gold items and last 30 days' final labels with those labels.
    public func guidelineChange(of queue: Queue, from: Int, to: Int, now: Date) async throws -> GuidelineChange {
        // "From the version before" asked of the first version (the API's and the CLI's default) has no answer.
        guard from >= 1 else {
            throw AssayError.invalidInput(
                field: "version", line: nil, reason: to == 1 ? "version 1 is the first; there is no change to show" : "versions begin at 1")
        }
        // The version asked for first: a missing one is what is wrong, not the one before it.
        let new = try await guideline(of: queue.id, version: to, now: now)
        let old = try await guideline(of: queue.id, version: from, now: now)
        let changed = queue.schema.codes.filter { old.passages[$0] != new.passages[$0] }
        let sql = try sql()
        var gold: [Int64] = []
        var recent = 0
        if !changed.isEmpty {
            for row in try await sql.raw("""
                SELECT id, gold_labels FROM items WHERE queue_id = \(bind: queue.id) AND gold_state = 'active' ORDER BY id
                """).all() {
                let labels = try Column.strings(from: try row.string("gold_labels"))
                if labels.contains(where: changed.contains) { gold.append(try row.int64("id")) }
            }
            let since = Column.millis(now.addingTimeInterval(-30 * 86_400))
            for row in try await sql.raw("""
                SELECT labels FROM final_labels
                WHERE queue_id = \(bind: queue.id) AND decided_at_ms >= \(bind: since) AND labels IS NOT NULL
                """).all() {
                if try Column.strings(from: try row.string("labels")).contains(where: changed.contains) { recent += 1 }
            }
        }
        return GuidelineChange(
            from: from, to: to, diff: LineDiff.diff(old: old.markdown, new: new.markdown), changedLabels: changed,
            goldItemsTouched: gold, recentFinalLabelsTouched: recent)
    }

    static let guidelineColumns = "queue_id, version, markdown, passages, effective_at_ms, created_by, created_at_ms"

    static func guideline(from row: any SQLRow) throws -> Guideline {
        Guideline(
            queueID: try row.uuid("queue_id"), version: try row.int("version"), markdown: try row.string("markdown"),
            passages: try Column.decode([String: String].self, from: try row.string("passages")),
            effectiveAt: try row.date("effective_at_ms"), createdBy: try row.optionalUUID("created_by"),
            createdAt: try row.date("created_at_ms"))
    }
}

/// A queue's guideline versions by the time each takes effect, for stamping many judgments without a query each.
struct GuidelineVersions {
    private var effective: [(version: Int, atMillis: Int64)]

    static func of(_ queueID: UUID, _ sql: any SQLDatabase) async throws -> GuidelineVersions {
        GuidelineVersions(effective: try await sql.raw("""
            SELECT version, effective_at_ms FROM guidelines WHERE queue_id = \(bind: queueID)
            """).all().map { (try $0.int("version"), try $0.int64("effective_at_ms")) })
    }

    /// The version of a queue's guidelines in force at `time`, as an SQL subquery: the newest already in effect
    /// (NULL before the first). The one statement of the rule: a live submit stamps its judgment with it, the
    /// guidelines shown and a training exam's passage are read by it, and ``version(inForceAt:)`` applies it to
    /// versions read once for a batch of imported judgments.
    static func inForce(in queueID: UUID, at time: Date) -> SQLQueryString {
        """
        (SELECT MAX(version) FROM guidelines WHERE queue_id = \(bind: queueID) AND effective_at_ms <= \(bind: Column.millis(time)))
        """
    }

    /// ``inForce(in:at:)`` over the versions read by ``of(_:_:)``: the newest already in effect at `time`; nil
    /// before the first.
    func version(inForceAt time: Date) -> Int? {
        let millis = Column.millis(time)
        return effective.filter { $0.atMillis <= millis }.map(\.version).max()
    }
}

