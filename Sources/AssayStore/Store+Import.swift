import AssayCore
import FluentPostgresDriver
import Foundation
import Logging
import SQLKit
import SQLiteNIO

// MARK: - Items

extension Store {
    /// Rows per INSERT statement: well under both backends' limits on bound parameters.
    static let rowsPerStatement = 500

    /// Adds items to a queue in one transaction: all of them or, on any error, none.
    ///
    /// An external id already in the queue (or repeated in the batch) is skipped and counted as a duplicate,
    /// so importing the same file twice changes nothing.
    ///
    /// - Parameters:
    ///   - ids: On PostgreSQL, ids from ``reserveItemIDs(_:)``, one per draft, in order: batches given ids
    ///     reserved in file order may be stored at the same time and still keep the file's order. nil: ids are
    ///     drawn now.
    ///   - beforeCommit: Awaited after the rows are written and before the transaction counts them and commits,
    ///     holding no lock another batch needs; an error it throws rolls the batch back. Batches stored at the same
    ///     time pass "the batch before me committed", so they commit in file order, and a failed batch takes the
    ///     ones after it with it: a re-import then stores them in file order again. On SQLite it must not wait for
    ///     another write: this transaction holds the one writer.
    public func importItems(
        _ drafts: [ItemDraft], into queue: Queue, now: Date, ids: [Int64]? = nil,
        beforeCommit: @escaping @Sendable () async throws -> Void = {}
    ) async throws -> ImportReport {
        guard !drafts.isEmpty else { return ImportReport(received: 0, inserted: 0, duplicates: 0) }
        precondition(ids == nil || (backend == .postgres && ids!.count == drafts.count), "one reserved id per item, on PostgreSQL")
        for draft in drafts {
            do {
                try draft.checkJudgeable(on: queue.schema)
            } catch AssayError.invalidInput(let field, _, let reason) {
                throw AssayError.invalidInput(field: field, line: nil, reason: "item '\(draft.externalID)': \(reason)")
            }
        }
        let nowMillis = Column.millis(now)
        return try await transaction { sql in
            let inserted: Int
            switch sql {
            case let sqlite as SQLiteDirectDatabase:
                inserted = try Self.insertItems(drafts, into: queue, nowMillis: nowMillis, sqlite.writerInTransaction)
            default:
                let postgres = sql as! any PostgresDatabase
                var reserved = ids ?? []
                if ids == nil { reserved = try await Self.reserveItemIDs(drafts.count, postgres) }
                inserted = try await Self.insertItems(drafts, ids: reserved, into: queue, nowMillis: nowMillis, postgres)
            }
            // Before the counters and places: waiting while holding a lock on their rows could block the batch
            // waited for.
            try await beforeCommit()
            try await QueueCounters.add([.items: inserted], to: queue.id, sql)
            try await Self.recordPlaces(of: drafts, in: queue.id, sql)
            let differing = inserted == drafts.count ? [] : try await Self.differingFromStored(drafts, in: queue.id, sql)
            return ImportReport(
                received: drafts.count, inserted: inserted, duplicates: drafts.count - inserted, differing: differing.count,
                differingLines: differing.compactMap(\.line))
        }
    }

    /// Of these drafts, those whose external id names a stored item with other content or metadata (created time
    /// aside): skipped as already there, they must not pass for applied (a file of corrected texts imported again).
    /// A draft just stored is its own item, so it never differs.
    static func differingFromStored(_ drafts: [ItemDraft], in queueID: UUID, _ sql: any SQLDatabase) async throws -> [ItemDraft] {
        var differing: [ItemDraft] = []
        for chunk in drafts.chunks() {
            var stored: [String: (content: String, market: String?, language: String?, source: String?, priority: Int)] = [:]
            for row in try await sql.raw("""
                SELECT external_id, content, market, language, source, priority FROM items
                WHERE queue_id = \(bind: queueID) AND external_id IN (\(binds: chunk.map(\.externalID)))
                """).all() {
                stored[try row.string("external_id")] = (
                    try row.string("content"), try row.optionalString("market"), try row.optionalString("language"),
                    try row.optionalString("source"), try row.decode(column: "priority", as: Int.self))
            }
            for draft in chunk {
                guard let item = stored[draft.externalID] else { continue }
                if item.content != JSONValue.object(draft.content).canonicalJSON || item.market != draft.market
                    || item.language != draft.language || item.source != draft.source || item.priority != draft.priority
                {
                    differing.append(draft)
                }
            }
        }
        return differing
    }

