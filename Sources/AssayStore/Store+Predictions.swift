import AssayCore
import AssayQuality
import Foundation
import SQLKit

extension Store {
    // MARK: - Predictions in

    /// Stores a predictor's predictions for a queue's items, all or nothing: every row's item must exist in the
    /// queue, appear once, and have labels the schema accepts, or nothing changes and the error names the line.
    /// A prediction for an item the predictor already predicted replaces it.
    ///
    /// When the queue auto-accepts with this predictor (``AssistSettings``), the new predictions are routed in the
    /// same transaction: confident ones become final labels (provenance `model_auto_accept`) and leave the pool,
    /// a random share of those goes to the audit instead, and the rest stay with people. Gold items are never
    /// routed: their predictions measure the model.
    ///
    /// - Parameters:
    ///   - auditSeed: seeds the audit draw, for reproducible tests; random by default.
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for a bad row.
    public func importPredictions(
        _ drafts: [PredictionDraft], from reference: Predictor.Reference, kind: Predictor.Kind = .imported,
        into queue: Queue, now: Date, auditSeed: UInt64 = .random(in: 0...UInt64.max)
    ) async throws -> PredictionImportReport {
        return try await transaction { sql in
            let ids = try await Self.itemIDs(forExternalIDs: Set(drafts.map(\.itemExternalID)), in: queue.id, sql)
            let checked = try Self.checked(drafts, against: queue.schema, items: ids, of: queue)
            let predictorID = try await Self.predictorID(of: reference, kind: kind, now: now, sql)
            var rng = SplitMix64(seed: auditSeed)
            let (replaced, routed) = try await Self.store(
                checked.map { ($0, ids[$0.itemExternalID]!) }, by: predictorID, as: reference, in: queue, now: now,
                rng: &rng, sql)
            return PredictionImportReport(
                predictor: reference, received: checked.count, inserted: checked.count - replaced, replaced: replaced,
                routed: routed)
        }
    }

    /// Upserts checked predictions of items (by id), keeps the items' uncertainty when the queue uses this
    /// predictor, and routes them when it auto-accepts with it. Returns how many replaced an earlier prediction and
    /// how many took each route.
    ///
    /// A replaced prediction that went to people (route `human`) is routed again under the settings in force, so
    /// one that became confident can be accepted while nobody has the item. One whose route changed its item (a final
    /// label accepted, an audit, a review plan) cannot change: the item would keep a decision its prediction no
    /// longer says. Such a row is refused unless it repeats the prediction; a new version predicts afresh.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for a row that would change a routed prediction.
    static func store(
        _ predictions: [(draft: PredictionDraft, itemID: Int64)], by predictorID: UUID, as reference: Predictor.Reference,
        in queue: Queue, now: Date, rng: inout SplitMix64, _ sql: any SQLDatabase
    ) async throws -> (replaced: Int, routed: [ModelRoute: Int]) {
        var replaced = 0
        for chunk in predictions.chunks() {
            var earlier: [Int64: (labels: [String], confidence: Double, route: ModelRoute?)] = [:]
            for row in try await sql.raw("""
                SELECT item_id, labels, confidence, route FROM predictions
                WHERE predictor_id = \(bind: predictorID) AND item_id IN (\(binds: chunk.map(\.itemID)))
                """).all() {
                earlier[try row.int64("item_id")] = (
                    try Column.strings(from: try row.string("labels")), try row.decode(column: "confidence", as: Double.self),
                    try row.optionalString("route").flatMap(ModelRoute.init(rawValue:)))
            }
            replaced += earlier.count
            _ = try chunk.mapEach { draft, itemID in
                guard let before = earlier[itemID], let route = before.route, route != .human,
                    before.labels != draft.labels || abs(before.confidence - draft.confidence) > 1e-9
                else { return }
                throw AssayError.invalidInput(
                    field: before.labels != draft.labels ? "labels" : "confidence", line: draft.line,
                    reason: "item '\(draft.itemExternalID)' was already routed (\(route.rawValue)) on \(reference)'s earlier prediction "
                        + "(\(before.labels.joined(separator: "|")) at \(before.confidence)); predict it again under a new version")
            }
            let rows = try chunk.map { draft, itemID -> SQLQueryString in
                """
                (\(bind: predictorID), \(bind: itemID), \(bind: queue.id), \(bind: try Column.json(draft.labels)),
                 \(bind: draft.confidence), \(bind: draft.uncertainty), \(bind: Column.millis(now)))
                """
            }
            try await sql.raw("""
                INSERT INTO predictions (predictor_id, item_id, queue_id, labels, confidence, uncertainty, created_at_ms)
                VALUES \(SQLList(rows))
                ON CONFLICT (predictor_id, item_id) DO UPDATE SET labels = excluded.labels,
                    confidence = excluded.confidence, uncertainty = excluded.uncertainty,
                    created_at_ms = excluded.created_at_ms,
                    route = CASE WHEN predictions.route = 'human' THEN NULL ELSE predictions.route END
                """).run()
            if queue.assist.predictor == reference {
                try await refreshUncertainty(of: predictorID, where: "id IN (\(binds: chunk.map(\.itemID)))", sql)
            }
        }
        var routed: [ModelRoute: Int] = [:]
        if queue.assist.predictor == reference, queue.assist.routesPredictions {
            routed = try await routePendingPredictions(in: queue, predictorID: predictorID, rng: &rng, now: now, sql)
        }
        return (replaced, routed)
    }

