import Foundation

/// Reads items from import rows.
///
/// A row names the item with `external_id` (or `id`); `market`, `language`, `source`, `priority` and
/// `created_at` are metadata. The content is the `data` object when there is one, otherwise every other field
/// (so a CSV with columns `external_id,text,language` gives items whose content is `{"text": …}`).
///
/// For example:
/// ```swift
/// let row = ImportRow(line: 3, fields: ["external_id": "c-1", "text": "buy followers now", "market": "US"])
/// let draft = try ItemRows.draft(from: row)   // content ["text": "buy followers now"], market "US"
/// ```
public enum ItemRows {
    /// Field names that are metadata rather than content.
    public static let reservedFields: Set<String> = [
        "external_id", "id", "market", "language", "source", "priority", "created_at", "data",
    ]

    /// The reserved names long enough that a slip of one (a single letter off) is told from a content field of its
    /// own: `langauge` is a slip, but `marker`, `sources` or `created_by` may well be content.
    static let metadataNames = ["external_id", "language", "priority", "created_at"]

    /// The most characters an item's external id may have.
    public static let maxExternalIDLength = 300

    /// Fields that hold the answer, not the content: stored as content they would be shown to the people asked for
    /// it (and a gold set imported as items would give every gold answer away).
    /// Compared folded (``foldedName(_:)``): `Gold Label` is `gold_label`. Not `answer`: a question-and-answer item
    /// shows its answer as content.
    static let answerFields: Set<String> = [
        "label", "labels", "gold", "gold_label", "gold_labels", "ground_truth", "true_label", "final_label", "final_labels",
    ]

    /// A field's name as snake case, to compare with names Assay knows: blanks around it dropped, spaces and hyphens
    /// as underscores, a capital inside a word starting a new one (`Gold Label`, ` labels`, `goldLabel` → `gold_label`).
    static func foldedName(_ name: String) -> String {
        var folded = ""
        var previous: Character?
        for character in name.trimmingBlanksAndNewlines {
            if character == " " || character == "-" {
                folded.append("_")
            } else if character.isUppercase, let before = previous, before.isLowercase {
                folded += "_" + character.lowercased()
            } else {
                folded += character.lowercased()
            }
            previous = character
        }
        return folded
    }
    /// Fields only a judgments file has: such a file imported as items would make an item of every judgment.
    static let judgmentFields: Set<String> = ["item_external_id", "annotator_external_id"]

    /// The row's item external id: `external_id`; else, for a Label Studio task that Assay exported, the
    /// `external_id` kept in its `meta` (Label Studio numbers the tasks it imports, so their `id` is not Assay's);
    /// else `id`.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` when the row has none.
    public static func externalID(of row: ImportRow) throws -> String {
        if row.fields["external_id"] == nil, case .object(let meta)? = row.fields["meta"],
            case .string(let kept)? = meta["external_id"], !kept.trimmingBlanksAndNewlines.isEmpty
        {
            try ImportRow.checkID(kept.trimmingBlanksAndNewlines, field: "meta.external_id", line: row.line, maxLength: maxExternalIDLength)
            return kept.trimmingBlanksAndNewlines.composed
        }
        return try row.requiredID("external_id", "id", maxLength: maxExternalIDLength, firstWins: true)
    }