    /// Adds the places (language and market) of a batch's items to the queue's list, which the next-item search
    /// reads for a person who takes only some of them (migration 053); a place listed already changes nothing.
    /// Places go in one order, so that two imports adding the same ones never wait for each other crosswise.
    static func recordPlaces(of drafts: [ItemDraft], in queueID: UUID, _ sql: any SQLDatabase) async throws {
        struct Place: Hashable { let language: String?, market: String? }
        let places = Set(drafts.map { Place(language: $0.language, market: $0.market) })
            .sorted { ($0.language ?? "", $0.market ?? "") < ($1.language ?? "", $1.market ?? "") }
        for place in places {
            try await sql.raw("""
                INSERT INTO queue_places (queue_id, language, market)
                VALUES (\(bind: queueID), \(bind: place.language), \(bind: place.market)) ON CONFLICT DO NOTHING
                """).run()
        }
    }

    /// Inserts a batch of items on SQLite, inside a transaction on its writer: one cached single-row statement run
    /// per item with its values bound directly, in the batch's order; returns how many were new. As 500-row
    /// `VALUES` lists built through SQLKit, writing the SQL and boxing its 5,500 binds was a quarter of an
    /// import's CPU. Values are stored as ``SQLiteDirectDatabase`` stores them.
    static func insertItems(_ drafts: [ItemDraft], into queue: Queue, nowMillis: Int64, _ writer: SQLiteHandle) throws -> Int {
        let statement = """
            INSERT INTO items (queue_id, external_id, content, market, language, source, priority, created_at_ms,
                               imported_at_ms, open_slots, judgment_count)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (queue_id, external_id) DO NOTHING
            """
        func text(_ value: String?) -> SQLiteData { value.map { .text($0) } ?? .null }
        var inserted = 0
        for draft in drafts {
            inserted += try writer.run(statement, binds: [
                .text(queue.id.canonicalText), .text(draft.externalID), .text(JSONValue.object(draft.content).canonicalJSON),
                text(draft.market), text(draft.language), text(draft.source), .integer(draft.priority),
                .integer(Int(draft.createdAt.map(Column.millis) ?? nowMillis)), .integer(Int(nowMillis)),
                .integer(queue.overlap),
            ])
        }
        return inserted
    }

    /// Inserts a batch of items on PostgreSQL in one statement with one array per column (`unnest`), in the
    /// batch's order, and returns how many were new. As 500-row `VALUES` lists, each statement of 5,500 binds was
    /// parsed and planned anew and every bind went through `Codable`: a million items took 44 seconds.
    ///
    /// PostgresNIO cannot bind an array with NULLs, so each optional column travels as its values and a flag
    /// saying which are present.
    static func insertItems(
        _ drafts: [ItemDraft], ids: [Int64], into queue: Queue, nowMillis: Int64, _ postgres: any PostgresDatabase
    ) async throws -> Int {
        var externalIDs: [String] = [], contents: [String] = [], priorities: [Int64] = [], createdAt: [Int64] = []
        var optional: [[String]] = [[], [], []], present: [[Bool]] = [[], [], []]
        externalIDs.reserveCapacity(drafts.count)
        contents.reserveCapacity(drafts.count)
        for draft in drafts {
            externalIDs.append(draft.externalID)
            contents.append(JSONValue.object(draft.content).canonicalJSON)
            priorities.append(Int64(draft.priority))
            createdAt.append(draft.createdAt.map(Column.millis) ?? nowMillis)
            for (index, value) in [draft.market, draft.language, draft.source].enumerated() {
                optional[index].append(value ?? "")
                present[index].append(value != nil)
            }
        }
        let query: PostgresQuery = """
            WITH inserted AS (
                INSERT INTO items (id, queue_id, external_id, content, market, language, source, priority,
                                   created_at_ms, imported_at_ms, open_slots, judgment_count)
                SELECT u.id, \(queue.id), u.external_id, u.content, CASE WHEN u.has_market THEN u.market END,
                       CASE WHEN u.has_language THEN u.language END, CASE WHEN u.has_source THEN u.source END,
                       u.priority, u.created_at_ms, \(nowMillis), \(Int64(queue.overlap)), 0
                FROM unnest(\(ids)::int8[], \(externalIDs)::text[], \(contents)::text[],
                            \(optional[0])::text[], \(present[0])::bool[], \(optional[1])::text[], \(present[1])::bool[],
                            \(optional[2])::text[], \(present[2])::bool[],
                            \(priorities)::int8[], \(createdAt)::int8[])
                     WITH ORDINALITY AS u(id, external_id, content, market, has_market, language, has_language, source,
                                          has_source, priority, created_at_ms, position)
                ORDER BY u.position
                ON CONFLICT (queue_id, external_id) DO NOTHING
                RETURNING 1)
            SELECT count(*) FROM inserted
            """
        return try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                var count = 0
                for try await inserted in try await connection.query(query, logger: Logger(label: "assay.import"))
                    .decode(Int64.self) { count = Int(inserted) }
                return count
            }
        }.get()
    }

    /// Ids for `count` new items, increasing, drawn from the items' sequence (PostgreSQL; nil on SQLite, whose one
    /// writer stores batches one at a time anyway). See ``importItems(_:into:now:ids:)``.
    public func reserveItemIDs(_ count: Int) async throws -> [Int64]? {
        guard backend == .postgres, count > 0 else { return nil }
        return try await Self.reserveItemIDs(count, try sql() as! any PostgresDatabase)
    }

    static func reserveItemIDs(_ count: Int, _ postgres: any PostgresDatabase) async throws -> [Int64] {
        try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                var ids: [Int64] = []
                // The sequence is named in a scalar subquery, which runs once: called in the select list,
                // pg_get_serial_sequence ran for every id drawn, five times the cost of the draw itself.
                let rows = try await connection.query("""
                    SELECT array_agg(id ORDER BY id) FROM (
                        SELECT nextval((SELECT pg_get_serial_sequence('items', 'id'))::regclass) AS id
                        FROM generate_series(1, \(Int64(count)))) drawn
                    """, logger: Logger(label: "assay.import"))
                for try await drawn in rows.decode([Int64].self) { ids = drawn }
                return ids
            }
        }.get()
    }

    /// Items of a queue in import order, a page at a time (keyset: pass the last id of the previous page).
    public func items(in queueID: UUID, after itemID: Int64?, limit: Int) async throws -> [Item] {
        try await sql().raw("""
            SELECT \(unsafeRaw: Self.itemColumns) FROM items
            WHERE queue_id = \(bind: queueID) AND id > \(bind: itemID ?? 0) ORDER BY id LIMIT \(bind: limit)
            """).all().map(Self.item(from:))
    }

    /// Item content as stored: a JSON object in canonical text (``JSONValue/canonicalJSON``).
    static func content(from text: String) throws -> [String: JSONValue] {
        guard case .object(let content) = try JSONValue(parsing: text.utf8) else {
            throw AssayError.invalidInput(field: "content", line: nil, reason: "stored item content is not a JSON object")
        }
        return content
    }

    static let itemColumns = "id, queue_id, external_id, content, market, language, source, priority, created_at_ms"
    /// ``itemColumns`` of the items table aliased `i`, for joins.
    static let itemColumnsOfI = itemColumns.split(separator: ",").map { "i." + $0.trimmingCharacters(in: .whitespaces) }
        .joined(separator: ", ")

    static func item(from row: any SQLRow) throws -> Item {
        Item(
            id: try row.int64("id"), queueID: try row.uuid("queue_id"), externalID: try row.string("external_id"),
            content: try content(from: try row.string("content")),
            market: try row.optionalString("market"), language: try row.optionalString("language"),
            source: try row.optionalString("source"), priority: try row.int("priority"),
            createdAt: try row.date("created_at_ms"))
    }
}

