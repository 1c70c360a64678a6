/// What an import did: rows received, rows that became new items or judgments, and rows already there.
public struct ImportReport: Codable, Sendable, Equatable {
    /// Rows in the batch.
    public var received: Int
    /// Rows stored.
    public var inserted: Int
    /// Rows skipped because their external id (or item–annotator pair) was already there.
    public var duplicates: Int
    /// People created for annotator ids seen for the first time (judgment imports only).
    public var createdAnnotators: Int

    /// Makes a report.
    public init(received: Int, inserted: Int, duplicates: Int, createdAnnotators: Int = 0) {
        self.received = received
        self.inserted = inserted
        self.duplicates = duplicates
        self.createdAnnotators = createdAnnotators
    }

    /// The sum of two reports, for imports made of several batches.
    public static func + (lhs: ImportReport, rhs: ImportReport) -> ImportReport {
        ImportReport(
            received: lhs.received + rhs.received, inserted: lhs.inserted + rhs.inserted,
            duplicates: lhs.duplicates + rhs.duplicates, createdAnnotators: lhs.createdAnnotators + rhs.createdAnnotators)
    }
}

extension ImportReport {
    enum CodingKeys: String, CodingKey {
        case received, inserted, duplicates
        case createdAnnotators = "created_annotators"
    }
}
