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

    /// The row's item external id: `external_id`; else, for a Label Studio task that Assay exported, the
    /// `external_id` kept in its `meta` (Label Studio numbers the tasks it imports, so their `id` is not Assay's);
    /// else `id`.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` when the row has none.
    public static func externalID(of row: ImportRow) throws -> String {
        if row.fields["external_id"] == nil, case .object(let meta)? = row.fields["meta"],
            case .string(let kept)? = meta["external_id"], !kept.trimmingBlanksAndNewlines.isEmpty
        {
            return kept.trimmingBlanksAndNewlines.composed
        }
        return try row.requiredID("external_id", "id", maxLength: 1_000)
    }

    /// The item a row describes.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the row's line and the field at fault.
    public static func draft(from row: ImportRow) throws -> ItemDraft {
        let externalID = try externalID(of: row)
        guard externalID.count <= 300 else {
            throw AssayError.invalidInput(field: "external_id", line: row.line, reason: "must be at most 300 characters")
        }
        // Content is every field but the reserved ones (or the `data` object), without nulls; an item whose fields
        // are all null still counts as having content. One pass: this runs for every row of an import, twice.
        var content: [String: JSONValue]
        var hasFields = false
        switch row.fields["data"] {
        case .object(let data)?:
            hasFields = !data.isEmpty
            content = data.filter { if case .null = $0.value { return false } else { return true } }
        case nil, .null?:
            // A slip of a metadata name (`langauge`) would otherwise be content, and the item go without its
            // language past the queue's check. A plural (`sources`, `languages`) is a field of its own.
            try row.refuseMisspellings(of: metadataNames, allowingPlurals: true, maxEdits: 1)
            // A metadata name in other letters (`Market`, `SOURCE`) is that name, not content: stored as content,
            // the item would go without its market to every market's reviewers.
            for key in row.fields.keys where key.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
                let folded = key.lowercased()
                if reservedFields.contains(folded), row.fields[folded] == nil {
                    throw AssayError.invalidInput(field: key, line: row.line, reason: "not a column Assay reads; did you mean \(folded)?")
                }
            }
            content = row.fields.filter { field in
                guard !reservedFields.contains(field.key) else { return false }
                hasFields = true
                if case .null = field.value { return false } else { return true }
            }
        default:
            throw AssayError.invalidInput(field: "data", line: row.line, reason: "must be an object of content fields")
        }
        guard hasFields else {
            throw AssayError.invalidInput(
                field: "data", line: row.line, reason: "the item has no content (give `text` or other content fields)")
        }
        // A Label Studio task (content in `data`) that Assay exported keeps the item's market and language in its
        // `meta`. Only there: in a plain row, `meta` is content like any other field.
        func metaText(_ key: String) -> String? {
            guard case .object? = row.fields["data"], case .object(let meta)? = row.fields["meta"],
                case .string(let text)? = meta[key]
            else { return nil }
            return text
        }
        let language = try (try row.optionalText("language") ?? metaText("language")).flatMap {
            try Locale.normalizedCode($0, line: row.line)
        }
        return ItemDraft(
            externalID: externalID, content: content,
            market: try (try row.optionalText("market") ?? metaText("market")).flatMap {
                try Locale.normalizedMarket($0, line: row.line)
            },
            language: language,
            source: try row.optionalText("source"),
            priority: try row.optionalInteger("priority") ?? 0,
            createdAt: try row.optionalDate("created_at"))
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
        LabelStudioTasks.hasAnnotations(row) ? try LabelStudioTasks.judgments(from: row) : [try judgment(from: row)]
    }

    /// The judgment a row describes.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the line and field at fault.
    public static func judgment(from row: ImportRow) throws -> ImportedJudgment {
        try row.refuseMisspellings(of: columns)
        let item = try row.requiredID("item_external_id", "item", maxLength: 1_000)
        // As long as the people API allows: a judgments import makes a person of an unknown annotator.
        let annotator = try row.requiredID("annotator_external_id", "annotator", "worker", maxLength: 200)
        let ranking = try row.fields["ranking"].map { _ in try row.labelList(field: "ranking") }
        let labels = ranking != nil && row.fields["labels"] == nil && row.fields["label"] == nil ? [] : try row.labelList()
        guard let submitted = try row.optionalDate("submitted_at") else {
            throw AssayError.invalidInput(field: "submitted_at", line: row.line, reason: "is required")
        }
        let started = try row.optionalDate("started_at")
        if started == nil, row.fields["time_spent_ms"] != nil {
            throw AssayError.invalidInput(
                field: "time_spent_ms", line: row.line,
                reason: "is not read: the time spent is submitted_at − started_at; give started_at instead")
        }
        if let started, started > submitted {
            throw AssayError.invalidInput(field: "started_at", line: row.line, reason: "is after submitted_at")
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
            return try values.map {
                guard case .string(let text) = $0 else {
                    throw AssayError.invalidInput(field: field, line: line, reason: "labels must be text")
                }
                return text
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