// MARK: - Planner statistics

extension Store {
    /// Brings PostgreSQL's planner statistics up to date on the tables a bulk import grows; nothing on SQLite, whose
    /// planner picks the store's indexes without statistics.
    ///
    /// A big import grows `judgments` and `final_labels` from a few rows to millions within minutes, faster than
    /// autovacuum re-analyzes them. With statistics from when they were small, PostgreSQL read a 500-item batch's
    /// judgments by scanning the whole table, so each batch took longer than the one before. `ANALYZE` reads a fixed
    /// sample (30,000 rows per table), so it costs about the same at any size.
    public func refreshPlannerStatistics() async throws {
        guard backend == .postgres else { return }
        try await sql().raw("ANALYZE items, judgments, assignments, final_labels").run()
    }
}

// MARK: - Judgments made elsewhere

extension Store {
    /// Adds judgments made in another tool, in one transaction: all of them or, on any error, none.
    ///
    /// Each row must name an item already in the queue and labels valid for its schema; a person is created
    /// (as an annotator) for each annotator id seen for the first time. A judgment for an item and annotator
    /// already judged is a duplicate and skipped. Items that reach the queue's overlap get their final label.
    ///
    /// Each stored judgment also records a submitted assignment, so the annotator is never routed that item.
    ///
    /// A row naming a person who does not label (an admin, analyst or vendor lead) is refused: their "judgments"
    /// would count toward overlap and consensus. So is one submitted more than five minutes from now, a clock or
    /// time-zone mistake that would date work in weeks to come.
    ///
    /// - Parameter origin: `.imported` for judgments from other tools; the demo simulator passes `.assay`.
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the line of the bad row, or ``AssayError/rows(_:)``
    ///   listing every bad row (up to 20), as a file's check does.
    public func importJudgments(
        _ judgments: [ImportedJudgment], into queue: Queue, origin: Judgment.Origin = .imported, now: Date
    ) async throws -> ImportReport {
        // Every problem is listed (up to 20, in the file's order): those of the rows themselves, then, in the
        // transaction, those of the items and people they name.
        var problems: [(line: Int, error: AssayError)] = []
        var lines: [JudgmentPair: Int] = [:]
        var answers: [(labels: [String], ranking: [String]?)] = []
        for row in judgments {
            do {
                try row.requireSubmitted(by: now)
                let pair = JudgmentPair(item: row.itemExternalID, annotator: row.annotatorExternalID)
                if let first = lines.updateValue(row.line, forKey: pair) { throw row.repeating(line: first) }
                do {
                    answers.append(try queue.schema.validate(labels: row.labels, ranking: row.ranking, rationale: row.rationale))
                } catch let error as AssayError {
                    throw row.locate(error)
                }
            } catch let error as AssayError {
                problems.append((row.line, error))
                answers.append(([], nil))
            }
        }
        let (labels, checked, rowProblems) = (answers.map(\.labels), answers, problems)
        return try await transaction { sql in
            var problems = rowProblems
            let itemIDs = try await Self.itemIDs(
                forExternalIDs: Set(judgments.map(\.itemExternalID)), in: queue.id, sql)
            // Before anyone is made of them.
            let twins = try await Self.caseTwins(among: Set(judgments.map(\.annotatorExternalID)), sql)
            let (people, created, nonLabelers) = try await Self.annotatorIDs(
                forExternalIDs: Set(judgments.map(\.annotatorExternalID)), for: queue, now: now, sql)
            for row in judgments {
                if let stored = twins[row.annotatorExternalID.composed] {
                    problems.append((row.line, row.locate(ImportedJudgment.caseTwin(row.annotatorExternalID, of: stored, line: row.line))))
                } else if itemIDs[row.itemExternalID] == nil {
                    problems.append((row.line, .invalidInput(
                        field: "item_external_id", line: row.line,
                        reason: "no item '\(row.itemExternalID)' in queue '\(queue.name)'; import the items first")))
                } else if let role = nonLabelers[row.annotatorExternalID.composed] {
                    problems.append((row.line, row.locate(ImportedJudgment.notLabeling(row.annotatorExternalID, role: role, line: row.line))))
                }
            }
            // Thrown, the transaction rolls back the people it made.
            guard problems.isEmpty else {
                throw AssayError.rows(problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
                    .prefix(20).map(\.element.error))
            }
            // Lock the items first, in id order, as "next" and submit do: the same lock order everywhere.
            try await Self.lockItems(Set(itemIDs.values), backend: self.backend, sql)
            // Each judgment records the guidelines version in force when it was made, as a live submit does.
            let guidelines = try await GuidelineVersions.of(queue.id, sql)
            let markets = try await ActivityRollup.markets(of: Set(itemIDs.values), sql)
            var touched: [Int64: Int] = [:]
            var slotsHeld: [Int64: Int] = [:]
            var inserted = 0
            var newJudgments: [any SQLRow] = []
            var rollup: [ActivityRollup.Key: ActivityRollup.Change] = [:]
            var exposure: [ExposureKey: Int] = [:]
            let hasSevereLabels = !queue.schema.severeCodes.isEmpty
            for start in stride(from: 0, to: judgments.count, by: Self.rowsPerStatement) {
                let end = min(start + Self.rowsPerStatement, judgments.count)
                let batch = try (start..<end).map { index in
                    let row = judgments[index]
                    return JudgmentInsert(
                        itemID: itemIDs[row.itemExternalID]!, annotatorID: people[row.annotatorExternalID]!,
                        labels: try Column.json(labels[index]), rationale: row.rationale, timeSpentMs: row.timeSpentMs,
                        startedAtMs: row.startedAt.map(Column.millis), submittedAtMs: Column.millis(row.submittedAt),
                        guidelineVersion: guidelines.version(inForceAt: row.submittedAt),
                        ranking: try checked[index].ranking.map(Column.json))
                }
                let rows = try await Self.insertJudgments(batch, into: queue.id, origin: origin, sql)
                for row in rows {
                    touched[try row.int64("item_id"), default: 0] += 1
                    let key = ActivityRollup.Key(
                        queueID: queue.id, day: ActivityRollup.day(try row.int64("submitted_at_ms")),
                        annotatorID: try row.uuid("annotator_id"), market: markets[try row.int64("item_id")] ?? "")
                    rollup[key, default: .init()].judgments += 1
                    rollup[key, default: .init()].timeSpentMs += try row.int("time_spent_ms")
                    // Without a start time, the time spent is unknown (stored as 0): not counted as handling time.
                    if try row.decode(column: "started_at_ms", as: Int64?.self) != nil { rollup[key, default: .init()].timed += 1 }
                    // Severe content seen in another tool was seen all the same: it counts toward the day's limit.
                    if hasSevereLabels {
                        for exposed in Self.exposure(
                            to: try Column.strings(from: try row.string("labels")), of: queue, by: key.annotatorID,
                            at: try row.int64("submitted_at_ms"))
                        {
                            exposure[exposed, default: 0] += 1
                        }
                    }
                }
                newJudgments += rows
                for (itemID, held) in try await Self.recordSubmittedAssignments(for: rows, queueID: queue.id, sql) {
                    slotsHeld[itemID, default: 0] += held
                }
                inserted += rows.count
            }
            let differing = try await Self.differingDuplicates(
                of: judgments, answers: checked, itemIDs: itemIDs, people: people, inserted: newJudgments, sql)
            try await ActivityRollup.add(rollup, sql)
            try await Self.recordExposure(exposure, sql)
            var counters: QueueCounters.Changes = [.judgments: inserted]
            let judged = try await Self.countJudgments(touched, slotsHeld: slotsHeld, sql)
            // Judgments on gold items, made in another tool, score their annotators as if made here.
            let goldItems = try await Self.scoreImportedGoldAnswers(newJudgments, queue: queue, now: now, sql)
            let decided = try await FinalLabels.refresh(
                judged.filter { !goldItems.contains($0.itemID) }, queue: queue, now: now, counters: &counters, sql)
            try await QueueCounters.add(counters, to: queue.id, sql)
            // Judgments made in a vendor's own tool are audited like those made here.
            for final in decided { try await Self.sampleForQA(final, queue: queue, now: now, chance: chance, sql) }
            return ImportReport(
                received: judgments.count, inserted: inserted, duplicates: judgments.count - inserted,
                createdAnnotators: created, differing: differing.count, differingLines: differing.lines)
        }
    }

