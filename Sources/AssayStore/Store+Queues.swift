import AssayCore
import Foundation
import SQLKit

extension Store {
    /// Makes a queue from a draft.
    ///
    /// - Throws: ``AssayError/conflict(_:)`` when the name is taken; ``AssayError/invalidInput(field:line:reason:)``
    ///   for bad settings.
    public func createQueue(_ draft: QueueDraft, by actor: Person? = nil, now: Date) async throws -> Queue {
        let queue = try draft.makeQueue(id: UUID(), now: now)
        return try await transaction { sql in
            let inserted = try await sql.raw("""
                INSERT INTO queues (id, name, description, domain, markets, languages, schema, overlap, lease_seconds,
                                    consensus, ordering, quality, assist, created_at_ms)
                VALUES (\(bind: queue.id), \(bind: queue.name), \(bind: queue.description), \(bind: queue.domain),
                        \(bind: try Column.json(queue.markets)), \(bind: try Column.json(queue.languages)),
                        \(bind: try Column.json(queue.schema)), \(bind: queue.overlap), \(bind: queue.leaseSeconds),
                        \(bind: try Column.json(queue.consensus)), \(bind: queue.ordering.rawValue),
                        \(bind: try Column.json(queue.quality)), \(bind: try Column.json(queue.assist)),
                        \(bind: Column.millis(queue.createdAt)))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """).first()
            guard inserted != nil else { throw AssayError.conflict("a queue named '\(queue.name)' already exists") }
            try await QueueCounters.create(for: queue.id, sql)
            try await AuditLog.append([
                AuditEvent(
                    at: now, actorID: actor?.id, action: .queueCreated, entity: "queue", entityID: queue.id.uuidString,
                    queueID: queue.id, before: nil,
                    after: ["name": .string(queue.name), "overlap": .number(Double(queue.overlap))])
            ], sql)
            return queue
        }
    }

    /// The queue with this id or, failing that, this name: what `--queue` and `/queues/{queue}` accept.
    ///
    /// - Throws: ``AssayError/notFound(entity:id:)``.
    public func queue(_ reference: String) async throws -> Queue {
        if let cached = queueCache.queue(reference) { return cached }
        let queue = try await Self.queue(reference, sql())
        queueCache.remember(queue)
        return queue
    }

    /// Replaces a queue's quality settings and logs the change; returns the queue as it now is.
    ///
    /// Other server processes pick the change up within the queue cache's lifetime (5 seconds).
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for settings out of range.
    public func updateQuality(of queue: Queue, to settings: QualitySettings, by actor: Person, now: Date) async throws
        -> Queue
    {
        let settings = try settings.validated()
        return try await updateQuality(of: queue, by: actor, now: now) { _ in settings }
    }

    /// Changes some of a queue's quality settings, keeping the others as they are when the change is written (not as
    /// they were read before: a change made meanwhile to another setting stays), and logs the change.
    ///
    /// ```swift
    /// try await store.updateQuality(of: queue, by: analyst, now: Date()) { settings in
    ///     var settings = settings
    ///     settings.goldRate = 0.1
    ///     return settings
    /// }
    /// ```
    /// - Throws: what `change` throws; ``AssayError/invalidInput(field:line:reason:)`` for settings out of range.
    public func updateQuality(
        of queue: Queue, by actor: Person, now: Date, changing change: @escaping @Sendable (QualitySettings) throws -> QualitySettings
    ) async throws -> Queue {
        let updated = try await transaction { sql in
            try await Self.replaceSettings(\.quality, column: "quality", logged: .queueQualityChanged, of: queue.id, by: actor, now: now, sql) {
                try change($0).validated()
            }.after
        }
        queueCache.forget(updated)
        return updated
    }