    /// The drafts with canonical labels, or the bad rows' errors (the first 20), whatever is wrong with each: an
    /// unknown item, a repeated one, a confidence or labels out of bounds, all in one pass (an audit met them in
    /// three imports, one kind at a time).
    private static func checked(
        _ drafts: [PredictionDraft], against schema: LabelSchema, items ids: [String: Int64], of queue: Queue
    ) throws -> [PredictionDraft] {
        var lines: [String: Int?] = [:]
        return try drafts.mapEach { draft in
            guard ids[draft.itemExternalID] != nil else {
                throw AssayError.invalidInput(
                    field: "external_id", line: draft.line,
                    reason: "no item '\(draft.itemExternalID)' in queue '\(queue.name)'; import the item first")
            }
            if let first = lines.updateValue(draft.line, forKey: draft.itemExternalID) {
                throw AssayError.invalidInput(
                    field: "external_id", line: draft.line,
                    reason: "item '\(draft.itemExternalID)' already has a row\(first.map { " on line \($0)" } ?? ""); keep one")
            }
            guard (0...1).contains(draft.confidence) else {
                throw AssayError.invalidInput(
                    field: "confidence", line: draft.line, reason: "must be 0 to 1, got \(draft.confidence)")
            }
            var canonical = draft
            do {
                canonical.labels = try schema.canonicalLabels(draft.labels)
            } catch let error as AssayError {
                throw draft.line.map { error.at(line: $0) } ?? error
            }
            return canonical
        }
    }

    /// The predictor's id, registering it on its first prediction. A predictor keeps the kind it was first
    /// registered with.
    ///
    /// The row is locked (on PostgreSQL) until the caller commits: two writers of one version take turns.
    ///
    /// - Throws: ``AssayError/conflict(_:)`` when the version holds another kind's predictions (an LLM's answers
    ///   would be overwritten by an import, or the other way round).
    static func predictorID(of reference: Predictor.Reference, kind: Predictor.Kind, now: Date, _ sql: any SQLDatabase)
        async throws -> UUID
    {
        try await sql.raw("""
            INSERT INTO predictors (id, name, version, kind, created_at_ms)
            VALUES (\(bind: UUID()), \(bind: reference.name), \(bind: reference.version), \(bind: kind.rawValue),
                    \(bind: Column.millis(now)))
            ON CONFLICT (name, version) DO NOTHING
            """).run()
        let row = try await sql.raw("""
            SELECT id, kind FROM predictors WHERE name = \(bind: reference.name) AND version = \(bind: reference.version)
            \(unsafeRaw: sql.dialect.name == "postgresql" ? "FOR UPDATE" : "")
            """).first()!
        let existing = try row.string("kind")
        guard existing == kind.rawValue else {
            throw AssayError.conflict("\(reference) holds \(existing) predictions; give these a name or version of their own")
        }
        return try row.uuid("id")
    }

    /// Every predictor, by name and version, with how many items each has predicted.
    public func predictors() async throws -> [Predictor] {
        try await sql().raw("""
            SELECT r.id, r.name, r.version, r.kind, r.created_at_ms,
                   (SELECT COUNT(*) FROM predictions p WHERE p.predictor_id = r.id) AS predictions
            FROM predictors r ORDER BY r.name\(unsafeRaw: backend.bytewise), r.version\(unsafeRaw: backend.bytewise)
            """).all().map { row in
            Predictor(
                id: try row.uuid("id"),
                reference: Predictor.Reference(name: try row.string("name"), version: try row.string("version")),
                kind: Predictor.Kind(rawValue: try row.string("kind")) ?? .imported, createdAt: try row.date("created_at_ms"),
                predictions: try row.int("predictions"))
        }
    }