    /// The lines of the rows that were not inserted because the person had judged the item already, with labels
    /// (or, on a preference queue, a ranking) other than the row's: the stored judgment stays, and the report says so.
    /// A line holding several judgments (a Label Studio task's annotations) is named once.
    private static func differingDuplicates(
        of judgments: [ImportedJudgment], answers: [(labels: [String], ranking: [String]?)], itemIDs: [String: Int64],
        people: [String: UUID], inserted: [any SQLRow], _ sql: any SQLDatabase
    ) async throws -> (count: Int, lines: [Int]) {
        struct Pair: Hashable {
            let item: Int64
            let annotator: UUID
        }
        struct Answer {
            let labels: Set<String>
            let ranking: [String]?
        }
        func pair(_ index: Int) -> Pair {
            Pair(item: itemIDs[judgments[index].itemExternalID]!, annotator: people[judgments[index].annotatorExternalID]!)
        }
        let stored = Set(try inserted.map { Pair(item: try $0.int64("item_id"), annotator: try $0.uuid("annotator_id")) })
        let skipped = judgments.indices.filter { !stored.contains(pair($0)) }
        guard !skipped.isEmpty else { return (0, []) }
        var before: [Pair: Answer] = [:]
        for chunk in Set(skipped.map { pair($0).item }).sorted().chunks() {
            for row in try await sql.raw("""
                SELECT item_id, annotator_id, labels, ranking FROM judgments WHERE item_id IN (\(binds: chunk))
                """).all() {
                before[Pair(item: try row.int64("item_id"), annotator: try row.uuid("annotator_id"))] = Answer(
                    labels: Set(try Column.strings(from: try row.string("labels"))),
                    ranking: try row.optionalString("ranking").map(Column.strings(from:)))
            }
        }
        // A row without a ranking (a vendor's label file) differs only by its labels from a stored judgment with one.
        let differing = skipped.filter { index in
            guard let stored = before[pair(index)] else { return false }
            return stored.labels != Set(answers[index].labels)
                || (answers[index].ranking != nil && stored.ranking != answers[index].ranking)
        }
        return (differing.count, Set(differing.map { judgments[$0].line }).sorted())
    }

