import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

/// The activity figures behind the dashboard, over HTTP and in a browser.
@Suite("Activity and the dashboard")
struct DashboardTests {
    /// Two vendors' annotators work over three days: one answers gold right, the other wrong; QA reviews all.
    static func workspace(_ server: LiveServer) async throws -> (queue: Queue, lead: String, analyst: String) {
        let store = server.store
        let now = server.clock.now
        server.clock.freeze()
        var queue = try await Fixtures.queue(store, name: "dash")
        try await Fixtures.items(store, into: queue, count: 30)
        let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
        queue = try await store.updateQuality(of: queue, to: QualitySettings(goldRate: 0.5, qaRate: 1), by: analyst, now: now)
        for index in 1...6 {
            _ = try await store.setGold(labels: ["spam"], rationale: nil, onItem: Int64(index), by: analyst, now: now)
        }
        let acme = try await store.createVendor(named: "Acme", now: now)
        let globex = try await store.createVendor(named: "Globex", now: now)
        var clients: [(LoopClient, String)] = []
        for (name, vendor, answer) in [("Ana Acme", acme, "spam"), ("Gus Globex", globex, "none")] {
            let person = try await store.createPerson(PersonDraft(name: name, role: .annotator, vendorID: vendor.id), now: now)
            clients.append((LoopClient(server: server, token: try await store.issueToken(for: person.id, now: now).value), answer))
        }
        for _ in 0..<3 {
            for (client, answer) in clients {
                for _ in 0..<4 {
                    guard let lease = try await client.next(queue.name) else { break }
                    _ = try await client.submit(lease.assignmentID, labels: [answer])
                }
            }
            server.clock.advance(by: 86_400)
        }
        let reviewer = try await Fixtures.token(store, role: .qaReviewer, name: "Rev")
        while true {
            let next = try await server.request(.POST, "/api/v1/queues/\(queue.name)/qa/next", token: reviewer)
            guard next.status == .ok else { break }
            let id = Int64(try #require(try next.object()["review"]?.objectValue?["id"]?.doubleValue))
            _ = try await server.request(.POST, "/api/v1/qa/\(id)", token: reviewer, json: ["correct": true])
        }
        let lead = try await store.createPerson(PersonDraft(name: "Lead", role: .vendorLead, vendorID: acme.id), now: now)
        return (queue, try await store.issueToken(for: lead.id, now: now).value,
                try await store.issueToken(for: analyst.id, now: now).value)
    }

    @Test("activity by day and person adds up, its CSV carries the same numbers, a vendor lead sees their own people",
          arguments: TestBackend.allCases)
    func activity(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let (queue, lead, analyst) = try await Self.workspace(server)
            let path = "/api/v1/queues/\(queue.name)/activity?days=5"
            let reply = try await server.request(.GET, path, token: analyst)
            try #require(reply.status == .ok, "\(reply.text)")
            let activity = try reply.json(QueueActivity.self)
            #expect(activity.days.count == 5)
            let total = activity.total
            #expect(total.judgments == 24, "2 people × 4 items × 3 days")
            #expect(activity.days.filter { $0.judgments > 0 }.count == 3)
            #expect(total.averageHandlingSeconds == 1.2, "each judgment reported 1,200 ms")
            let people = Dictionary(uniqueKeysWithValues: activity.annotators.map { ($0.name, $0) })
            #expect(people["Ana Acme"]?.gold.accuracy == 1 && people["Gus Globex"]?.gold.accuracy == 0)
            #expect(total.gold.answered == activity.annotators.reduce(0) { $0 + $1.gold.answered } && total.gold.answered > 0)
            #expect(total.qa.answered > 0 && total.qa.correct == total.qa.answered)

            let csv = try await server.request(.GET, path + "&format=csv&table=annotators", token: analyst)
            #expect(csv.headers.first(name: "Content-Type")?.hasPrefix("text/csv") == true)
            let lines = csv.text.split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            let ana = try #require(people["Ana Acme"])
            #expect(lines.dropFirst().allSatisfy { $0.hasSuffix(",Acme") || $0.hasSuffix(",Globex") }, "the vendor's name last")
            #expect(lines.contains { $0.hasPrefix("\(ana.externalID),Ana Acme,\(ana.vendorID!.uuidString),\(ana.judgments),1.2,\(ana.gold.answered),\(ana.gold.answered),1.000,") },
                    "\(lines)")
            let days = try await server.request(.GET, path + "&format=csv&table=days", token: analyst).text
            #expect(days.split(separator: "\n").count == 6)

            let scoped = try await server.request(.GET, path, token: lead).json(QueueActivity.self)
            #expect(scoped.annotators.map(\.name) == ["Ana Acme"])
            #expect(scoped.total.judgments == 12)

            for bad in [
                "?days=0", "?days=x", "?from=2026-13-01", "?from=2026-02-30", "?to=2026-2-3", "?format=xml", "?format=csv&table=weeks",
                "?from=2026-02-01&to=2026-01-01", "?from=2025-01-01&to=2026-01-02", "?days=367",
            ] {
                let refused = try await server.request(.GET, "/api/v1/queues/\(queue.name)/activity\(bad)", token: analyst)
                #expect(refused.status == .unprocessableEntity, "\(bad): \(refused.status)")
            }
            // A leap year's 366 days, both ends counted, is the longest period, as `days=366` is.
            #expect(try await server.request(.GET, "/api/v1/queues/\(queue.name)/activity?from=2024-01-01&to=2024-12-31", token: analyst).status == .ok)
            let namesChoices = try await server.request(.GET, "/api/v1/queues/\(queue.name)/activity?format=csv&table=weeks", token: analyst)
            #expect(namesChoices.text.contains("table: must be days or annotators, got 'weeks'"), "\(namesChoices.text)")
            #expect(try await server.request(.GET, path, token: try await Fixtures.token(server.store, role: .annotator, name: "Al")).status == .forbidden)

            // Gold answers counted for the confusion matrix are the ones the running sums count.
            let facts = try await server.store.reportFacts(
                queues: [queue], from: server.clock.now.addingTimeInterval(-4 * 86_400), to: server.clock.now)
            #expect(facts.goldAnswers.reduce(0) { $0 + $1.count } == facts.total.gold.answered,
                    "\(facts.goldAnswers) against \(facts.total.gold)")

