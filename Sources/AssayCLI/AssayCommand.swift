import ArgumentParser
import AssayCore

/// The `assay` command line: serve the workspace, build a demo, move data in and out.
public struct AssayCommand: AsyncParsableCommand {
    /// The commands and the help text.
    public static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "Assay: content review and data annotation with labels you can prove.",
        discussion: """
            Data lives in a SQLite file (--db, default ./assay.sqlite) or, when ASSAY_DATABASE_URL is set, \
            in PostgreSQL (postgres://user:password@host:port/database, or over a Unix socket \
            postgres://user@/database?host=/var/run/postgresql).
            """,
        version: AssayVersion.current,
        subcommands: [
            Serve.self, Demo.self, Import.self, Export.self, Users.self, Queues.self, Agree.self, Aggregate.self,
            Metrics.self, QualitySettingsCommand.self, Gold.self, Scores.self, QA.self, Consensus.self, Arbitration.self,
            Guidelines.self, Exams.self, Calibration.self, Audit.self, Report.self, Train.self, Predict.self,
            Models.self, LLM.self, LabelErrorsFile.self,
        ]
    )

    /// Makes the root command (argument parser needs it).
    public init() {}
}
