import FluentKit
import SQLKit

/// Running sums of how items were decided, per queue, UTC day and item market: items decided by the rule, unanimous,
/// sent to arbitration; items resolved for the first time (by the rule or an arbitrator), how long they waited
/// since import and whether that was within the queue's SLA; arbitration decisions and appeals overturned
/// (`decision_days`); and the Krippendorff coincidences of their judgments (`agreement_days`), from which α over
/// any period is exact (``CoincidenceCounts``). A value in `agreement_days` is a judgment's labels as stored
/// (JSON text).
///
/// Filled from what is there: an item counts on the day of its current final label; SLA and appeal figures
/// start empty, since what the SLA was and what an appeal overturned were not recorded before.
struct CreateDecisionDays: AsyncMigration {
    let name = "024-create-decision-days"

    func prepare(on database: any Database) async throws {
        try await database.schema("decision_days")
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("day", .int64, .required)
            .field("market", .string, .required)
            .field("decided", .int64, .required)
            .field("unanimous", .int64, .required)
            .field("unresolved", .int64, .required)
            .field("units", .int64, .required)
            .field("first_resolved", .int64, .required)
            .field("sla_counted", .int64, .required)
            .field("sla_met", .int64, .required)
            .field("wait_ms", .int64, .required)
            .field("arbitrated", .int64, .required)
            .field("appeals_decided", .int64, .required)
            .field("appeals_overturned", .int64, .required)
            .compositeIdentifier(over: "queue_id", "day", "market")
            .create()
        try await database.schema("agreement_days")
            .field("queue_id", .uuid, .required, .references("queues", "id", onDelete: .cascade))
            .field("day", .int64, .required)
            .field("market", .string, .required)
            .field("first_value", .string, .required)
            .field("second_value", .string, .required)
            .field("weight", .double, .required)
            .compositeIdentifier(over: "queue_id", "day", "market", "first_value", "second_value")
            .create()
        try await Self.backfill(database as! any SQLDatabase)
    }

    /// Fills both tables from the final labels, judgments and cases already there.
    static func backfill(_ sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO decision_days (queue_id, day, market, decided, unanimous, unresolved, units, first_resolved, sla_counted,
                                       sla_met, wait_ms, arbitrated, appeals_decided, appeals_overturned)
            SELECT f.queue_id, f.decided_at_ms / 86400000, COALESCE(i.market, ''), COUNT(*),
                   SUM(CASE WHEN v.votes >= 2 AND v.distinct_values = 1 THEN 1 ELSE 0 END),
                   SUM(CASE WHEN f.provenance = 'unresolved' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN v.votes >= 2 THEN 1 ELSE 0 END),
                   SUM(CASE WHEN f.provenance = 'unresolved' THEN 0 ELSE 1 END), 0, 0,
                   SUM(CASE WHEN f.provenance = 'unresolved' OR f.decided_at_ms < i.imported_at_ms THEN 0
                            ELSE f.decided_at_ms - i.imported_at_ms END), 0, 0, 0
            FROM final_labels f JOIN items i ON i.id = f.item_id
            JOIN (SELECT item_id, COUNT(*) AS votes, COUNT(DISTINCT labels) AS distinct_values
                  FROM judgments GROUP BY item_id) v ON v.item_id = f.item_id
            WHERE true
            GROUP BY f.queue_id, f.decided_at_ms / 86400000, COALESCE(i.market, '')
            """).run()
        // Arbitration counts go into the rows just made, then into new rows for the other days; not with
        // ON CONFLICT, whose target would name the key, which migration 036 widens (tests refill the tables with
        // this function on the current schema).
        try await sql.raw("""
            UPDATE decision_days SET arbitrated = c.cases
            FROM (SELECT c.queue_id, c.decided_at_ms / 86400000 AS day, COALESCE(i.market, '') AS market, COUNT(*) AS cases
                  FROM arbitration_cases c JOIN items i ON i.id = c.item_id
                  WHERE c.state = 'decided'
                  GROUP BY c.queue_id, c.decided_at_ms / 86400000, COALESCE(i.market, '')) c
            WHERE decision_days.queue_id = c.queue_id AND decision_days.day = c.day AND decision_days.market = c.market
            """).run()
        try await sql.raw("""
            INSERT INTO decision_days (queue_id, day, market, decided, unanimous, unresolved, units, first_resolved, sla_counted,
                                       sla_met, wait_ms, arbitrated, appeals_decided, appeals_overturned)
            SELECT c.queue_id, c.decided_at_ms / 86400000, COALESCE(i.market, ''), 0, 0, 0, 0, 0, 0, 0, 0, COUNT(*), 0, 0
            FROM arbitration_cases c JOIN items i ON i.id = c.item_id
            WHERE c.state = 'decided' AND NOT EXISTS (
                SELECT 1 FROM decision_days d WHERE d.queue_id = c.queue_id AND d.day = c.decided_at_ms / 86400000
                  AND d.market = COALESCE(i.market, ''))
            GROUP BY c.queue_id, c.decided_at_ms / 86400000, COALESCE(i.market, '')
            """).run()
        try await sql.raw("""
            INSERT INTO agreement_days (queue_id, day, market, first_value, second_value, weight)
            SELECT f.queue_id, f.decided_at_ms / 86400000, COALESCE(i.market, ''), a.labels, b.labels,
                   SUM(CAST(a.n * (b.n - CASE WHEN a.labels = b.labels THEN 1 ELSE 0 END) AS DOUBLE PRECISION) / (u.m - 1))
            FROM (SELECT item_id, labels, COUNT(*) AS n FROM judgments GROUP BY item_id, labels) a
            JOIN (SELECT item_id, labels, COUNT(*) AS n FROM judgments GROUP BY item_id, labels) b ON b.item_id = a.item_id
            JOIN (SELECT item_id, COUNT(*) AS m FROM judgments GROUP BY item_id HAVING COUNT(*) >= 2) u ON u.item_id = a.item_id
            JOIN final_labels f ON f.item_id = a.item_id JOIN items i ON i.id = a.item_id
            WHERE a.labels <> b.labels OR a.n > 1
            GROUP BY f.queue_id, f.decided_at_ms / 86400000, COALESCE(i.market, ''), a.labels, b.labels
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("agreement_days").delete()
        try await database.schema("decision_days").delete()
    }
}
