import FluentKit
import SQLKit

/// Items a model decided (auto-accept, provenance `model_auto_accept`) in the decision running sums, so weekly
/// reports count them among the items resolved, with their wait and SLA, and say how many a model decided.
///
/// Filled from what is there: each auto-accepted final label counts on its day as a model decision and as a first
/// resolution (SLA figures start empty for them, since what the SLA was then was not recorded).
struct AddModelDecided: AsyncMigration {
    let name = "035-add-model-decided"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE decision_days ADD COLUMN model_decided BIGINT NOT NULL DEFAULT 0").run()
        try await Self.backfill(sql)
    }

    /// Adds the auto-accepted final labels already there to the running sums: into the rows of their days, then
    /// as new rows for the other days. Not with ON CONFLICT, whose target would name the key, which migration 036
    /// widens (tests refill the tables with this function on the current schema).
    static func backfill(_ sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE decision_days SET
                model_decided = m.accepted,
                first_resolved = decision_days.first_resolved + m.accepted,
                wait_ms = decision_days.wait_ms + m.waited
            FROM (SELECT f.queue_id, f.decided_at_ms / 86400000 AS day, COALESCE(i.market, '') AS market,
                         COUNT(*) AS accepted,
                         SUM(CASE WHEN f.decided_at_ms < i.imported_at_ms THEN 0
                                  ELSE f.decided_at_ms - i.imported_at_ms END) AS waited
                  FROM final_labels f JOIN items i ON i.id = f.item_id
                  WHERE f.provenance = 'model_auto_accept'
                  GROUP BY f.queue_id, f.decided_at_ms / 86400000, COALESCE(i.market, '')) m
            WHERE decision_days.queue_id = m.queue_id AND decision_days.day = m.day AND decision_days.market = m.market
            """).run()
        try await sql.raw("""
            INSERT INTO decision_days (queue_id, day, market, decided, unanimous, unresolved, units, first_resolved, sla_counted,
                                       sla_met, wait_ms, arbitrated, appeals_decided, appeals_overturned, model_decided)
            SELECT f.queue_id, f.decided_at_ms / 86400000, COALESCE(i.market, ''), 0, 0, 0, 0, COUNT(*), 0, 0,
                   SUM(CASE WHEN f.decided_at_ms < i.imported_at_ms THEN 0 ELSE f.decided_at_ms - i.imported_at_ms END),
                   0, 0, 0, COUNT(*)
            FROM final_labels f JOIN items i ON i.id = f.item_id
            WHERE f.provenance = 'model_auto_accept' AND NOT EXISTS (
                SELECT 1 FROM decision_days d WHERE d.queue_id = f.queue_id AND d.day = f.decided_at_ms / 86400000
                  AND d.market = COALESCE(i.market, ''))
            GROUP BY f.queue_id, f.decided_at_ms / 86400000, COALESCE(i.market, '')
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE decision_days DROP COLUMN model_decided").run()
    }
}
