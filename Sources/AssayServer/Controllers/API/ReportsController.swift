import AssayCore
import AssayStore
import Vapor

/// A queue's activity by day and by person: `GET /queues/{queue}/activity`; key figures of any set of queues
/// grouped by day, week, queue, market, vendor, team, annotator or label: `GET /kpis`. JSON, or CSV with
/// `format=csv`.
struct ReportsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("queues", ":queue", "activity", use: activity)
        routes.get("kpis", use: kpis)
        routes.get("queues", ":queue", "exposure", use: exposure)
    }

    /// Wellbeing: exposure to the queue's severe labels over a period (`days`, or `from` and `to`), by team and
    /// label, with the person-days that reached the queue's limit. A vendor lead sees their own vendor's teams.
    @Sendable func exposure(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanSeeScores(actor)
        let queue = try await req.store.queue(try req.parameters.require("queue"))
        let period = try ActivityPeriod(req)
        let rows = try await req.store.exposureByTeam(
            labels: queue.schema.severeCodes, from: period.from, to: period.to, limit: queue.quality.exposureLimit,
            vendorID: try Policy.vendorScope(of: actor))
        switch req.query[String.self, at: "format"] ?? "json" {
        case "json":
            return try await JSONBody(rows).encodeResponse(for: req)
        case "csv":
            var text = CSVWriter.row(["team", "label", "items", "people", "highest_day", "person_days_at_limit"])
            for row in rows {
                text += CSVWriter.row([
                    row.team, row.label, String(row.items), String(row.people), String(row.highestDay),
                    String(row.personDaysAtLimit),
                ])
            }
            return Response.download(named: "\(queue.name)-exposure-\(period.label).csv", as: .csvText, text: text)
        case let other:
            throw AssayError.invalidInput(field: "format", line: nil, reason: "must be json or csv, got '\(other)'")
        }
    }

    /// `?by=week&queues=a,b&days=28` (or `from`, `to`): the key figures grouped by `by`, with the total. A vendor
    /// lead gets their own vendor's people, without decision figures (which mix every vendor's work).
    @Sendable func kpis(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanSeeScores(actor)
        let byName = req.query[String.self, at: "by"] ?? "day"
        guard let dimension = ReportDimension(rawValue: byName) else {
            throw AssayError.invalidInput(
                field: "by", line: nil,
                reason: "must be one of \(ReportDimension.allCases.map(\.rawValue).joined(separator: ", ")), got '\(byName)'")
        }
        let names = (req.query[String.self, at: "queues"] ?? "").split(separator: ",")
            .map { String($0).trimmingBlanksAndNewlines }.filter { !$0.isEmpty }
        let queues = names.isEmpty ? try await req.store.queues() : try await names.asyncMap { try await req.store.queue($0) }
        let period = try ActivityPeriod(req)
        let facts = try await req.store.reportFacts(
            queues: queues, from: period.from, to: period.to, vendorID: try Policy.vendorScope(of: actor))
        let table = KPITable(dimension: dimension, rows: facts.breakdown(by: dimension), total: facts.total)
        switch req.query[String.self, at: "format"] ?? "json" {
        case "json":
            let response = Response(status: .ok)
            try response.content.encode(table, as: .json)
            return response
        case "csv":
            return Response.download(named: "kpis-by-\(dimension.rawValue)-\(period.label).csv", as: .csvText, text: table.csv)
        case let other:
            throw AssayError.invalidInput(field: "format", line: nil, reason: "must be json or csv, got '\(other)'")
        }
    }

    @Sendable func activity(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanSeeScores(actor)
        let queue = try await req.store.queue(try req.parameters.require("queue"))
        let period = try ActivityPeriod(req)
        let activity = try await req.store.activity(
            of: queue, from: period.from, to: period.to, vendorID: try Policy.vendorScope(of: actor))
        switch req.query[String.self, at: "format"] ?? "json" {
        case "json":
            return try await JSONBody(activity).encodeResponse(for: req)
        case "csv":
            let table = req.query[String.self, at: "table"] ?? "days"
            let text: String
            switch table {
            case "days": text = ActivityCSV.days(activity)
            case "annotators": text = ActivityCSV.annotators(activity)
            default: throw AssayError.invalidInput(field: "table", line: nil, reason: "must be days or annotators, got '\(table)'")
            }
            return Response.download(named: "\(queue.name)-\(table)-\(period.label).csv", as: .csvText, text: text)
        case let other:
            throw AssayError.invalidInput(field: "format", line: nil, reason: "must be json or csv, got '\(other)'")
        }
    }
}

/// The days a report covers: `from` and `to` (YYYY-MM-DD, UTC, inclusive), or the last `days` days (28 by default).
struct ActivityPeriod {
    let from: Date
    let to: Date

    init(_ req: Request) throws {
        let formatter = Calendar.utcDayFormatter
        func day(_ name: String) throws -> Date? {
            guard let text = req.query[String.self, at: name] else { return nil }
            guard let date = formatter.date(from: text) else {
                throw AssayError.invalidInput(field: name, line: nil, reason: "must be a day as YYYY-MM-DD, got '\(text)'")
            }
            return date
        }
        let to = try day("to") ?? req.now
        var from = try day("from")
        if from == nil {
            var days = 28
            if let text = req.query[String.self, at: "days"] {
                guard let number = Int(text), (1...366).contains(number) else {
                    throw AssayError.invalidInput(field: "days", line: nil, reason: "must be 1 to 366, got '\(text)'")
                }
                days = number
            }
            from = to.addingTimeInterval(-Double(days - 1) * 86_400)
        }
        guard let from, from <= to, to.timeIntervalSince(from) <= 366 * 86_400 else {
            throw AssayError.invalidInput(field: "from", line: nil, reason: "must be on or before 'to', at most 366 days apart")
        }
        self.from = from
        self.to = to
    }

    var label: String {
        let formatter = Calendar.utcDayFormatter
        return "\(formatter.string(from: from))-to-\(formatter.string(from: to))"
    }
}
