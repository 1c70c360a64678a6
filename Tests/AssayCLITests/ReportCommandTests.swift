import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// `assay report` as a user runs it: the built binary on a real database, writing one self-contained HTML page.
@Suite("assay report")
struct ReportCommandTests {
    @Test("writes last week's business review with its figures; bad queue, date and market are refused by name",
          arguments: TestBackend.allCases)
    func report(on backend: TestBackend) async throws {
        try await CLISandbox.with(backend) { cli in
            let lastWeek = BusinessReview.Period.week.lastComplete(before: Date())
            let weekBefore = BusinessReview.Period.week.previous(of: lastWeek)
            try await cli.store { store in
                let queue = try await Fixtures.queue(store, name: "reviewed", overlap: 2, markets: ["DE"], now: weekBefore.start)
                try await Fixtures.items(store, into: queue, count: 20, now: weekBefore.start)
                for (index, span) in [weekBefore, lastWeek].enumerated() {
                    let at = span.start.addingTimeInterval(86_400)
                    let items = (index * 10 + 1)...(index * 10 + 10)
                    let rows = items.flatMap { item in
                        ["ann", "bob"].map { who in
                            ImportedJudgment(
                                itemExternalID: String(format: "item-%04d", item), annotatorExternalID: who,
                                labels: [who == "bob" && index == 1 ? "none" : "spam"], rationale: nil,
                                startedAt: at.addingTimeInterval(-20), submittedAt: at, line: item)
                        }
                    }
                    _ = try await store.importJudgments(rows, into: queue, now: at)
                }
            }
            let out = cli.folder.appendingPathComponent("review.html").path
            let written = try cli.assay(["report", "--period", "week", "--queue", "reviewed", "--out", out])
            #expect(written.status == 0, "\(written.stderr)")
            let html = try String(contentsOfFile: out, encoding: .utf8)
            #expect(html.contains("<title>Business review · Week "))
            #expect(html.contains("\(lastWeek.title) (UTC), compared with \(weekBefore.title)"))
            #expect(html.contains("<th scope=\"row\">Judgments</th><td class=\"num\">20</td><td class=\"num\">20</td>"), "20 judgments each week")
            #expect(html.contains("<th scope=\"row\">Sent to arbitration</th><td class=\"num\">100.0%</td><td class=\"num\">0.0%</td>"),
                    "Ann and Bob disagree on every item last week")
            #expect(html.contains("<style>") && !html.contains("href=\"/assets/"), "one self-contained file")
            #expect(html.contains("<svg"))

            let market = try cli.assay(["report", "--queue", "reviewed", "--market", "FR"])
            #expect(market.status != 0 && market.stderr.contains("market") && market.stderr.contains("FR"), "\(market.stderr)")
            let queue = try cli.assay(["report", "--queue", "nope"])
            #expect(queue.status != 0 && queue.stderr.contains("nope"), "\(queue.stderr)")
            let date = try cli.assay(["report", "--date", "2026-13-01"])
            #expect(date.status == 64 && date.stderr.contains("'2026-13-01' is invalid for '--date <date>': not a day as YYYY-MM-DD"),
                    "a usage mistake, refused before any work: \(date.stderr)")
            let period = try cli.assay(["report", "--period", "fortnight"])
            #expect(period.status != 0 && period.stderr.contains("fortnight"), "\(period.stderr)")
        }
    }
}
