import AssayCore
import AssayQuality
import Foundation
import SQLKit

/// The running sums of how items were decided, per queue, UTC day and item market (tables `decision_days` and
/// `agreement_days`, migration 024), kept by the statements that decide items, in their transaction. Each key's
/// sums are split into `shards` rows (migration 036), and a transaction adds to one of them at random, so that
/// concurrent submits do not queue for one row's lock on PostgreSQL; readers sum the shards.
///
/// An item counts once, at its first decision by the consensus rule: as decided, unanimous or sent to
/// arbitration, with its judgments' coincidences for Krippendorff's α. It counts as resolved (with its wait since
/// import, against the queue's SLA) at its first final label that is not unresolved, by the rule or by an
/// arbitrator. Judgments made in another tool decide their items when the last of them was made, not on the day of
/// their import; an item decided so before it was imported here has no known wait, and counts as resolved without
/// one (`waited` counts those with one). Arbitration decisions count on their day, appeals as upheld or overturned. An item a model decides
/// (auto-accept) counts as a model decision and as resolved, on the day it is accepted; it has no judgments, so it
/// is not among the items the rule decided, and it adds nothing to agreement.
enum DecisionRollup {
    static let shards = 16

    struct Key: Hashable, Comparable {
        var queueID: UUID
        var day: Int64
        var market: String

        static func < (a: Key, b: Key) -> Bool {
            (a.queueID.uuidString, a.day, a.market) < (b.queueID.uuidString, b.day, b.market)
        }
    }

    struct Change {
        var decided = 0
        var unanimous = 0
        var unresolved = 0
        var units = 0
        var firstResolved = 0
        var slaCounted = 0
        var slaMet = 0
        var waited = 0
        var waitMs: Int64 = 0
        var arbitrated = 0
        var appealsDecided = 0
        var appealsOverturned = 0
        var modelDecided = 0
        var pairs: [CoincidenceCounts.Pair: Double] = [:]
    }

    struct Changes {
        var byKey: [Key: Change] = [:]

        /// An item's first decision by the consensus rule, from its judgments' labels as stored.
        mutating func firstDecision(
            _ label: FinalLabel, values: [String], of item: FinalLabels.Judged, queue: Queue, now: Int64
        ) {
            let key = Key(queueID: queue.id, day: ActivityRollup.day(now), market: item.market ?? "")
            var change = byKey[key, default: Change()]
            change.decided += 1
            if label.provenance == .unresolved {
                change.unresolved += 1
            } else {
                change.resolved(waitMs: now - item.importedAtMs, sla: queue.quality.slaHours)
            }
            let pairs = CoincidenceCounts.pairs(ofUnit: values)
            if !pairs.isEmpty {
                change.units += 1
                if Set(values).count == 1 { change.unanimous += 1 }
                for (pair, weight) in pairs { change.pairs[pair, default: 0] += weight }
            }
            byKey[key] = change
        }

        /// An item the rule left unresolved and now resolves (more judgments came in).
        mutating func laterResolution(of item: FinalLabels.Judged, queue: Queue, now: Int64) {
            let key = Key(queueID: queue.id, day: ActivityRollup.day(now), market: item.market ?? "")
            byKey[key, default: Change()].resolved(waitMs: now - item.importedAtMs, sla: queue.quality.slaHours)
        }

        /// A model's decision (auto-accept) on an item of `market` imported at `importedAtMs`.
        mutating func modelDecision(market: String?, importedAtMs: Int64, queue: Queue, now: Int64) {
            let key = Key(queueID: queue.id, day: ActivityRollup.day(now), market: market ?? "")
            var change = byKey[key, default: Change()]
            change.modelDecided += 1
            change.resolved(waitMs: now - importedAtMs, sla: queue.quality.slaHours)
            byKey[key] = change
        }

        /// An arbitrator's decision on an item of `market`: its first resolution when it had no resolved final label
        /// before, and for an appeal, whether it changed the label appealed against.
        mutating func arbitration(
            market: String?, queue: Queue, isAppeal: Bool, overturned: Bool, isFirstResolution: Bool,
            importedAtMs: Int64, now: Int64
        ) {
            let key = Key(queueID: queue.id, day: ActivityRollup.day(now), market: market ?? "")
            var change = byKey[key, default: Change()]
            change.arbitrated += 1
            if isAppeal {
                change.appealsDecided += 1
                if overturned { change.appealsOverturned += 1 }
            }
            if isFirstResolution { change.resolved(waitMs: now - importedAtMs, sla: queue.quality.slaHours) }
            byKey[key] = change
        }
    }

