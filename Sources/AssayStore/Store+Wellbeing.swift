import AssayCore
import Foundation
import SQLKit

/// Moderator wellbeing: exposure to severe content counted per person and day, the limit that routes the rest of
/// a day elsewhere, and the length of the stretch someone has worked without a break.
extension Store {
    /// Items under each severe label the person judged on the UTC day of `day`, by label code.
    public func exposure(of personID: UUID, on day: Date) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await sql().raw("""
            SELECT label, items FROM exposure_days
            WHERE person_id = \(bind: personID) AND day = \(bind: ActivityRollup.day(Column.millis(day)))
            """).all() {
            counts[try row.string("label")] = try row.int("items")
        }
        return counts
    }

    /// When the person's current stretch of work began: walking back through the last day's judgments from the
    /// latest, until a pause longer than `pause`. nil when their last judgment is older than `pause` (they are
    /// rested). The window is the 24 hours before `now`, not the UTC day: a night shift's stretch goes on past
    /// midnight.
    public func workStretchStart(of personID: UUID, now: Date, pause: TimeInterval = 600) async throws -> Date? {
        let since = Column.millis(now.addingTimeInterval(-86_400))
        let times = try await sql().raw("""
            SELECT submitted_at_ms FROM judgments
            WHERE annotator_id = \(bind: personID) AND submitted_at_ms >= \(bind: since) AND submitted_at_ms <= \(bind: Column.millis(now))
            ORDER BY submitted_at_ms DESC LIMIT 2000
            """).all().map { try $0.int64("submitted_at_ms") }
        let gap = Int64(pause * 1_000)
        guard let latest = times.first, Column.millis(now) - latest <= gap else { return nil }
        var start = latest
        for time in times.dropFirst() {
            guard start - time <= gap else { break }
            start = time
        }
        return Date(timeIntervalSince1970: Double(start) / 1_000)
    }

    /// Exposure to `labels` over the UTC days from `from` to `to`, by team and label, largest first. `vendorID`
    /// keeps to one vendor's people; `limit` counts the person-days that reached it.
    public func exposureByTeam(labels: [String], from: Date, to: Date, limit: Int?, vendorID: UUID? = nil) async throws
        -> [TeamExposure]
    {
        guard !labels.isEmpty else { return [] }
        let first = ActivityRollup.day(Column.millis(Calendar.utc.startOfDay(for: from)))
        let last = ActivityRollup.day(Column.millis(Calendar.utc.startOfDay(for: to)))
        let vendor: SQLQueryString = vendorID.map { "AND p.vendor_id = \(bind: $0)" } ?? ""
        let rows = try await sql().raw("""
            SELECT COALESCE(v.name, '(in-house)') AS vendor, COALESCE(t.name, '(no team)') AS team, e.label,
                   CAST(SUM(e.items) AS BIGINT) AS items, COUNT(DISTINCT e.person_id) AS people,
                   CAST(SUM(CASE WHEN e.items >= \(bind: limit ?? Int.max) THEN 1 ELSE 0 END) AS BIGINT) AS at_limit,
                   MAX(e.items) AS highest
            FROM exposure_days e JOIN people p ON p.id = e.person_id
            LEFT JOIN vendors v ON v.id = p.vendor_id LEFT JOIN teams t ON t.id = p.team_id
            WHERE e.day BETWEEN \(bind: first) AND \(bind: last) AND e.label IN (\(binds: labels)) \(vendor)
            GROUP BY COALESCE(v.name, '(in-house)'), COALESCE(t.name, '(no team)'), e.label
            """).all()
        return try rows.map { row in
            TeamExposure(
                team: "\(try row.string("vendor")) / \(try row.string("team"))", label: try row.string("label"),
                items: try row.int("items"), people: try row.int("people"), personDaysAtLimit: try row.int("at_limit"),
                highestDay: try row.int("highest"))
        }.sorted { ($0.items, $1.team, $1.label) > ($1.items, $0.team, $0.label) }
    }

    /// One person's exposure to one severe label on one UTC day.
    struct ExposureKey: Hashable {
        var personID: UUID
        var day: Int64
        var label: String
    }

    /// The severe labels among a judgment's, as exposure keys of its author's day.
    static func exposure(to labels: [String], of queue: Queue, by personID: UUID, at millis: Int64) -> [ExposureKey] {
        Set(queue.schema.severeCodes).intersection(labels).sorted().map {
            ExposureKey(personID: personID, day: ActivityRollup.day(millis), label: $0)
        }
    }

    /// Adds exposure counts to their rows, 500 per statement, in key order (one lock order on PostgreSQL).
    static func recordExposure(_ counts: [ExposureKey: Int], _ sql: any SQLDatabase) async throws {
        let keys = counts.keys.sorted { ($0.personID.uuidString, $0.day, $0.label) < ($1.personID.uuidString, $1.day, $1.label) }
        for chunk in keys.chunks() {
            let values = chunk.map { key -> SQLQueryString in
                "(\(bind: key.personID), \(bind: key.day), \(bind: key.label), \(bind: counts[key]!))"
            }
            try await sql.raw("""
                INSERT INTO exposure_days (person_id, day, label, items) VALUES \(SQLList(values))
                ON CONFLICT (person_id, day, label) DO UPDATE SET items = exposure_days.items + excluded.items
                """).run()
        }
    }

    /// Refuses more work from a queue with an exposure limit to someone who reached it today under one of the
    /// queue's severe labels, naming the queues that can still give them work.
    ///
    /// - Throws: ``AssayError/forbidden(_:)``.
    func requireUnderExposureLimit(_ person: Person, in queue: Queue, now: Date, _ sql: any SQLDatabase) async throws {
        guard let limit = queue.quality.exposureLimit else { return }
        let severe = queue.schema.severeCodes
        guard !severe.isEmpty, let reached = try await sql.raw("""
            SELECT label, items FROM exposure_days
            WHERE person_id = \(bind: person.id) AND day = \(bind: ActivityRollup.day(Column.millis(now)))
              AND label IN (\(binds: severe)) AND items >= \(bind: limit)
            ORDER BY label LIMIT 1
            """).first()
        else { return }
        let label = try reached.string("label")
        let elsewhere = try await queues().filter { other in
            other.id != queue.id && !(other.quality.exposureLimit != nil && other.schema.severeCodes.contains(label))
        }.map(\.name)
        throw AssayError.forbidden(
            "\(person.name) has judged \(try reached.int("items")) items of \(label) today, this queue's daily limit of "
                + "\(limit); take the rest of today's work from "
                + (elsewhere.isEmpty ? "another queue" : elsewhere.joined(separator: ", ")))
    }
}