    // MARK: - Settings

    /// Replaces a queue's model-assistance settings and logs the change (`queue.assist_changed`); returns the queue
    /// as it now is. Turning auto-accept on (or changing its predictor) routes the predictor's predictions that no
    /// queue has routed yet, as an import would.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for settings the queue's labels do not fit, or
    ///   a predictor with no predictions yet.
    public func updateAssist(
        of queue: Queue, to settings: AssistSettings, by actor: Person, now: Date,
        auditSeed: UInt64 = .random(in: 0...UInt64.max)
    ) async throws -> Queue {
        let settings = try settings.validated(for: queue.schema)
        let updated = try await transaction { sql in
            var predictorID: UUID?
            if let reference = settings.predictor {
                predictorID = try await Self.existingPredictorID(reference, locking: settings.routesPredictions, sql)
                guard predictorID != nil else {
                    throw AssayError.invalidInput(
                        field: "predictor", line: nil,
                        reason: "no predictions from '\(reference)' yet; import them (or run the model) first")
                }
            }
            let (current, updated) = try await Self.replaceSettings(
                \.assist, column: "assist", logged: .queueAssistChanged, of: queue.id, by: actor, now: now, sql) { _ in settings }
            if current.assist.predictor != settings.predictor {
                try await Self.refreshUncertainty(of: predictorID, where: "queue_id = \(bind: queue.id)", sql)
            }
            if let predictorID, settings.routesPredictions {
                var rng = SplitMix64(seed: auditSeed)
                try await Self.routePendingPredictions(in: updated, predictorID: predictorID, rng: &rng, now: now, sql)
            }
            return updated
        }
        queueCache.forget(updated)
        return updated
    }

    /// Copies a predictor's uncertainty onto the items `condition` selects (−1 for items it did not predict, or for
    /// every one when the queue has no predictor), so that an uncertainty-ordered queue reads it from the item row.
    static func refreshUncertainty(of predictorID: UUID?, where condition: SQLQueryString, _ sql: any SQLDatabase)
        async throws
    {
        try await sql.raw("""
            UPDATE items SET uncertainty = COALESCE(
                (SELECT COALESCE(p.uncertainty, 1 - p.confidence) FROM predictions p
                 WHERE p.item_id = items.id AND p.predictor_id = \(bind: predictorID)), -1)
            WHERE \(condition)
            """).run()
    }

    ///
    /// With `locking`, the predictor's row is locked (on PostgreSQL) as imports and model runs lock it, so that its
    /// pending predictions are routed by one transaction at a time.
    static func existingPredictorID(_ reference: Predictor.Reference, locking: Bool = false, _ sql: any SQLDatabase)
        async throws -> UUID?
    {
        try await sql.raw("""
            SELECT id FROM predictors WHERE name = \(bind: reference.name) AND version = \(bind: reference.version)
            \(unsafeRaw: locking && sql.backend == .postgres ? "FOR UPDATE" : "")
            """).first()?.uuid("id")
    }

    // MARK: - Routing

