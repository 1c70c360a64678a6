import FluentKit
import FluentSQL
import SQLKit

/// Splits each row of the decision running sums (`decision_days`, `agreement_days`) into shards, as
/// `queue_counters` is: every submit that decides an item adds to the row of its queue, day and market, and on
/// PostgreSQL that row's lock is held until the transaction commits, so with one row all submits of a queue waited
/// for each other. A transaction now adds to one shard drawn at random (``DecisionRollup/shards``), and readers sum
/// the shards.
///
/// SQLite cannot change a primary key, so each table is rebuilt with `shard` in its key and its rows copied into
/// shard 0.
struct ShardDecisionDays: AsyncMigration {
    let name = "036-shard-decision-days"

    static let decisionCounts = [
        "decided", "unanimous", "unresolved", "units", "first_resolved", "sla_counted", "sla_met", "wait_ms", "arbitrated",
        "appeals_decided", "appeals_overturned", "model_decided",
    ]

    func prepare(on database: any Database) async throws {
        try await Self.createDecisionDays(named: "decision_days_sharded", sharded: true, on: database)
        try await Self.createAgreementDays(named: "agreement_days_sharded", sharded: true, on: database)
        let sql = database as! any SQLDatabase
        let counts = Self.decisionCounts.joined(separator: ", ")
        try await sql.raw("""
            INSERT INTO decision_days_sharded (queue_id, day, market, shard, \(unsafeRaw: counts))
            SELECT queue_id, day, market, 0, \(unsafeRaw: counts) FROM decision_days
            """).run()
        try await sql.raw("""
            INSERT INTO agreement_days_sharded (queue_id, day, market, shard, first_value, second_value, weight)
            SELECT queue_id, day, market, 0, first_value, second_value, weight FROM agreement_days
            """).run()
        try await Self.replace("decision_days", with: "decision_days_sharded", sql)
        try await Self.replace("agreement_days", with: "agreement_days_sharded", sql)
    }

    func revert(on database: any Database) async throws {
        try await Self.createDecisionDays(named: "decision_days_whole", sharded: false, on: database)
        try await Self.createAgreementDays(named: "agreement_days_whole", sharded: false, on: database)
        let sql = database as! any SQLDatabase
        let counts = Self.decisionCounts.joined(separator: ", ")
        let sums = Self.decisionCounts.map { "CAST(SUM(\($0)) AS BIGINT)" }.joined(separator: ", ")
        try await sql.raw("""
            INSERT INTO decision_days_whole (queue_id, day, market, \(unsafeRaw: counts))
            SELECT queue_id, day, market, \(unsafeRaw: sums) FROM decision_days GROUP BY queue_id, day, market
            """).run()
        try await sql.raw("""
            INSERT INTO agreement_days_whole (queue_id, day, market, first_value, second_value, weight)
            SELECT queue_id, day, market, first_value, second_value, SUM(weight) FROM agreement_days
            GROUP BY queue_id, day, market, first_value, second_value
            """).run()
        try await Self.replace("decision_days", with: "decision_days_whole", sql)
        try await Self.replace("agreement_days", with: "agreement_days_whole", sql)
    }

    private static func createDecisionDays(named name: String, sharded: Bool, on database: any Database) async throws {
        var schema = database.schema(name)
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("day", .int64, .required)
            .field("market", .string, .required)
        // Shard 0 by default, so that the backfills of migrations 024 and 035 still fill the table.
        if sharded { schema = schema.field("shard", .int64, .required, .sql(.default(0))) }
        for count in decisionCounts { schema = schema.field(.definition(name: .key(.init(stringLiteral: count)), dataType: .int64, constraints: [.required, .sql(.default(0))])) }
        try await schema
            .primaryKey(over: sharded ? ["queue_id", "day", "market", "shard"] : ["queue_id", "day", "market"])
            .create()
    }

    private static func createAgreementDays(named name: String, sharded: Bool, on database: any Database) async throws {
        var schema = database.schema(name)
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("day", .int64, .required)
            .field("market", .string, .required)
        if sharded { schema = schema.field("shard", .int64, .required, .sql(.default(0))) }
        let key: [FieldKey] = ["queue_id", "day", "market"] + (sharded ? ["shard"] : []) + ["first_value", "second_value"]
        try await schema
            .field("first_value", .string, .required)
            .field("second_value", .string, .required)
            .field("weight", .double, .required)
            .primaryKey(over: key)
            .create()
    }

    private static func replace(_ table: String, with rebuilt: String, _ sql: any SQLDatabase) async throws {
        try await sql.raw("DROP TABLE \(ident: table)").run()
        try await sql.raw("ALTER TABLE \(ident: rebuilt) RENAME TO \(ident: table)").run()
    }
}

extension SchemaBuilder {
    /// `compositeIdentifier(over:)` for a key built at run time.
    fileprivate func primaryKey(over fields: [FieldKey]) -> Self {
        constraint(.constraint(.compositeIdentifier(fields.map { .key($0) }), name: ""))
    }
}