    /// Adds the changes to their rows of one shard, creating them as needed, in key order (one lock order on
    /// PostgreSQL). Call it once per transaction: a second call would draw another shard, and two transactions
    /// holding each other's shards could deadlock.
    static func add(_ changes: Changes, _ sql: any SQLDatabase) async throws {
        let keys = changes.byKey.keys.sorted()
        guard !keys.isEmpty else { return }
        let shard = Int.random(in: 0..<shards)
        let rows = keys.map { key -> SQLQueryString in
            let change = changes.byKey[key]!
            return """
                (\(bind: key.queueID), \(bind: key.day), \(bind: key.market), \(literal: shard), \(bind: change.decided),
                 \(bind: change.unanimous),
                 \(bind: change.unresolved), \(bind: change.units), \(bind: change.firstResolved), \(bind: change.slaCounted),
                 \(bind: change.slaMet), \(bind: change.waited), \(bind: change.waitMs), \(bind: change.arbitrated),
                 \(bind: change.appealsDecided), \(bind: change.appealsOverturned), \(bind: change.modelDecided))
                """
        }
        // In chunks like every multi-row statement here: the keys are few (decisions count on the day they are
        // made, so a transaction has one day, or two at midnight, times the items' markets), but no statement may
        // pass SQLite's limit on bound parameters.
        for chunk in rows.chunks() {
            try await sql.raw("""
                INSERT INTO decision_days (queue_id, day, market, shard, decided, unanimous, unresolved, units, first_resolved,
                                           sla_counted, sla_met, waited, wait_ms, arbitrated, appeals_decided,
                                           appeals_overturned, model_decided)
                VALUES \(SQLList(chunk))
                ON CONFLICT (queue_id, day, market, shard) DO UPDATE SET
                    decided = decision_days.decided + excluded.decided,
                    unanimous = decision_days.unanimous + excluded.unanimous,
                    unresolved = decision_days.unresolved + excluded.unresolved,
                    units = decision_days.units + excluded.units,
                    first_resolved = decision_days.first_resolved + excluded.first_resolved,
                    sla_counted = decision_days.sla_counted + excluded.sla_counted,
                    sla_met = decision_days.sla_met + excluded.sla_met,
                    waited = decision_days.waited + excluded.waited,
                    wait_ms = decision_days.wait_ms + excluded.wait_ms,
                    arbitrated = decision_days.arbitrated + excluded.arbitrated,
                    appeals_decided = decision_days.appeals_decided + excluded.appeals_decided,
                    appeals_overturned = decision_days.appeals_overturned + excluded.appeals_overturned,
                    model_decided = decision_days.model_decided + excluded.model_decided
                """).run()
        }
        var pairs: [SQLQueryString] = []
        for key in keys {
            let change = changes.byKey[key]!
            for (pair, weight) in change.pairs.sorted(by: { ($0.key.first, $0.key.second) < ($1.key.first, $1.key.second) }) {
                pairs.append("""
                    (\(bind: key.queueID), \(bind: key.day), \(bind: key.market), \(literal: shard), \(bind: pair.first),
                     \(bind: pair.second), \(bind: weight))
                    """)
            }
        }
        for chunk in pairs.chunks() {
            try await sql.raw("""
                INSERT INTO agreement_days (queue_id, day, market, shard, first_value, second_value, weight)
                VALUES \(SQLList(chunk))
                ON CONFLICT (queue_id, day, market, shard, first_value, second_value) DO UPDATE SET
                    weight = agreement_days.weight + excluded.weight
                """).run()
        }
    }
}

extension DecisionRollup.Change {
    /// An item's first final label that is not unresolved, `waitMs` after its import. A negative wait is work done
    /// in another tool before the item was imported here: how long it waited there is not known, so it counts in
    /// neither the mean wait nor the SLA.
    mutating func resolved(waitMs: Int64, sla: Double?) {
        firstResolved += 1
        guard waitMs >= 0 else { return }
        waited += 1
        self.waitMs += waitMs
        if let sla {
            slaCounted += 1
            if Double(waitMs) <= sla * 3_600_000 { slaMet += 1 }
        }
    }
}