    /// One imported judgment's row, as stored.
    struct JudgmentInsert {
        var itemID: Int64
        var annotatorID: UUID
        var labels: String
        var rationale: String?
        var timeSpentMs: Int
        var startedAtMs: Int64?
        var submittedAtMs: Int64
        var guidelineVersion: Int?
        var ranking: String?
    }

    /// Inserts a batch of imported judgments, skipping an (item, annotator) pair already judged, and returns the new
    /// rows. On SQLite each is one run of a cached single-row statement, its values bound directly: built through
    /// SQLKit as 500-row `VALUES` lists, writing the SQL and encoding the binds of these two inserts was about a
    /// quarter of an import's CPU (profile), and 300,000 judgments now load 6% faster. On PostgreSQL, where each
    /// statement is a round trip, the 500 rows go as one.
    private static func insertJudgments(
        _ batch: [JudgmentInsert], into queueID: UUID, origin: Judgment.Origin, _ sql: any SQLDatabase
    ) async throws -> [any SQLRow] {
        let insert = """
            INSERT INTO judgments (item_id, queue_id, annotator_id, labels, rationale, time_spent_ms, started_at_ms,
                                   submitted_at_ms, origin, guideline_version, ranking)
            """
        let returning = """
            ON CONFLICT (item_id, annotator_id) DO NOTHING
            RETURNING id, item_id, annotator_id, labels, started_at_ms, submitted_at_ms, time_spent_ms
            """
        if let sqlite = sql as? SQLiteDirectDatabase {
            let statement = "\(insert) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \(returning)"
            let writer = sqlite.writerInTransaction
            let queue = SQLiteData.text(queueID.canonicalText), origin = SQLiteData.text(origin.rawValue)
            var rows: [any SQLRow] = []
            rows.reserveCapacity(batch.count)
            for judgment in batch {
                try writer.run(statement, binds: [
                    .integer(Int(judgment.itemID)), queue, .text(judgment.annotatorID.canonicalText), .text(judgment.labels),
                    judgment.rationale.map { .text($0) } ?? .null, .integer(judgment.timeSpentMs),
                    judgment.startedAtMs.map { .integer(Int($0)) } ?? .null, .integer(Int(judgment.submittedAtMs)), origin,
                    judgment.guidelineVersion.map { .integer($0) } ?? .null, judgment.ranking.map { .text($0) } ?? .null,
                ]) { rows.append(SQLiteValuesRow(values: $0)) }
            }
            return rows
        }
        let values = batch.map { judgment -> SQLQueryString in
            """
            (\(bind: judgment.itemID), \(bind: queueID), \(bind: judgment.annotatorID), \(bind: judgment.labels),
             \(bind: judgment.rationale), \(bind: judgment.timeSpentMs), \(bind: judgment.startedAtMs),
             \(bind: judgment.submittedAtMs), \(literal: origin.rawValue), \(bind: judgment.guidelineVersion),
             \(bind: judgment.ranking))
            """
        }
        return try await sql.raw("\(unsafeRaw: insert) VALUES \(SQLList(values)) \(unsafeRaw: returning)").all()
    }

