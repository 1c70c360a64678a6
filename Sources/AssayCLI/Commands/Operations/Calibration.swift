import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// `assay calibration`: sessions where everyone labels the same reference items.
struct Calibration: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create calibration sessions and read their reports.",
        discussion: """
            Participants answer through the API (POST /api/v1/calibrations/{id}/next and …/answers) and discuss \
            through …/notes. The report compares every participant, team, vendor and label with the reference \
            answers, measures agreement among participants (Krippendorff's alpha, Fleiss' kappa), and ranks the \
            label pairs confused most.
            """,
        subcommands: [Create.self, Report.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a session from a JSON file shaped like the body of POST /api/v1/queues/{queue}/calibrations.",
            discussion: #"For example: {"name": "Week 48", "items": ["gold-001"], "participants": {"vendors": ["Northwind BPO"], "teams": ["Atlas Review/São Paulo"], "people": ["kestrel-004"]}, "closes_at": "2026-12-01T00:00:00Z"}"#)

        @OptionGroup var input: QueueDraftFile

        func run() async throws {
            let session = try await input.create(
                CalibrationDraft.self, shapedLike: "a calibration session", allowedBy: Policy.requireCanManageQuality
            ) { store, draft, queue, _ in try await store.createCalibration(draft, in: queue, now: Date()) }
            print("Created calibration session '\(session.name)' (id \(session.id)), open until \(Timestamp.format(session.closesAt)).")
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a session's report as JSON.")

        @Argument(help: "The session id.", transform: ArgumentValues.id)
        var session: UUID

        @Option(help: "Only this vendor's people (name or id), as its vendor lead sees it.")
        var vendor: String?

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                let report = try await database.withStore { store in
                    try await store.calibrationReport(of: try await store.calibration(session), vendorID: try await store.vendorID(vendor))
                }
                try JSONFiles.print(report)
            }
        }
    }
}