    /// The item a row describes.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the row's line and the field at fault.
    public static func draft(from row: ImportRow) throws -> ItemDraft {
        // A judgments file sent as items: told so, before its lack of an external id.
        if row.fields["data"] == nil, let field = row.fields.keys.filter(judgmentFields.contains).min() {
            throw AssayError.invalidInput(
                field: field, line: row.line,
                reason: "is a column of judgments, not items: import a judgments file with --judgments (POST …/judgments)")
        }
        let externalID = try externalID(of: row)
        // A slip of a metadata name (`langauge`) would otherwise be content (or, beside `data`, dropped), and the
        // item go without its language past the queue's check. A plural (`sources`, `languages`) is a field of its own.
        try row.refuseMisspellings(of: metadataNames, allowingPlurals: true, maxEdits: 1)
        // A metadata name in other letters (`Market`, `SOURCE`) is that name, not content: stored as content, the
        // item would go without its market to every market's reviewers.
        for key in row.fields.keys where key.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
            let folded = key.lowercased()
            if reservedFields.contains(folded), row.fields[folded] == nil {
                throw AssayError.invalidInput(field: key, line: row.line, reason: "\(ImportRow.notAColumn); did you mean \(folded)?")
            }
        }
        // Content is every field but the reserved ones (or the `data` object), without nulls. One pass: this runs for
        // every row of an import, twice.
        let content: [String: JSONValue]
        var data: [String: JSONValue]?
        switch row.fields["data"] {
        case .object(let fields)?:
            data = fields
            content = fields.filter { if case .null = $0.value { return false } else { return true } }
        case nil, .null?:
            content = row.fields.filter { field in
                guard !reservedFields.contains(field.key) else { return false }
                if case .null = field.value { return false } else { return true }
            }
        default:
            throw AssayError.invalidInput(field: "data", line: row.line, reason: "must be an object of content fields")
        }
        if let field = content.keys.filter({ answerFields.contains(foldedName($0)) }).min() {
            throw AssayError.invalidInput(
                field: data == nil ? field : "data.\(field)", line: row.line,
                reason: "would show the answer to the people asked for it: set reference answers with `assay gold import` "
                    + "(POST …/gold), or a model's with predictions; rename the field if it is content")
        }
        // Blank text is no content either: people would be handed an empty item to judge.
        guard content.values.contains(where: {
            switch $0 {
            case .string(let text): !text.trimmingBlanksAndNewlines.isEmpty
            case .array(let values): !values.isEmpty
            case .object(let fields): !fields.isEmpty
            default: true
            }
        })
        else {
            throw AssayError.invalidInput(
                field: "data", line: row.line, reason: "the item has no content (give `text` or other content fields)")
        }
        // A Label Studio task keeps its content in `data`: the item's market and language are in its `meta` when
        // Assay exported it, and in `data` beside the text in many a team's tasks. Only there: in a plain row, `meta`
        // is content like any other field. In `data` they are content first, read as the item's only in a task
        // (a row with `annotations`, `predictions` or `meta`) and only when they read as codes (free text stays
        // content and refuses nothing).
        func metaText(_ key: String) -> String? {
            guard data != nil, case .object(let meta)? = row.fields["meta"], case .string(let text)? = meta[key] else { return nil }
            return text
        }
        let isTask = ["annotations", "predictions", "meta"].contains { row.fields[$0] != nil }
        func dataCode(_ key: String, _ normalized: (String) throws -> String?) -> String? {
            guard isTask, case .string(let text)? = data?[key] else { return nil }
            return try? normalized(text)
        }
        let language = try (try row.optionalText("language") ?? metaText("language")).flatMap {
            try Locale.normalizedCode($0, line: row.line)
        } ?? dataCode("language") { try Locale.normalizedCode($0, line: row.line) }
        return ItemDraft(
            externalID: externalID, content: content,
            market: try (try row.optionalText("market") ?? metaText("market")).flatMap {
                try Locale.normalizedMarket($0, line: row.line)
            } ?? dataCode("market") { text in
            // Markets are a team's own names (`LATAM`, `US WEST`): beside a task's text, only a country-like code is
            // taken for one; any other text there is content.
            guard (2...3).contains(text.count), text.allSatisfy(\.isLetter) else { return nil }
            return try Locale.normalizedMarket(text, line: row.line)
        },
            language: language,
            source: try row.optionalText("source").flatMap { $0.isEmpty ? nil : $0 },
            priority: try row.optionalInteger("priority") ?? 0,
            createdAt: try row.optionalDate("created_at"), line: row.line)
    }
}

