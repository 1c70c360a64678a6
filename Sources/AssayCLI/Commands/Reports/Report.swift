import ArgumentParser
import AssayCore
import AssayServer
import AssayStore
import Foundation

/// `assay report --period week|month --queue Q --out report.html`: the business review as one HTML file.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the weekly or monthly business review as a self-contained, printable HTML page.",
        discussion: """
            Key figures against the previous period with deltas and 95% intervals, charts by day, the annotators and \
            labels that moved most, which vendors, teams, markets, queues, labels and annotators drove each change \
            in gold accuracy, QA score and handling time, calibration sessions closed in the period, and open issues. \
            The same page is at /report in the web UI.

            Packs: --vendor V reviews one vendor's people; --market M the queues serving one market.

            Example:
              assay report --period week --queue comments-en --out review.html
            """)

    @Option(help: "week (ISO, Monday to Sunday) or month.")
    var period: BusinessReview.Period = .week

    @Option(help: "A day inside the period to review, YYYY-MM-DD (default: the last complete period).",
            transform: ArgumentValues.day)
    var date: Date?

    @Option(name: .customLong("queue"), help: "A queue by name or id; repeat for several (default: every queue).")
    var queues: [String] = []

    @Option(help: "Only this vendor's people (by name or id).")
    var vendor: String?

    @Option(help: "Only the queues that serve this market.")
    var market: String?

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var out: String?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let scope = ReviewScope(queues: queues, vendor: vendor, market: market, period: period, date: date)
            let html = try await database.withStore { store in
                try await BusinessReviewDocument.html(scope, store: store, now: Date())
            }
            let output = try OutputFile(path: out)
            defer { output.close() }
            output.write(html)
            try output.finish()
            if let out { print("Wrote the business review to \(out).") }
        }
    }
}

extension BusinessReview.Period: ExpressibleByArgument {}