    /// Routes the predictor's predictions on the queue's ordinary items that no queue has routed yet, 500 at a time:
    /// auto-accept (``AutoAccept``) takes the confident ones, with its audit share; review routing (``ReviewRouting``),
    /// when set, decides how many people check the rest (one, two, or an expert), from each item's risk tier and the
    /// queue's recent gold accuracy. Every change to an item is a conditional update that holds only while nobody
    /// has leased or judged it, so a model never overrides people who already have the item; such an item goes to
    /// people as the queue's overlap says (route `human`).
    ///
    /// - Returns: how many predictions took each route.
    @discardableResult
    static func routePendingPredictions(
        in queue: Queue, predictorID: UUID, rng: inout SplitMix64, now: Date, _ sql: any SQLDatabase
    ) async throws -> [ModelRoute: Int] {
        var routed: [ModelRoute: Int] = [:]
        var counters = QueueCounters.Changes()
        var decisions = DecisionRollup.Changes()  // added once, at the end: one shard per transaction
        let peopleAccuracy = try await recentGoldAccuracy(of: queue, now: now, sql)
        while true {
            let rows = try await sql.raw("""
                SELECT p.id, p.item_id, p.labels, p.confidence, i.external_id, i.content, i.market, i.imported_at_ms
                FROM predictions p JOIN items i ON i.id = p.item_id
                WHERE p.queue_id = \(bind: queue.id) AND p.predictor_id = \(bind: predictorID) AND p.route IS NULL
                  AND i.gold_state IS NULL
                ORDER BY p.id LIMIT \(literal: rowsPerStatement)
                """).all()
            guard !rows.isEmpty else { break }
            // The page's items locked at once, in id order, as every writer locks items: routes lock their own groups
            // after, which would otherwise take them out of that order.
            try await lockItems(Set(try rows.map { try $0.int64("item_id") }), backend: sql.backend, sql)
            var planned: [ModelRoute: [(predictionID: Int64, itemID: Int64)]] = [:]
            var acceptable: [Int64: (predictionID: Int64, label: FinalLabel, market: String?, importedAtMs: Int64)] = [:]
            for row in rows {
                let predictionID = try row.int64("id")
                let itemID = try row.int64("item_id")
                let labels = try Column.strings(from: try row.string("labels"))
                let confidence = try row.decode(column: "confidence", as: Double.self)
                let route = routeOf(
                    labels: labels, confidence: confidence, content: try Store.content(from: try row.string("content")),
                    queue: queue, peopleAccuracy: peopleAccuracy,
                    auditDraw: queue.assist.autoAccept == nil ? 0 : Double.random(in: 0..<1, using: &rng))
                guard route == .autoAccepted else {
                    planned[route, default: []].append((predictionID, itemID))
                    continue
                }
                acceptable[itemID] = (predictionID, FinalLabel(
                    itemID: itemID, externalID: try row.string("external_id"), labels: labels, provenance: .model,
                    confidence: confidence, judgmentCount: 0, unresolvedReason: nil, decidedAt: now),
                    try row.optionalString("market"), try row.int64("imported_at_ms"))
            }
            var routes: [ModelRoute: [Int64]] = [:]
            for (route, entries) in planned {
                let taken = try await plan(route, for: entries.map(\.itemID), in: queue, now: now, sql)
                for entry in entries {
                    routes[taken.contains(entry.itemID) ? route : .human, default: []].append(entry.predictionID)
                }
            }
            var accepted: [FinalLabel] = []
            let free = try await plan(.autoAccepted, for: acceptable.keys.sorted(), in: queue, now: now, sql)
            for (itemID, entry) in acceptable.sorted(by: { $0.key < $1.key }) {
                if free.contains(itemID) {
                    accepted.append(entry.label)
                    decisions.modelDecision(
                        market: entry.market, importedAtMs: entry.importedAtMs, queue: queue, now: Column.millis(now))
                }
                routes[free.contains(itemID) ? .autoAccepted : .human, default: []].append(entry.predictionID)
            }
            try await FinalLabels.write(accepted, previous: [:], queue: queue, now: now, counters: &counters, sql)
            for (route, ids) in routes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try await sql.raw("UPDATE predictions SET route = \(bind: route.rawValue) WHERE id IN (\(binds: ids)) AND route IS NULL").run()
                routed[route, default: 0] += ids.count
            }
        }
        try await DecisionRollup.add(decisions, sql)
        try await QueueCounters.add(counters, to: queue.id, sql)
        if !routed.isEmpty {
            try await AuditLog.append([
                AuditEvent(
                    at: now, actorID: nil, action: .predictionsRouted, entity: "predictor",
                    entityID: predictorID.uuidString, queueID: queue.id, before: nil,
                    after: .object(Dictionary(uniqueKeysWithValues: routed.map { ($0.key.rawValue, JSONValue.number(Double($0.value))) })))
            ], sql)
        }
        return routed
    }

    /// Where one prediction goes under the queue's auto-accept and review routing, `auditDraw` (uniform in [0, 1))
    /// deciding whether an auto-accepted one is audited.
    static func routeOf(
        labels: [String], confidence: Double, content: [String: JSONValue], queue: Queue, peopleAccuracy: Double,
        auditDraw: Double
    ) -> ModelRoute {
        let accepted = queue.assist.autoAccept?.route(labels: labels, confidence: confidence, auditDraw: auditDraw)
        guard let routing = queue.assist.reviewRouting else { return accepted ?? .human }
        let tier = routing.tier(of: content, predicted: labels, schema: queue.schema)
        switch routing.plan(
            confidence: confidence, autoAcceptable: accepted == .autoAccepted || accepted == .audit, tier: tier,
            peopleAccuracy: peopleAccuracy)
        {
        case .autoDecide: return accepted ?? .human
        case .oneReview: return .oneReview
        case .twoReviews: return .twoReviews
        case .expert: return .expert
        }
    }

    /// Applies a route to the items nobody has leased, judged or sent to an arbitrator yet; returns those it took. Auto-accepted items leave
    /// the pool; review plans set the judgments the item needs (and its places); an expert item leaves the pool with
    /// an arbitration case (reason `expert_review`). Audit and `human` items stay as they are.
    private static func plan(_ route: ModelRoute, for itemIDs: [Int64], in queue: Queue, now: Date, _ sql: any SQLDatabase)
        async throws -> Set<Int64>
    {
        guard !itemIDs.isEmpty else { return [] }
        let required: Int?
        switch route {
        case .audit, .human: return Set(itemIDs)
        case .autoAccepted, .expert: required = nil
        case .oneReview: required = 1
        case .twoReviews: required = 2
        }
        let places = required ?? 0
        // Locked first, as every writer of final labels locks them: PostgreSQL re-checks the update's own row after
        // waiting for it, but not the NOT EXISTS below, whose snapshot would still miss a decision made meanwhile.
        try await lockItems(Set(itemIDs), backend: sql.backend, sql)
        let taken = try await sql.raw("""
            UPDATE items SET open_slots = \(bind: places), required_judgments = \(bind: required)
            WHERE id IN (\(binds: itemIDs)) AND judgment_count = 0 AND open_slots = \(bind: queue.overlap)
              AND gold_state IS NULL AND NOT EXISTS (SELECT 1 FROM final_labels f WHERE f.item_id = items.id)
              AND NOT EXISTS (SELECT 1 FROM arbitration_cases c WHERE c.item_id = items.id AND c.state = 'open')
            RETURNING id
            """).all().map { try $0.int64("id") }
        if route == .expert, !taken.isEmpty {
            let cases = taken.sorted().map { itemID -> SQLQueryString in
                "(\(bind: queue.id), \(bind: itemID), 'expert_review', 'open', \(bind: Column.millis(now)))"
            }
            try await sql.raw("""
                INSERT INTO arbitration_cases (queue_id, item_id, reason, state, opened_at_ms) VALUES \(SQLList(cases))
                ON CONFLICT DO NOTHING
                """).run()
        }
        return Set(taken)
    }

    /// The queue's gold accuracy over the last 30 UTC days, today's included, smoothed
    /// (``ReviewRouting/peopleAccuracy(correct:answered:)``). Read from the day sums, a row per day, person and
    /// market, not the answers: serving gold asks it too, inside the lease's transaction.
    static func recentGoldAccuracy(of queue: Queue, now: Date, _ sql: any SQLDatabase) async throws -> Double {
        let row = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(gold_answered), 0) AS BIGINT) AS answered, CAST(COALESCE(SUM(gold_correct), 0) AS BIGINT) AS correct
            FROM activity_days WHERE queue_id = \(bind: queue.id) AND day >= \(bind: ActivityRollup.day(Column.millis(now)) - 29)
            """).first()!
        return ReviewRouting.peopleAccuracy(correct: try row.int("correct"), answered: try row.int("answered"))
    }

    // MARK: - Suggestions

    /// The lease with the queue's predictor's suggestion for its item attached, when the queue shows suggestions
    /// and the predictor has predicted the item. The assignment records which prediction was shown, so that
    /// rubber-stamping is measured on what the annotator saw.
    ///
    /// An item drawn to audit auto-accept is labelled blind: people shown the model's answer would lean towards it,
    /// and the audit would overstate the precision it exists to measure. A gold item takes the route its prediction
    /// would give an ordinary item (``goldRoute(of:labels:confidence:content:in:now:_:)``): blind when drawn to audit.
    func withSuggestion(_ lease: Lease?, in queue: Queue, _ sql: any SQLDatabase) async throws -> Lease? {
        guard var lease, queue.assist.showPredictions, let reference = queue.assist.predictor else { return lease }
        guard let row = try await sql.raw("""
            SELECT p.id, p.labels, p.confidence, i.gold_state FROM predictions p
            JOIN predictors r ON r.id = p.predictor_id JOIN items i ON i.id = p.item_id
            WHERE p.item_id = \(bind: lease.item.id) AND r.name = \(bind: reference.name) AND r.version = \(bind: reference.version)
              AND (p.route IS NULL OR p.route <> \(bind: ModelRoute.audit.rawValue))
            """).first()
        else { return lease }
        let labels = try Column.strings(from: try row.string("labels"))
        let confidence = try row.decode(column: "confidence", as: Double.self)
        if try row.optionalString("gold_state") != nil {
            let route = try await goldRoute(
                of: lease.item.id, labels: labels, confidence: confidence, content: lease.item.content, in: queue,
                now: lease.assignment.leasedAt, sql)
            guard [.human, .oneReview, .twoReviews].contains(route) else { return lease }
        }
        let predictionID = try row.int64("id")
        try await sql.raw("""
            UPDATE assignments SET suggestion_id = \(bind: predictionID) WHERE id = \(bind: lease.assignment.id)
            """).run()
        lease.suggestion = Suggestion(labels: labels, confidence: confidence, predictor: reference)
        return lease
    }

    /// Where a gold item's prediction would send an ordinary item under the queue's auto-accept rule and review
    /// routing (``routeOf(labels:confidence:content:queue:peopleAccuracy:auditDraw:)``), the audit drawn once per item:
    /// `.human` when suggestions are not shown.
    ///
    /// Gold is never routed, yet it must look like the work people get. An ordinary item sure enough to auto-accept
    /// never reaches a person, one that review routing sends to an expert reaches only arbitrators, and one drawn to
    /// audit reaches people blind: shown a suggestion that sure, or a risky item with an unsure one, a person was
    /// looking at gold far more often than not (a security audit told gold apart so). So a gold item whose route
    /// would be auto-accept or an expert is not served while suggestions are shown (``leaseGold(in:for:now:_:)``),
    /// and one whose route would be audit is served blind: the gold people see has the suggestions, and the
    /// absences, of the rest. People's accuracy, which review routing weighs, is the queue's at the time of asking.
    ///
    /// - Parameter peopleAccuracy: the queue's recent gold accuracy when the caller has read it already; read here
    ///   otherwise, if review routing needs it.
    func goldRoute(
        of itemID: Int64, labels: [String], confidence: Double, content: [String: JSONValue], in queue: Queue, now: Date,
        peopleAccuracy known: Double? = nil, _ sql: any SQLDatabase
    ) async throws -> ModelRoute {
        guard queue.assist.showPredictions else { return .human }
        var peopleAccuracy = 0.0
        if queue.assist.reviewRouting != nil {
            if let known { peopleAccuracy = known } else { peopleAccuracy = try await Self.recentGoldAccuracy(of: queue, now: now, sql) }
        }
        // The draw of its own per item (QA's draws take an item's judgment positions, from 0).
        return Self.routeOf(
            labels: labels, confidence: confidence, content: content, queue: queue, peopleAccuracy: peopleAccuracy,
            auditDraw: chance.uniform(fixedBy: itemID, 1 << 30))
    }

    /// Whether a gold item may be served: not when its prediction would auto-accept an ordinary item or send it to an
    /// expert.
    func isServableGold(
        _ itemID: Int64, in queue: Queue, now: Date, peopleAccuracy: Double? = nil, _ sql: any SQLDatabase
    ) async throws -> Bool {
        guard queue.assist.showPredictions, queue.assist.autoAccept != nil || queue.assist.reviewRouting != nil,
            let reference = queue.assist.predictor
        else { return true }
        guard let row = try await sql.raw("""
            SELECT p.labels, p.confidence, i.content FROM predictions p JOIN predictors r ON r.id = p.predictor_id
            JOIN items i ON i.id = p.item_id
            WHERE p.item_id = \(bind: itemID) AND r.name = \(bind: reference.name) AND r.version = \(bind: reference.version)
            """).first()
        else { return true }
        let route = try await goldRoute(
            of: itemID, labels: try Column.strings(from: try row.string("labels")),
            confidence: try row.decode(column: "confidence", as: Double.self), content: try Store.content(from: try row.string("content")),
            in: queue, now: now, peopleAccuracy: peopleAccuracy, sql)
        return ![.autoAccepted, .expert].contains(route)
    }
}