    /// Writes one settings column of a queue (`quality`, `assist`) in the caller's transaction, as `change` makes it
    /// from the settings stored, and logs the change as `action`, with the settings before and after; returns the
    /// queue as it was and as it now is. The queue's row is locked before it is read, so that two changes at once
    /// are applied one after the other and each logs the settings it replaced.
    static func replaceSettings<Settings: Encodable>(
        _ keyPath: WritableKeyPath<Queue, Settings>, column: String, logged action: AuditAction, of queueID: UUID,
        by actor: Person, now: Date, _ sql: any SQLDatabase, change: (Settings) throws -> Settings
    ) async throws -> (before: Queue, after: Queue) {
        // The lock the update below takes anyway, taken first; not FOR UPDATE, which every row inserted that refers to
        // the queue (judgments, leases, labels) would wait for.
        if sql.backend == .postgres {
            try await sql.raw("SELECT id FROM queues WHERE id = \(bind: queueID) FOR NO KEY UPDATE").run()
        }
        let current = try await queue(queueID.uuidString, sql)
        let settings = try change(current[keyPath: keyPath])
        try await sql.raw("UPDATE queues SET \(ident: column) = \(bind: try Column.json(settings)) WHERE id = \(bind: queueID)").run()
        try await AuditLog.append([
            AuditEvent(
                at: now, actorID: actor.id, action: action, entity: "queue", entityID: queueID.uuidString,
                queueID: queueID, before: try JSONValue(encoding: current[keyPath: keyPath]), after: try JSONValue(encoding: settings))
        ], sql)
        var updated = current
        updated[keyPath: keyPath] = settings
        return (current, updated)
    }

    /// Every queue, by name.
    public func queues() async throws -> [Queue] {
        let sql = try sql()
        return try await sql.raw("SELECT \(unsafeRaw: Self.queueColumns) FROM queues ORDER BY name\(unsafeRaw: sql.bytewise)").all()
            .map(Self.queue(from:))
    }

    /// A queue's progress, from maintained counters.
    public func stats(of queueID: UUID) async throws -> QueueStats {
        try await QueueCounters.read(queueID, sql())
    }

    /// Every queue's name and progress, by name, from maintained counters: one statement however many queues.
    public func statsOfEveryQueue() async throws -> [(name: String, stats: QueueStats)] {
        try await QueueCounters.readAll(sql())
    }

    static func queue(_ reference: String, _ sql: any SQLDatabase) async throws -> Queue {
        let row: (any SQLRow)?
        if let id = UUID(uuidString: reference) {
            row = try await sql.raw("SELECT \(unsafeRaw: queueColumns) FROM queues WHERE id = \(bind: id)").first()
        } else {
            row = try await sql.raw("SELECT \(unsafeRaw: queueColumns) FROM queues WHERE name = \(bind: reference)").first()
        }
        guard let row else { throw AssayError.notFound(entity: "queue", id: reference) }
        return try queue(from: row)
    }

    /// The queue by id from the cache, or read through `sql` (inside the caller's transaction).
    func queue(id: UUID, _ sql: any SQLDatabase) async throws -> Queue {
        if let cached = queueCache.queue(id.uuidString) { return cached }
        let queue = try await Self.queue(id.uuidString, sql)
        queueCache.remember(queue)
        return queue
    }

    static let queueColumns = """
        id, name, description, domain, markets, languages, schema, overlap, lease_seconds, consensus, ordering, quality,
        assist, created_at_ms
        """

    static func queue(from row: any SQLRow) throws -> Queue {
        Queue(
            id: try row.uuid("id"), name: try row.string("name"), description: try row.string("description"),
            domain: try row.string("domain"), markets: try Column.strings(from: try row.string("markets")),
            languages: try Column.strings(from: try row.string("languages")),
            schema: try Column.decode(LabelSchema.self, from: try row.string("schema")), overlap: try row.int("overlap"),
            leaseSeconds: try row.int("lease_seconds"),
            consensus: try Column.decode(ConsensusRule.self, from: try row.string("consensus")),
            ordering: ItemOrdering(rawValue: try row.string("ordering")) ?? .priority,
            quality: try Column.decode(QualitySettings.self, from: try row.string("quality")),
            assist: try row.optionalString("assist").map { try Column.decode(AssistSettings.self, from: $0) } ?? AssistSettings(),
            createdAt: try row.date("created_at_ms"))
    }
}

/// A queue's progress counters, kept in the same transaction as the work they count.
///
/// Each queue has `shards` rows; a change lands on a random one and a read sums them. On PostgreSQL this keeps
/// concurrent submits from queueing on one row lock; on SQLite it costs nothing.
enum QueueCounters {
    static let shards = 16