/// Reads judgments made in other tools from import rows.
///
/// Fields: `item_external_id` (or `item`), `annotator_external_id` (or `annotator`, `worker`), on preference queues
/// optionally `ranking` (every response best first, as a list or `B|A|C`; the label is its first), `labels` (a JSON
/// array, or text with labels separated by `|`) or `label`, `rationale`, `started_at`, `submitted_at`
/// (required).
public enum JudgmentRows {
    /// The judgments a row describes: one, or for a Label Studio task (a row with `annotations`), one per annotation
    /// (``LabelStudioTasks``).
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the line and field at fault.
    public static func judgments(from row: ImportRow) throws -> [ImportedJudgment] {
        let judgments = LabelStudioTasks.hasAnnotations(row) ? try LabelStudioTasks.judgments(from: row) : [try judgment(from: row)]
        // Judgments made elsewhere keep the limits of those made here.
        for judgment in judgments {
            if let rationale = judgment.rationale, rationale.count > JudgmentSubmission.maxRationaleLength {
                throw judgment.locate(.invalidInput(
                    field: "rationale", line: row.line,
                    reason: "is \(rationale.count) characters long; a rationale may have at most \(JudgmentSubmission.maxRationaleLength)"))
            }
        }
        return judgments
    }

    /// The judgments of every row of a request, each row read even after one fails, so that one answer lists what
    /// every row shows by itself: when any row cannot be read, the labels of the others are checked against `schema`
    /// too and listed with them (up to `limit`, in line order). The store checks the rest (items, people) once every
    /// row reads.
    ///
    /// - Throws: ``AssayError/rows(_:)``.
    public static func judgments(from rows: [ImportRow], schema: LabelSchema, limit: Int = 20) throws -> [ImportedJudgment] {
        var judgments: [ImportedJudgment] = []
        var problems: [AssayError] = []
        for row in rows {
            do {
                judgments += try Self.judgments(from: row)
            } catch let error as AssayError {
                problems.append(error.line == nil ? error.at(line: row.line) : error)
            }
        }
        guard !problems.isEmpty else { return judgments }
        for judgment in judgments {
            do {
                _ = try schema.validate(labels: judgment.labels, ranking: judgment.ranking, rationale: judgment.rationale)
            } catch let error as AssayError {
                problems.append(judgment.locate(error))
            }
        }
        let ordered = problems.enumerated().sorted { ($0.element.line ?? .max, $0.offset) < ($1.element.line ?? .max, $1.offset) }
        throw AssayError.rows(Array(ordered.map(\.element).prefix(limit)))
    }

    /// The judgment a row describes.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the line and field at fault.
    public static func judgment(from row: ImportRow) throws -> ImportedJudgment {
        try row.refuseMisspellings(of: columns)
        let item = try row.requiredID("item_external_id", "item", maxLength: ItemRows.maxExternalIDLength)
        // As long as the people API allows: a judgments import makes a person of an unknown annotator.
        let annotator = try row.requiredID("annotator_external_id", "annotator", "worker", maxLength: 200)
        let ranking = try row.fields["ranking"].map { _ in try row.labelList(field: "ranking") }
        let labels = ranking != nil && row.fields["labels"] == nil && row.fields["label"] == nil ? [] : try row.labelList()
        guard let submitted = try row.optionalDate("submitted_at") else {
            let named = otherToolsSubmissionColumns.first { row.fields[$0] != nil }
            throw AssayError.invalidInput(
                field: "submitted_at", line: row.line,
                reason: "is required" + (named.map { "; if \($0) is when the judgment was submitted, name the column submitted_at" } ?? ""))
        }
        var started = try row.optionalDate("started_at")
        if started == nil {
            // Without started_at the time spent is unknown: a column that says it another way must not be dropped.
            if let named = otherToolsStartColumns.first(where: { row.fields[$0] != nil }) {
                throw AssayError.invalidInput(field: named, line: row.line, reason: "\(ImportRow.notAColumn); did you mean started_at?")
            }
            if let named = otherToolsDurationColumns.first(where: { row.fields[$0] != nil }) {
                throw AssayError.invalidInput(
                    field: named, line: row.line,
                    reason: "is not read: the time spent is submitted_at − started_at; give started_at instead")
            }
        }
        if let started, started > submitted {
            throw AssayError.invalidInput(field: "started_at", line: row.line, reason: "is after submitted_at")
        }
        // More than a day between start and submission measures no work (a task left open overnight, a late submit
        // on a lapsed lease, a placeholder start in 1970): the judgment counts, its time does not, as a judgment
        // without a start (a 1970 start once made a day's mean handling time 121 years).
        if let start = started, submitted.timeIntervalSince(start) * 1000 > Double(JudgmentSubmission.maxTimeSpentMs) {
            started = nil
        }
        return ImportedJudgment(
            itemExternalID: item, annotatorExternalID: annotator, labels: labels,
            rationale: try row.optionalText("rationale"), startedAt: started, submittedAt: submitted, line: row.line,
            ranking: ranking)
    }
}

