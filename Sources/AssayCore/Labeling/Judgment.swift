import Foundation

/// One person's answer for one item: the labels, an optional rationale, and how long it took.
public struct Judgment: Codable, Sendable, Equatable, Identifiable {
    /// Where a judgment came from.
    public enum Origin: String, Codable, Sendable, CaseIterable, ClosedChoice {
        /// Made in Assay, through an assignment.
        case assay
        /// Made in another tool and imported.
        case imported
    }

    /// The judgment's identifier.
    public var id: Int64
    /// The item judged.
    public var itemID: Int64
    /// The queue.
    public var queueID: UUID
    /// Who judged.
    public var annotatorID: UUID
    /// The labels, canonical for the queue's schema.
    public var labels: [String]
    /// The annotator's explanation.
    public var rationale: String?
    /// Time spent on the item, in milliseconds, as the client measured it.
    public var timeSpentMs: Int
    /// When the annotator started (lease time for Assay judgments; as given for imports).
    public var startedAt: Date?
    /// When the judgment was submitted.
    public var submittedAt: Date
    /// Made here or imported.
    public var origin: Origin
    /// The version of the queue's guidelines in force when it was made (nil: none was published yet).
    public var guidelineVersion: Int?
    /// On a preference queue, every response ranked best first (its first is the label); nil for a plain choice.
    public var ranking: [String]?

    /// Makes a judgment value.
    public init(
        id: Int64, itemID: Int64, queueID: UUID, annotatorID: UUID, labels: [String], rationale: String?,
        timeSpentMs: Int, startedAt: Date?, submittedAt: Date, origin: Origin, guidelineVersion: Int? = nil,
        ranking: [String]? = nil
    ) {
        self.id = id
        self.itemID = itemID
        self.queueID = queueID
        self.annotatorID = annotatorID
        self.labels = labels
        self.rationale = rationale
        self.timeSpentMs = timeSpentMs
        self.startedAt = startedAt
        self.submittedAt = submittedAt
        self.origin = origin
        self.guidelineVersion = guidelineVersion
        self.ranking = ranking
    }
}

/// What an annotator sends to submit a judgment on an assignment.
public struct JudgmentSubmission: Codable, Sendable, Equatable {
    /// The chosen label codes.
    public var labels: [String]
    /// The explanation, when the schema asks for one.
    public var rationale: String?
    /// Time spent, in milliseconds.
    public var timeSpentMs: Int?
    /// A key the client picks; sending the same key again returns the first judgment instead of a second one.
    public var clientKey: String?
    /// On a preference queue, every response ranked best first, instead of (or with) one label.
    public var ranking: [String]?

    /// Makes a submission.
    public init(
        labels: [String], rationale: String? = nil, timeSpentMs: Int? = nil, clientKey: String? = nil, ranking: [String]? = nil
    ) {
        self.labels = labels
        self.rationale = rationale
        self.timeSpentMs = timeSpentMs
        self.clientKey = clientKey
        self.ranking = ranking
    }

    /// Decodes a submission; `labels` may be left out when a `ranking` is sent.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self, calling: "field")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let ranking = try container.decodeIfPresent([String].self, forKey: .ranking)
        self.init(
            labels: ranking == nil ? try container.decode([String].self, forKey: .labels)
                : try container.decodeIfPresent([String].self, forKey: .labels) ?? [],
            rationale: try container.decodeIfPresent(String.self, forKey: .rationale),
            timeSpentMs: try container.decodeIfPresent(Int.self, forKey: .timeSpentMs),
            clientKey: try container.decodeIfPresent(String.self, forKey: .clientKey), ranking: ranking)
    }

    /// The submission checked against a schema: canonical labels and a sane time.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)``.
    public func validated(against schema: LabelSchema) throws -> JudgmentSubmission {
        var copy = self
        (copy.labels, copy.ranking) = try schema.validate(labels: labels, ranking: ranking, rationale: rationale)
        if let time = timeSpentMs, !(0...Self.maxTimeSpentMs).contains(time) {
            throw AssayError.invalidInput(field: "time_spent_ms", line: nil, reason: "must be 0 to \(Self.maxTimeSpentMs), got \(time)")
        }
        if let key = clientKey, key.isEmpty || key.count > 200 {
            throw AssayError.invalidInput(field: "client_key", line: nil, reason: "must be 1 to 200 characters")
        }
        if let text = rationale, text.count > Self.maxRationaleLength {
            throw AssayError.invalidInput(field: "rationale", line: nil, reason: "must be at most \(Self.maxRationaleLength) characters")
        }
        return copy
    }

    /// The longest a judgment may take, a day: more is a clock or zone mistake, and would swamp the handling times.
    public static let maxTimeSpentMs = 86_400_000
    /// The most characters a rationale may have.
    public static let maxRationaleLength = 20_000
}

/// One judgment as a file carries it: who judged which item how, and when, by external ids. Judgments exports
/// write it (``JudgmentExport``); judgments imports read it, with its line (``ImportedJudgment``).
public struct JudgmentRecord: Sendable, Equatable {
    /// The item's external id in the queue.
    public var itemExternalID: String
    /// The annotator's external id.
    public var annotatorExternalID: String
    /// The labels.
    public var labels: [String]
    /// The rationale.
    public var rationale: String?
    /// When the annotator started.
    public var startedAt: Date?
    /// When the annotator submitted.
    public var submittedAt: Date
    /// On a preference queue, every response ranked best first.
    public var ranking: [String]?

