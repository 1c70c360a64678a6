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
        let queue = try await req.pathQueue()
        let period = try ActivityPeriod(req)
        let rows = try await req.store.exposureByTeam(
            labels: queue.schema.severeCodes, from: period.from, to: period.to, limit: queue.quality.exposureLimit,
            vendorID: try Policy.vendorScope(of: actor))
        switch try req.query.choice("format", default: ReportFormat.json) {
        case .json:
            return try await JSONBody(rows).encodeResponse(for: req)
        case .csv:
            var text = CSVWriter.row(["team", "label", "items", "people", "highest_day", "person_days_at_limit"])
            for row in rows {
                text += CSVWriter.row([
                    row.team, row.label, String(row.items), String(row.people), String(row.highestDay),
                    String(row.personDaysAtLimit),
                ], neutralizingFormulas: true)
            }
            return Response.download(named: "\(queue.name)-exposure-\(period.label).csv", as: .csvText, text: text)
        }
    }

    /// `?by=week&queues=a,b&days=28` (or `from`, `to`): the key figures grouped by `by`, with the total. A vendor
    /// lead gets their own vendor's people, without decision figures (which mix every vendor's work).
    @Sendable func kpis(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanSeeScores(actor)
        let dimension = try req.query.choice("by", default: ReportDimension.day)
        let names = req.query.list("queues")
        let queues = names.isEmpty ? try await req.store.queues() : try await names.asyncMap { try await req.store.queue($0) }
        let period = try ActivityPeriod(req)
        let facts = try await req.store.reportFacts(
            queues: queues, from: period.from, to: period.to, vendorID: try Policy.vendorScope(of: actor), now: req.now)
        let table = KPITable(dimension: dimension, rows: facts.breakdown(by: dimension), total: facts.total)
        switch try req.query.choice("format", default: ReportFormat.json) {
        case .json:
            let response = Response(status: .ok)
            try response.content.encode(table, as: .json)
            return response
        case .csv:
            return Response.download(named: "kpis-by-\(dimension.rawValue)-\(period.label).csv", as: .csvText, text: table.csv)
        }
    }

    @Sendable func activity(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanSeeScores(actor)
        let queue = try await req.pathQueue()
        let period = try ActivityPeriod(req)
        let activity = try await req.store.activity(
            of: queue, from: period.from, to: period.to, vendorID: try Policy.vendorScope(of: actor), now: req.now)
        switch try req.query.choice("format", default: ReportFormat.json) {
        case .json:
            return try await JSONBody(activity).encodeResponse(for: req)
        case .csv:
            let table = try req.query.choice("table", default: ActivityTable.days)
            let text = table == .days ? ActivityCSV.days(activity) : ActivityCSV.annotators(activity)
            return Response.download(named: "\(queue.name)-\(table.rawValue)-\(period.label).csv", as: .csvText, text: text)
        }
    }

    /// The table of a queue's activity a CSV holds: by day, or by person.
    enum ActivityTable: String, CaseIterable, ClosedChoice {
        case days, annotators
    }
}

/// The days a report covers: `from` and `to` (YYYY-MM-DD, UTC, inclusive), or the last `days` days (28 by default).
struct ActivityPeriod {
    let from: Date
    let to: Date

    init(_ req: Request) throws {
        let to = try req.query.day("to") ?? req.now
        var from = try req.query.day("from")
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
        // Whole UTC days, both ends counted, as `days` counts them: at most 366.
        func day(_ date: Date) -> Double { (date.timeIntervalSince1970 / 86_400).rounded(.down) }
        guard let from, from <= to, day(to) - day(from) + 1 <= 366 else {
            throw AssayError.invalidInput(
                field: "from", line: nil, reason: "must be on or before 'to', and cover at most 366 days with both counted")
        }
        self.from = from
        self.to = to
    }

    var label: String {
        let formatter = Calendar.utcDayFormatter
        return "\(formatter.string(from: from))-to-\(formatter.string(from: to))"
    }
}