    /// Adds each item's new judgments to its count and takes their slots.
    ///
    /// A judgment whose annotator held a live lease on the item uses that lease's slot; the others take one
    /// each (never below zero: judgments made elsewhere may exceed the overlap). Items are grouped by what they
    /// get (almost all "one judgment, one slot"), and each group is updated 500 ids per statement with
    /// `id IN (…)`, which both backends answer by primary key. (A join against a VALUES list led SQLite 3.53's
    /// planner to scan the whole items table for every 500 rows.)
    private static func countJudgments(_ added: [Int64: Int], slotsHeld: [Int64: Int], _ sql: any SQLDatabase)
        async throws -> [FinalLabels.Judged]
    {
        struct Change: Hashable {
            var added: Int
            var taken: Int
        }
        var groups: [Change: [Int64]] = [:]
        for (item, count) in added {
            groups[Change(added: count, taken: count - slotsHeld[item, default: 0]), default: []].append(item)
        }
        var judged: [FinalLabels.Judged] = []
        judged.reserveCapacity(added.count)
        for (change, items) in groups.sorted(by: { $0.value.min()! < $1.value.min()! }) {
            let items = items.sorted()
            for chunk in items.chunks() {
                for row in try await sql.raw("""
                    UPDATE items SET judgment_count = judgment_count + \(bind: change.added),
                        open_slots = CASE WHEN open_slots > \(bind: change.taken) THEN open_slots - \(bind: change.taken) ELSE 0 END
                    WHERE id IN (\(binds: chunk))
                    RETURNING id, judgment_count, external_id, market, imported_at_ms, required_judgments
                    """).all() {
                    judged.append(try FinalLabels.Judged(try row.int64("id"), row))
                }
            }
        }
        return judged
    }