    /// Amounts to add per counter, gathered over a transaction and applied with one ``add(_:to:_:)`` at its
    /// end. One UPDATE per transaction matters: two UPDATEs on two random shards would let concurrent
    /// transactions lock shards in opposite orders and deadlock on PostgreSQL.
    typealias Changes = [Field: Int]

    /// The counter columns.
    enum Field: String {
        case items, completedItems = "completed_items", judgments, skips
        case resolvedItems = "resolved_items", unresolvedItems = "unresolved_items", goldItems = "gold_items"
    }

    static func create(for queueID: UUID, _ sql: any SQLDatabase) async throws {
        let values = (0..<shards).map { shard -> SQLQueryString in "(\(bind: queueID), \(literal: shard), 0, 0, 0, 0, 0, 0, 0)" }
        let joined = SQLList(values)
        try await sql.raw("""
            INSERT INTO queue_counters (queue_id, shard, items, completed_items, judgments, skips, resolved_items,
                                        unresolved_items, gold_items) VALUES \(joined)
            """).run()
    }

    /// Adds the given amounts (which may be negative) to a queue's counters.
    ///
    /// One statement text whatever the amounts and the shard, all of them bound: the database prepares it once, and
    /// it is quicker to write than one naming only the changed columns with the amounts spelled out.
    static func add(_ changes: [Field: Int], to queueID: UUID, _ sql: any SQLDatabase) async throws {
        guard changes.values.contains(where: { $0 != 0 }) else { return }
        func amount(_ field: Field) -> Int { changes[field] ?? 0 }
        try await sql.raw("""
            UPDATE queue_counters SET items = items + \(bind: amount(.items)),
                completed_items = completed_items + \(bind: amount(.completedItems)),
                judgments = judgments + \(bind: amount(.judgments)), skips = skips + \(bind: amount(.skips)),
                resolved_items = resolved_items + \(bind: amount(.resolvedItems)),
                unresolved_items = unresolved_items + \(bind: amount(.unresolvedItems)),
                gold_items = gold_items + \(bind: amount(.goldItems))
            WHERE queue_id = \(bind: queueID) AND shard = \(bind: Int.random(in: 0..<shards))
            """).run()
    }

    // PostgreSQL's SUM over BIGINT is NUMERIC: cast back so both backends return integers.
    private static let sums = """
        CAST(COALESCE(SUM(c.items), 0) AS BIGINT) AS items,
        CAST(COALESCE(SUM(c.completed_items), 0) AS BIGINT) AS completed_items,
        CAST(COALESCE(SUM(c.judgments), 0) AS BIGINT) AS judgments,
        CAST(COALESCE(SUM(c.skips), 0) AS BIGINT) AS skips,
        CAST(COALESCE(SUM(c.resolved_items), 0) AS BIGINT) AS resolved_items,
        CAST(COALESCE(SUM(c.unresolved_items), 0) AS BIGINT) AS unresolved_items,
        CAST(COALESCE(SUM(c.gold_items), 0) AS BIGINT) AS gold_items
        """

    static func read(_ queueID: UUID, _ sql: any SQLDatabase) async throws -> QueueStats {
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: sums) FROM queue_counters c WHERE c.queue_id = \(bind: queueID)
            """).first()
        else { throw AssayError.notFound(entity: "queue", id: queueID.uuidString) }
        return try stats(from: row)
    }

    /// Every queue's counters with its name, in name order.
    static func readAll(_ sql: any SQLDatabase) async throws -> [(name: String, stats: QueueStats)] {
        try await sql.raw("""
            SELECT q.name, \(unsafeRaw: sums) FROM queues q LEFT JOIN queue_counters c ON c.queue_id = q.id
            GROUP BY q.id, q.name ORDER BY q.name\(unsafeRaw: sql.bytewise)
            """).all().map { (try $0.string("name"), try stats(from: $0)) }
    }

    private static func stats(from row: any SQLRow) throws -> QueueStats {
        QueueStats(
            items: try row.int("items"), completedItems: try row.int("completed_items"), judgments: try row.int("judgments"),
            skips: try row.int("skips"), resolvedItems: try row.int("resolved_items"),
            unresolvedItems: try row.int("unresolved_items"), goldItems: try row.int("gold_items"))
    }
}