    /// Makes a record.
    public init(
        itemExternalID: String, annotatorExternalID: String, labels: [String], rationale: String?, startedAt: Date?,
        submittedAt: Date, ranking: [String]? = nil
    ) {
        self.itemExternalID = itemExternalID
        self.annotatorExternalID = annotatorExternalID
        self.labels = labels
        self.rationale = rationale
        self.startedAt = startedAt
        self.submittedAt = submittedAt
        self.ranking = ranking
    }

    /// Time spent, when both times are known.
    public var timeSpentMs: Int {
        guard let startedAt else { return 0 }
        // Times are read within 1600–9999, so this fits; `exactly` keeps a bad time from trapping the process.
        return max(0, Int(exactly: (submittedAt.timeIntervalSince(startedAt) * 1000).rounded()) ?? 0)
    }
}

/// A judgment made in another tool, as read from an import file: the record, and the line it was read from.
/// An unknown annotator external id makes a person; the labels are validated against the queue's schema.
///
/// The record's fields read through it: `judgment.itemExternalID`.
@dynamicMemberLookup
public struct ImportedJudgment: Sendable, Equatable {
    /// What the row says.
    public var record: JudgmentRecord
    /// The file line, for errors found when the row meets the database.
    public var line: Int
    /// Where in its line's record the judgment is, when a record holds several: a Label Studio task's
    /// `annotation 4 (annotations[1])`. Errors name it after the line.
    public var within: String?

    /// Makes an imported judgment.
    public init(
        itemExternalID: String, annotatorExternalID: String, labels: [String], rationale: String?, startedAt: Date?,
        submittedAt: Date, line: Int, ranking: [String]? = nil
    ) {
        record = JudgmentRecord(
            itemExternalID: itemExternalID, annotatorExternalID: annotatorExternalID, labels: labels, rationale: rationale,
            startedAt: startedAt, submittedAt: submittedAt, ranking: ranking)
        self.line = line
    }

    /// `error`, placed at the judgment's line and, within it, at the judgment: `line 5: annotation 4
    /// (annotations[1]): labels: 'bogus' is not a label of this queue`.
    public func locate(_ error: AssayError) -> AssayError {
        guard case .invalidInput(let field, _, let reason) = error else { return error }
        let place = [within, field].compactMap { $0 }.joined(separator: ": ")
        return .invalidInput(field: place.isEmpty ? nil : place, line: line, reason: reason)
    }

    public subscript<Value>(dynamicMember field: WritableKeyPath<JudgmentRecord, Value>) -> Value {
        get { record[keyPath: field] }
        set { record[keyPath: field] = newValue }
    }

    public subscript<Value>(dynamicMember field: KeyPath<JudgmentRecord, Value>) -> Value {
        record[keyPath: field]
    }

    /// How far ahead of the importer's clock a submitted time may be: clocks drift, but a time hours ahead is a
    /// time-zone mistake that would date the work in days to come.
    public static let clockTolerance: TimeInterval = 5 * 60

    /// Throws unless the judgment was submitted by `now` (give or take ``clockTolerance``).
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the line.
    public func requireSubmitted(by now: Date) throws {
        guard record.submittedAt > now.addingTimeInterval(Self.clockTolerance) else { return }
        throw locate(AssayError.invalidInput(
            field: "submitted_at", line: line,
            reason: "\(record.submittedAt.ISO8601Format()) is in the future (check the time's zone: Z is UTC)"))
    }

    /// The refusal of a row repeating the item and annotator of the row on `firstLine`: one of the two answers
    /// would be dropped without a word (the first, stored, made the second a "duplicate").
    public func repeating(line firstLine: Int) -> AssayError {
        locate(.invalidInput(
            field: "annotator_external_id", line: line,
            reason: "'\(record.annotatorExternalID)' already judged item '\(record.itemExternalID)' on line \(firstLine); "
                + "a file gives each person's judgment of an item once"))
    }

    /// The refusal of a row naming someone whose role does not label: their "judgments" would count toward overlap
    /// and consensus.
    /// The refusal of an annotator id no one has, though someone has it in other letters' case (`Jane@Vendor.com` for
    /// `jane@vendor.com`): imported, it would make a second person of one (and an admin's id so spelt would pass the
    /// check that only people who label are the ones judging).
    public static func caseTwin(_ externalID: String, of stored: String, line: Int?) -> AssayError {
        .invalidInput(
            field: "annotator_external_id", line: line,
            reason: "'\(externalID)' is no one here, but '\(stored)' is: ids are matched exactly, so this would make a "
                + "second person of them; spell it as stored")
    }

    public static func notLabeling(_ externalID: String, role: Role, line: Int?) -> AssayError {
        .invalidInput(
            field: "annotator_external_id", line: line,
            reason: "'\(externalID)' is \(role.withArticle), who does not label: judgments are made by annotators, arbitrators and QA reviewers")
    }
}

extension Judgment {
    enum CodingKeys: String, CodingKey {
        case id, labels, rationale, origin
        case itemID = "item_id", queueID = "queue_id", annotatorID = "annotator_id", timeSpentMs = "time_spent_ms"
        case startedAt = "started_at", submittedAt = "submitted_at", guidelineVersion = "guideline_version", ranking
    }
}

extension JudgmentSubmission {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case labels, rationale, ranking
        case timeSpentMs = "time_spent_ms", clientKey = "client_key"
    }
}