    /// Marks every (item, annotator) pair of the inserted judgments as submitted, so routing never offers the
    /// item to that person again: an existing assignment (live, expired or skipped) is updated, a missing one is
    /// inserted. Returns, per item, how many of those people held a live lease, whose slot the judgment now uses.
    private static func recordSubmittedAssignments(for rows: [any SQLRow], queueID: UUID, _ sql: any SQLDatabase)
        async throws -> [Int64: Int]
    {
        guard !rows.isEmpty else { return [:] }
        let pairs = SQLList(try rows.map { row -> SQLQueryString in
            "(\(bind: try row.int64("item_id")), \(bind: try row.uuid("annotator_id")))"
        })
        // Each pair is looked up through the (item_id, annotator_id) unique index. (`(item_id, annotator_id) IN
        // (VALUES …)` read the whole table on SQLite, once per 500 rows: quadratic in the queue's assignments.)
        func matching(_ states: String) -> SQLQueryString {
            """
            WITH pairs (item, annotator) AS (VALUES \(pairs))
            UPDATE assignments SET state = 'submitted'
            WHERE state IN (\(unsafeRaw: states))
              AND id IN (SELECT a.id FROM pairs JOIN assignments a ON a.item_id = pairs.item AND a.annotator_id = pairs.annotator)
            """
        }
        var held: [Int64: Int] = [:]
        for row in try await sql.raw("\(matching("'leased'")) RETURNING item_id").all() {
            held[try row.int64("item_id"), default: 0] += 1
        }
        try await sql.raw(matching("'expired', 'skipped'")).run()
        // The pairs with no assignment yet (almost all, in an import) get a submitted one; as for the judgments,
        // SQLite runs a cached single-row statement per pair.
        let insert = "INSERT INTO assignments (item_id, queue_id, annotator_id, state, leased_at_ms, expires_at_ms)"
        if let sqlite = sql as? SQLiteDirectDatabase {
            let writer = sqlite.writerInTransaction
            let queue = SQLiteData.text(queueID.canonicalText)
            let statement = "\(insert) VALUES (?, ?, ?, 'submitted', ?, ?) ON CONFLICT DO NOTHING"
            for row in rows {
                let submitted = try row.int64("submitted_at_ms")
                try writer.run(statement, binds: [
                    .integer(Int(try row.int64("item_id"))), queue, .text(try row.uuid("annotator_id").canonicalText),
                    .integer(Int(try row.decode(column: "started_at_ms", as: Int64?.self) ?? submitted)),
                    .integer(Int(submitted)),
                ])
            }
            return held
        }
        let values = try rows.map { row -> SQLQueryString in
            let submitted = try row.int64("submitted_at_ms")
            let started = try row.decode(column: "started_at_ms", as: Int64?.self) ?? submitted
            return """
                (\(bind: try row.int64("item_id")), \(bind: queueID), \(bind: try row.uuid("annotator_id")), 'submitted',
                 \(bind: started), \(bind: submitted))
                """
        }
        try await sql.raw("\(unsafeRaw: insert) VALUES \(SQLList(values)) ON CONFLICT DO NOTHING").run()
        return held
    }

    /// Makes one person's concurrent claims (of an arbitration case, a QA review) run one after the other, so that
    /// each sees what the one before it holds: on PostgreSQL, a lock on the person's row that rows referring to them
    /// (their key-share locks) do not wait for; on SQLite, one writer runs at a time anyway.
    static func serializeClaims(of personID: UUID, _ sql: any SQLDatabase) async throws {
        guard sql.backend == .postgres else { return }
        try await sql.raw("SELECT id FROM people WHERE id = \(bind: personID) FOR NO KEY UPDATE").run()
    }

    /// Row locks on the items, in id order (PostgreSQL; SQLite's write lock already covers them).
    static func lockItems(_ ids: Set<Int64>, backend: Backend, _ sql: any SQLDatabase) async throws {
        guard backend == .postgres, !ids.isEmpty else { return }
        let sorted = ids.sorted()
        for chunk in sorted.chunks() {
            try await sql.raw("SELECT id FROM items WHERE id IN (\(binds: chunk)) ORDER BY id FOR UPDATE").run()
        }
    }

    /// Refuses rows (an item's external id and the row's line) that name no item of the queue, every one of them
    /// (up to 20) in one error.
    static func requireItems(_ rows: [(externalID: String, line: Int?)], in ids: [String: Int64], of queue: Queue) throws {
        let missing = rows.filter { ids[$0.externalID] == nil }.prefix(20).map { row in
            AssayError.invalidInput(
                field: "external_id", line: row.line, reason: "no item '\(row.externalID)' in queue '\(queue.name)'; import the item first")
        }
        guard missing.isEmpty else { throw AssayError.rows(missing) }
    }

    /// The external ids, of those given, that name no item in the queue: for checking a judgments file before
    /// loading any of it.
    /// Of these external ids, the people whose role does not label (admins, analysts, vendor leads), with the role:
    /// a judgments file naming them is refused (see ``importJudgments(_:into:origin:now:)``).
    public func peopleWhoDoNotLabel(among externalIDs: Set<String>) async throws -> [String: Role] {
        let sql = try sql()
        var found: [String: Role] = [:]
        for chunk in Array(Set(externalIDs.map(\.composed))).chunks() {
            for row in try await sql.raw("""
                SELECT external_id, role FROM people WHERE external_id IN (\(binds: chunk))
                  AND role NOT IN (\(binds: Role.allCases.filter(\.labels).map(\.rawValue)))
                """).all() {
                if let role = Role(rawValue: try row.string("role")) { found[try row.string("external_id")] = role }
            }
        }
        return found
    }