extension JudgmentRows {
    /// The columns a judgment row is read from, every name each may go by.
    public static let columns = [
        "item_external_id", "item", "annotator_external_id", "annotator", "worker", "ranking", "labels", "label", "rationale",
        "started_at", "submitted_at",
    ]

    /// Names other tools' exports give the start of the work. Read as a tool's own column, one would be dropped and
    /// every judgment's time spent lost, so a row with one and no `started_at` is refused, naming `started_at`.
    static let otherToolsStartColumns = [
        "start_time", "start_at", "started_time", "start_timestamp", "begin_time", "began_at", "time_started",
    ]
    /// Names other tools give the time a judgment took: Assay measures it as submitted_at − started_at. Only names
    /// that can mean nothing else in a judgments file (a bare `duration` may be a video's).
    static let otherToolsDurationColumns = [
        "time_spent_ms", "time_spent", "time_spent_s", "duration_ms", "duration_seconds", "lead_time", "elapsed_ms",
        "seconds_spent", "work_time",
    ]
    /// Names other tools give the time a judgment was made, named in the message when `submitted_at` is missing.
    static let otherToolsSubmissionColumns = [
        "end_time", "submit_time", "submitted", "submission_time", "completed_at", "finished_at", "created_at", "updated_at",
        "timestamp", "time", "date",
    ]
}

/// Reads a gold set: which item (by external id) has which reference answer.
public enum GoldRows {
    /// The columns a gold row is read from, every name each may go by.
    public static let columns = ["external_id", "item_external_id", "item", "labels", "label", "rationale"]

    /// The gold answer a row gives: `external_id` (or `item_external_id`, `item`), `labels` (a list, or text with
    /// `|` between labels, or `label`) and an optional `rationale`, the explanation shown in training.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the line and field at fault.
    public static func gold(from row: ImportRow) throws -> GoldDraft {
        try row.refuseMisspellings(of: columns)
        return GoldDraft(
            itemExternalID: try row.requiredText("external_id", "item_external_id", "item"), labels: try row.labelList(),
            rationale: try row.optionalText("rationale"), line: row.line)
    }
}

extension ImportRow {
    /// The row's labels: `labels` as a JSON list of text, or as text with `|` between labels (CSV), or `label`; or
    /// the list in another `field` (say `ranking`).
    public func labelList(field named: String? = nil) throws -> [String] {
        let field = named ?? (fields["labels"] != nil ? "labels" : "label")
        switch fields[field] {
        case .array(let values)?:
            // Trimmed as CSV's `a | b` is: `" spam"` is `spam`.
            return try values.map {
                guard case .string(let text) = $0 else {
                    throw AssayError.invalidInput(field: field, line: line, reason: "labels must be text")
                }
                return text.trimmingCharacters(in: .whitespaces)
            }
        case .string(let text)?:
            return text.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .number?:
            return [try optionalText(field) ?? ""]
        default:
            throw AssayError.invalidInput(field: named ?? "labels", line: line, reason: "is required")
        }
    }
}