            // Key figures by vendor: the rows add up to the total; a vendor lead gets their own, without decisions.
            let kpis = try await server.request(.GET, "/api/v1/kpis?by=vendor&days=5&queues=\(queue.name)", token: analyst)
            try #require(kpis.status == .ok, "\(kpis.text)")
            let table = try kpis.object()
            let rows = try #require(table["rows"]?.arrayValue)
            #expect(rows.compactMap { $0.objectValue?["key"]?.stringValue } == ["Acme", "Globex"])
            #expect(rows.compactMap { $0.objectValue?["judgments"]?.doubleValue }.reduce(0, +) == 24)
            #expect(table["total"]?.objectValue?["items_decided"]?.doubleValue != nil)
            let leadView = try await server.request(.GET, "/api/v1/kpis?by=vendor&days=5", token: lead).object()
            #expect(leadView["rows"]?.arrayValue?.compactMap { $0.objectValue?["key"]?.stringValue } == ["Acme"])
            #expect(leadView["total"]?.objectValue?["items_decided"] == .null, "no decision figures for a vendor lead")
            let csvTable = try await server.request(.GET, "/api/v1/kpis?by=week&days=5&format=csv", token: analyst).text
            #expect(csvTable.hasPrefix("week,title,judgments,average_handling_seconds,gold_answered"), "\(csvTable)")
            #expect(csvTable.split(separator: "\n").last?.hasPrefix("total,total,24,") == true, "\(csvTable)")
            for bad in ["?by=month", "?queues=nope", "?format=xml"] {
                let refused = try await server.request(.GET, "/api/v1/kpis\(bad)", token: analyst)
                #expect([.unprocessableEntity, .notFound].contains(refused.status), "\(bad): \(refused.status)")
            }
        }
    }

    @Test("an analyst's dashboard draws the charts and its CSV download equals the API; a vendor lead's shows their people only",
          .enabled(if: Browser.shouldRun, "needs chromium and chromium-driver"))
    func dashboardInBrowser() async throws {
        try await LiveServer.with(.sqlite) { server in
            let (queue, lead, analyst) = try await Self.workspace(server)
            let api = try await server.request(.GET, "/api/v1/queues/\(queue.name)/activity?days=5&format=csv&table=annotators", token: analyst)
            try await Browser.with { browser in
                try await browser.signIn(at: server.baseURL, token: analyst)
                try await browser.open(server.baseURL + "/dashboard/\(queue.name)?days=5")
                #expect(try await browser.text("h1") == "\(queue.name) · dashboard")
                #expect(try await browser.script("return document.querySelectorAll('svg.chart').length") == .number(8),
                        "seven charts by day and the confusion heat map")
                #expect(try await browser.text("#leaderboard tbody tr:first-child td:nth-child(2)") == "Ana Acme",
                        "ranked by the lower bound of gold accuracy")
                #expect(try await browser.text("#leaderboard tbody tr:first-child td:nth-child(3)") == "active", "standing in the queue")
                try await browser.screenshot("dashboard")
                let downloaded = try await browser.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch(document.getElementById('annotators-csv').href, {credentials: 'same-origin'}).then(r => r.text()).then(done);
                    """)
                #expect(downloaded.stringValue == api.text, "the page's CSV is the API's")
                try await browser.click("#leaderboard thead th:nth-child(6) button")
                try await browser.click("#leaderboard thead th:nth-child(6) button")
                #expect(try await browser.text("#leaderboard tbody tr:first-child td:nth-child(2)") == "Gus Globex", "sorted ascending")
                try await browser.open(server.baseURL + "/dashboard/\(queue.name)?days=5&by=vendor")
                #expect(try await browser.script("return document.querySelectorAll('#breakdown tbody tr').length") == .number(2))
                #expect(try await browser.script("return document.querySelectorAll('svg.chart.heat rect.cell').length") == .number(4),
                        "spam and none, answered as each other")
                let breakdownCSV = try await browser.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch(document.getElementById('breakdown-csv').href, {credentials: 'same-origin'}).then(r => r.text()).then(done);
                    """)
                let apiCSV = try await server.request(
                    .GET, "/api/v1/kpis?format=csv&by=vendor&queues=\(queue.name)&days=5", token: analyst).text
                #expect(breakdownCSV.stringValue == apiCSV, "the breakdown's CSV is the API's")
                _ = try await browser.script("document.getElementById('breakdown-heading').scrollIntoView(); return 0")
                try await browser.screenshot("dashboard-breakdown")
                // Grouping again keeps the period the page was opened with (the form carried only `days`).
                let firstDay = Calendar.utcDayFormatter.string(from: server.clock.now.addingTimeInterval(-3 * 86_400))
                let lastDay = Calendar.utcDayFormatter.string(from: server.clock.now.addingTimeInterval(-86_400))
                try await browser.open(server.baseURL + "/dashboard/\(queue.name)?from=\(firstDay)&to=\(lastDay)&by=vendor")
                _ = try await browser.script(
                    "document.getElementById('by').value = 'team'; document.querySelector('.breakdown-form').submit(); return 0")
                try await browser.waitUntil("the page grouped by team") { try await browser.currentURL().contains("by=team") }
                #expect(try await browser.currentURL().contains("from=\(firstDay)&to=\(lastDay)"))
                #expect(try await browser.text("#breakdown-heading") == "Key figures by team")
                #expect(try await browser.text("p.status") == "\(firstDay) to \(lastDay) (UTC)")
                // By label only gold accuracy is kept: the table shows it with its answers, under the labels' names.
                try await browser.open(server.baseURL + "/dashboard/\(queue.name)?days=5&by=label")
                #expect(try await browser.script(
                    "return Array.from(document.querySelectorAll('#breakdown thead th')).map(c => c.textContent)")
                    == .array(["Label", "Gold accuracy", "Gold answers"].map(JSONValue.string)))
                #expect(try await browser.text("#breakdown tbody tr:first-child td:first-child") == "Spam or scam")
                #expect(try await browser.script("return document.querySelector('form.period input[name=by]').value") == .string("label"),
                        "changing the days keeps the grouping")
            }
            try await Browser.with { browser in
                try await browser.signIn(at: server.baseURL, token: lead)
                try await browser.open(server.baseURL + "/dashboard/\(queue.name)?days=5")
                let names = try await browser.script(
                    "return Array.from(document.querySelectorAll('#leaderboard tbody tr td:nth-child(2)')).map(c => c.textContent)")
                #expect(names == ["Ana Acme"], "a vendor lead sees only their own people")
                try await browser.open(server.baseURL + "/review/\(queue.name)")
                #expect(try await browser.text("h1") == "403 · Forbidden")
            }
        }
    }

    @Test("a queue working with a model shows auto-accept, its audited precision and alignment to analysts, not to vendor leads",
          .enabled(if: Browser.shouldRun, "needs chromium and chromium-driver"))
    func modelPanelInBrowser() async throws {
        try await LiveServer.with(.sqlite) { server in
            let (queue, lead, analyst) = try await Self.workspace(server)
            let store = server.store
            let model = Predictor.Reference(name: "triage", version: "v1")
            let items = try await store.items(in: queue.id, after: nil, limit: 1_000)
            _ = try await store.importPredictions(
                items.map { PredictionDraft(itemExternalID: $0.externalID, labels: ["spam"], confidence: 0.8) }, from: model,
                into: queue, now: server.clock.now)
            let person = try await store.person(externalID: "admin")
            _ = try await store.updateAssist(
                of: queue, to: AssistSettings(predictor: model, showPredictions: true, autoAccept: AutoAccept(threshold: 0.95)),
                by: person, now: server.clock.now)
            try await Browser.with { browser in
                try await browser.signIn(at: server.baseURL, token: analyst)
                try await browser.open(server.baseURL + "/dashboard/\(queue.name)?days=5")
                #expect(try await browser.text("#model-heading") == "Model: triage@v1")
                let titles = try await browser.script(
                    "return Array.from(document.querySelectorAll('#model .tile h3')).map(t => t.textContent)")
                #expect(titles == ["Auto-accepted", "Auto-accept precision", "Model–people κ", "Model on gold", "Wrong suggestions taken"])
                #expect(try await browser.accessibilityProblems().isEmpty)
                _ = try await browser.script("document.getElementById('model-heading').scrollIntoView(); return 0")
                try await browser.screenshot("dashboard-model")
            }
            try await Browser.with { browser in
                try await browser.signIn(at: server.baseURL, token: lead)
                try await browser.open(server.baseURL + "/dashboard/\(queue.name)?days=5")
                #expect(try await browser.script("return document.querySelectorAll('#model').length") == .number(0))
            }
        }
    }

    @Test("the business review says when the period before it has no work, or when the period is still going")
    func reviewSaysWhatItCompares() async throws {
        try await LiveServer.with(.sqlite) { server in
            _ = try await Self.workspace(server)
            // The workspace's work began three days ago (its clock moved a day at a time since).
            let first = Calendar.utcDayFormatter.string(from: server.clock.now.addingTimeInterval(-3 * 86_400))
            let review = try await server.request(.GET, "/report?period=week&date=\(first)")
            #expect(review.status == .ok)
            #expect(review.text.contains("The period before has no work recorded: these queues&#39; work begins \(first).")
                    || review.text.contains("The period before has no work recorded: these queues' work begins \(first)."),
                    "\(review.text.prefix(2_000))")
        }
    }

    @Test("the business review page: an analyst sees the figures and the root causes, a vendor lead only their own vendor",
          .enabled(if: Browser.shouldRun, "needs chromium and chromium-driver"))
    func businessReviewInBrowser() async throws {
        try await LiveServer.with(.sqlite) { server in
            let (_, lead, analyst) = try await Self.workspace(server)
            let day = Calendar.utcDayFormatter.string(from: server.clock.now.addingTimeInterval(-86_400))
            try await Browser.with { browser in
                try await browser.signIn(at: server.baseURL, token: analyst)
                try await browser.open(server.baseURL + "/report?period=month&date=\(day)")
                #expect(try await browser.text("h1").hasPrefix("Business review · "))
                #expect(try await browser.text("#kpis tbody tr:first-child th") == "Judgments")
                #expect(try await browser.script("return document.querySelectorAll('svg.chart').length") == .number(3))
                // The month of yesterday is still in progress unless today began a new one: the page says so.
                var utc = Calendar(identifier: .gregorian)
                utc.timeZone = TimeZone(identifier: "UTC")!
                let stillGoing = utc.component(.day, from: server.clock.now) != 1
                #expect(try await browser.script("return document.getElementById('in-progress') !== null") == .bool(stillGoing))
                try await browser.screenshot("business-review")
                // The page's controls: this month's successor has not begun; its predecessor is one click away.
                #expect(try await browser.script("return document.getElementById('next-period') === null") == .bool(true))
                let thisMonth = try await browser.text("h1")
                try await browser.click("#previous-period")
                try await browser.waitUntil("the month before") {
                    let title = try await browser.text("h1")
                    return title.hasPrefix("Business review · ") && title != thisMonth
                }
                #expect(try await browser.script("return document.getElementById('next-period') !== null") == .bool(true))
                #expect(try await browser.script("return document.getElementById('period').value") == .string("month"))
                try await browser.open(server.baseURL + "/report?period=fortnight")
                #expect(try await browser.text("h1") == "422 · Unprocessable Entity")
                try await browser.open(server.baseURL + "/report?queues=nope")
                #expect(try await browser.text("h1") == "404 · Not Found")
                try await browser.open(server.baseURL + "/report?date=2099-01-01")
                #expect(try await browser.text("h1") == "422 · Unprocessable Entity")
                #expect(try await browser.text("[role=alert]").contains("2099-01-01 is in a week that has not begun"))
            }
            try await Browser.with { browser in
                try await browser.signIn(at: server.baseURL, token: lead)
                try await browser.open(server.baseURL + "/report?period=month&date=\(day)")
                #expect(try await browser.text(".report-head p").contains("Vendor: Acme"))
                #expect(try await browser.script("return document.body.textContent.includes('Items decided')") == .bool(false),
                        "no decision figures in a vendor's review")
                try await browser.open(server.baseURL + "/report?vendor=Globex")
                #expect(try await browser.text("h1") == "403 · Forbidden")
                // A queue their people never worked on is not theirs to review, as its dashboard is not.
                _ = try await Fixtures.queue(server.store, name: "untouched")
                try await browser.open(server.baseURL + "/report?queues=untouched")
                #expect(try await browser.text("h1") == "403 · Forbidden")
            }
            // A lead whose people have not worked yet has no review: not every queue's backlog and open cases.
            let idle = try await server.store.createVendor(named: "Idle BPO", now: server.clock.now)
            let idleLead = try await server.store.createPerson(
                PersonDraft(name: "Idle Lead", role: .vendorLead, vendorID: idle.id), now: server.clock.now)
            let idleToken = try await server.store.issueToken(for: idleLead.id, now: server.clock.now).value
            try await Browser.with { browser in
                try await browser.signIn(at: server.baseURL, token: idleToken)
                try await browser.open(server.baseURL + "/report")
                #expect(try await browser.text("h1") == "403 · Forbidden")
            }
        }
    }
}