    /// Of these external ids, those no person has but someone has in other letters' case, with the stored one
    /// (``ImportedJudgment/caseTwin(_:of:line:)``), keyed by the composed id. Letters' case is folded as the
    /// database folds it (ASCII on SQLite).
    public func caseTwins(among externalIDs: Set<String>) async throws -> [String: String] {
        try await Self.caseTwins(among: externalIDs, sql())
    }

    static func caseTwins(among externalIDs: Set<String>, _ sql: any SQLDatabase) async throws -> [String: String] {
        let composed = Set(externalIDs.map(\.composed))
        var unknown = composed
        for chunk in Array(composed).chunks() {
            for row in try await sql.raw("SELECT external_id FROM people WHERE external_id IN (\(binds: chunk))").all() {
                unknown.remove(try row.string("external_id"))
            }
        }
        guard !unknown.isEmpty else { return [:] }
        var stored: [String: String] = [:]
        for chunk in Array(Set(unknown.map { $0.lowercased() })).chunks() {
            for row in try await sql.raw("SELECT external_id FROM people WHERE lower(external_id) IN (\(binds: chunk))").all() {
                let id = try row.string("external_id")
                stored[id.lowercased()] = id
            }
        }
        return Dictionary(uniqueKeysWithValues: unknown.compactMap { id in stored[id.lowercased()].map { (id, $0) } })
    }

    public func missingItems(_ externalIDs: Set<String>, in queueID: UUID) async throws -> Set<String> {
        let found = try await Self.itemIDs(forExternalIDs: externalIDs, in: queueID, sql())
        return externalIDs.subtracting(found.keys)
    }

    /// The ids of the queue's items with these external ids (of those that exist), by external id.
    public func itemIDs(forExternalIDs externalIDs: Set<String>, in queueID: UUID) async throws -> [String: Int64] {
        try await Self.itemIDs(forExternalIDs: externalIDs, in: queueID, sql())
    }

    static func itemIDs(forExternalIDs externalIDs: Set<String>, in queueID: UUID, _ sql: any SQLDatabase)
        async throws -> [String: Int64]
    {
        var found: [String: Int64] = [:]
        // Stored ids are composed (``Swift/String/composed``); a decomposed spelling asked for finds its item, and
        // Swift's lookups, which compare canonically, find it under either spelling.
        let all = Array(Set(externalIDs.map(\.composed)))
        for chunk in all.chunks() {
            for row in try await sql.raw("""
                SELECT id, external_id FROM items WHERE queue_id = \(bind: queueID) AND external_id IN (\(binds: chunk))
                """).all() {
                found[try row.string("external_id")] = try row.int64("id")
            }
        }
        return found
    }

    /// The people with these external ids; one unknown becomes a new annotator, logged as `person.created` (by
    /// nobody: the import made them). Those found whose role does not label come back apart, by external id.
    private static func annotatorIDs(
        forExternalIDs externalIDs: Set<String>, for queue: Queue, now: Date, _ sql: any SQLDatabase
    ) async throws -> (ids: [String: UUID], created: Int, nonLabelers: [String: Role]) {
        var found: [String: UUID] = [:]
        var nonLabelers: [String: Role] = [:]
        // Composed, as people's external ids are stored (``Swift/String/composed``): a Label Studio export's
        // decomposed "josé" is the same person as the composed one.
        let all = Array(Set(externalIDs.map(\.composed)))
        for chunk in all.chunks() {
            for row in try await sql.raw("SELECT id, external_id, role FROM people WHERE external_id IN (\(binds: chunk))").all() {
                let externalID = try row.string("external_id")
                found[externalID] = try row.uuid("id")
                if let role = Role(rawValue: try row.string("role")), !role.labels { nonLabelers[externalID] = role }
            }
        }
        var created: [AuditEvent] = []
        for externalID in all.sorted() where found[externalID] == nil {
            let person = Person(id: UUID(), externalID: externalID, name: externalID, role: .annotator, createdAt: now)
            if try await insert(person, sql) {
                created.append(AuditEvent(
                    at: now, actorID: nil, action: .personCreated, entity: "person", entityID: person.id.uuidString,
                    queueID: nil, before: nil,
                    after: ["external_id": .string(externalID), "name": .string(externalID), "role": .string(Role.annotator.rawValue)],
                    reason: "judgments imported into '\(queue.name)' named them"))
                found[externalID] = person.id
            } else if let row = try await sql.raw("SELECT id FROM people WHERE external_id = \(bind: externalID)").first() {
                found[externalID] = try row.uuid("id")
            }
        }
        try await AuditLog.append(created, sql)
        return (found, created.count, nonLabelers)
    }
}

/// One person's judgment of one item, by external ids: what a judgments file may name once.
private struct JudgmentPair: Hashable {
    let item: String
    let annotator: String
}
