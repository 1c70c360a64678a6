/// What an import did: rows received, rows that became new items or judgments, and rows already there.
///
/// A judgment is never rewritten by an import: a row for an item and annotator already judged is a duplicate, and
/// one whose labels differ from those stored is counted apart (`differing`, with its lines), so that a file of
/// corrected labels is not taken for applied.
///
/// ```swift
/// let report = try await store.importJudgments(rows, into: queue, now: now)
/// if report.differing > 0 { print("kept the stored labels of lines \(report.differingLines)") }
/// ```
public struct ImportReport: Codable, Sendable, Equatable {
    /// Rows in the batch.
    public var received: Int
    /// Rows stored.
    public var inserted: Int
    /// Rows skipped because their external id (or item–annotator pair) was already there.
    public var duplicates: Int
    /// People created for annotator ids seen for the first time (judgment imports only).
    public var createdAnnotators: Int
    /// Duplicates whose data differ from the stored (which stay): judgments with other labels, items with other content
    /// or metadata.
    public var differing: Int
    /// The lines of the first ``differingLinesShown`` of those.
    public var differingLines: [Int]

    /// How many lines of differing duplicates a report names.
    public static let differingLinesShown = 20

    /// Makes a report.
    public init(
        received: Int, inserted: Int, duplicates: Int, createdAnnotators: Int = 0, differing: Int = 0,
        differingLines: [Int] = []
    ) {
        self.received = received
        self.inserted = inserted
        self.duplicates = duplicates
        self.createdAnnotators = createdAnnotators
        self.differing = differing
        self.differingLines = Array(differingLines.prefix(Self.differingLinesShown))
    }

    /// The sum of two reports, for imports made of several batches.
    public static func + (lhs: ImportReport, rhs: ImportReport) -> ImportReport {
        ImportReport(
            received: lhs.received + rhs.received, inserted: lhs.inserted + rhs.inserted,
            duplicates: lhs.duplicates + rhs.duplicates, createdAnnotators: lhs.createdAnnotators + rhs.createdAnnotators,
            differing: lhs.differing + rhs.differing, differingLines: lhs.differingLines + rhs.differingLines)
    }
}

extension ImportReport {
    enum CodingKeys: String, CodingKey {
        case received, inserted, duplicates
        case createdAnnotators = "created_annotators"
        case differing = "duplicates_differing"
        case differingLines = "duplicates_differing_lines"
    }

    /// Reads a report; those stored by earlier versions (a finished job's) have no differing duplicates.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            received: try container.decode(Int.self, forKey: .received),
            inserted: try container.decode(Int.self, forKey: .inserted),
            duplicates: try container.decode(Int.self, forKey: .duplicates),
            createdAnnotators: try container.decode(Int.self, forKey: .createdAnnotators),
            differing: try container.decodeIfPresent(Int.self, forKey: .differing) ?? 0,
            differingLines: try container.decodeIfPresent([Int].self, forKey: .differingLines) ?? [])
    }
}
