import Foundation

/// Reads the judgments in a Label Studio JSON export, so that a team moving from Label Studio brings its history,
/// and a vendor who labels in Label Studio can be measured in Assay.
///
/// An export is a JSON array of tasks. Items import from it as they are (``ItemRows``: the task's `data` is the
/// content, its `id` the external id — or, for tasks Assay exported (``LabelStudioTask``), the external id kept in
/// `meta`, so a queue sent to Label Studio for review comes back onto its own items). Each task's `annotations` become judgments on that item:
/// - the annotator is `completed_by`: Label Studio's user id, or the `email` (else `id`) when it is an object; as
///   in every judgment import, an external id Assay does not know becomes a new person;
/// - the labels come from the results: `choices` (single or multiple choice), `rating` (a rating scale: the number
///   as the label), `taxonomy` (the last level of each chosen path); a `textarea` result is the rationale;
/// - the submission time is `created_at`, and `lead_time` (seconds) gives the start;
/// - cancelled (skipped) annotations are left out, as Label Studio itself leaves them out of its results.
///
/// Its `predictions` (an ML backend's suggestions, with `model_version` and `score`) import as an Assay predictor's
/// predictions (``predictions(from:modelVersion:)``).
///
/// For example:
/// ```swift
/// let row = ImportRow(line: 2, fields: [
///     "id": 7, "data": ["text": "buy followers"],
///     "annotations": [["completed_by": 3, "created_at": "2026-11-02T14:05:00.123456Z", "lead_time": 12.5,
///                      "result": [["type": "choices", "value": ["choices": ["spam"]]]]]],
/// ])
/// let judgments = try LabelStudioTasks.judgments(from: row)   // item "7", annotator "3", labels ["spam"]
/// ```
public enum LabelStudioTasks {
    /// Whether a row is a Label Studio task carrying annotations.
    public static func hasAnnotations(_ row: ImportRow) -> Bool {
        row.fields["annotations"] != nil
    }

    /// Whether a row is a Label Studio task: content in `data`, with `annotations` or `predictions` (a task of an
    /// export may carry either, both, or neither list filled).
    public static func isTask(_ row: ImportRow) -> Bool {
        guard case .object? = row.fields["data"] else { return false }
        return row.fields["annotations"] != nil || row.fields["predictions"] != nil
    }

    /// The judgments of a task's annotations, cancelled ones left out.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the task's line and the annotation's field,
    ///   such as `annotations[1].created_at`.
    public static func judgments(from task: ImportRow) throws -> [ImportedJudgment] {
        let item = try ItemRows.externalID(of: task)
        guard case .array(let annotations)? = task.fields["annotations"] else {
            throw AssayError.invalidInput(field: "annotations", line: task.line, reason: "must be a list of annotations")
        }
        var judgments: [ImportedJudgment] = []
        for (index, value) in annotations.enumerated() {
            let name = "annotations[\(index)]"
            guard case .object(let annotation) = value else {
                throw AssayError.invalidInput(field: name, line: task.line, reason: "must be an object")
            }
            if case .bool(true)? = annotation["was_cancelled"] { continue }
            func invalid(_ field: String, _ reason: String) -> AssayError {
                .invalidInput(field: "\(name).\(field)", line: task.line, reason: reason)
            }
            let annotator: String
            switch annotation["completed_by"] {
            case .number(let id)?: annotator = try userID(id, invalid: { invalid("completed_by", $0) })
            case .string(let id)? where !id.isEmpty: annotator = id
            case .object(let user)?:
                if case .string(let email)? = user["email"], !email.isEmpty {
                    annotator = email
                } else if case .number(let id)? = user["id"] {
                    annotator = try userID(id, invalid: { invalid("completed_by.id", $0) })
                } else {
                    throw invalid("completed_by", "names no user: give an `email` or an `id`")
                }
            default:
                throw invalid("completed_by", "is required: the Label Studio user who made the annotation")
            }
            try ImportRow.checkID(annotator, field: "\(name).completed_by", line: task.line, maxLength: 200)
            guard case .string(let created)? = annotation["created_at"], let submitted = Timestamp.parse(created) else {
                throw invalid("created_at", "is required, as an ISO 8601 time such as 2026-11-02T14:05:00.123456Z")
            }
            var started: Date?
            switch annotation["lead_time"] {
            case nil, .null?: break
            case .number(let seconds)? where seconds >= 0 && seconds.isFinite:
                // More than a day measures no work (a task left open overnight): the time is not counted, as a
                // judgment made here takes at most a day.
                if seconds * 1000 <= Double(JudgmentSubmission.maxTimeSpentMs) { started = submitted.addingTimeInterval(-seconds) }
            default: throw invalid("lead_time", "must be a number of seconds, 0 or more")
            }
            let (labels, rationale) = try read(annotation["result"], invalid: { invalid("result", $0) })
            var judgment = ImportedJudgment(
                itemExternalID: item, annotatorExternalID: annotator, labels: labels, rationale: rationale,
                startedAt: started, submittedAt: submitted, line: task.line)
            // A task holds many annotations on one line number (its first): errors found later name which.
            judgment.within = switch annotation["id"] {
            case .number(let id)? where id.rounded() == id && abs(id) < 1e15: "annotation \(Int64(id)) (\(name))"
            default: name
            }
            judgments.append(judgment)
        }
        return judgments
    }

    /// The predictions of a task (the suggestions of a Label Studio ML backend) for the predictor whose version is
    /// `modelVersion`: those with that `model_version`, or the only one when the task has one. `score` is the
    /// confidence, the results are read as an annotation's are.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the task's line and the prediction's field:
    ///   a missing or out-of-range `score`, results Assay cannot read, or several predictions none of which has
    ///   `modelVersion`.
    public static func predictions(from task: ImportRow, modelVersion: String) throws -> [PredictionDraft] {
        let item = try ItemRows.externalID(of: task)
        let all: [JSONValue]
        switch task.fields["predictions"] {
        case nil, .null?: return []
        case .array(let list)?: all = list
        default: throw AssayError.invalidInput(field: "predictions", line: task.line, reason: "must be a list of predictions")
        }
        var chosen: [(index: Int, prediction: [String: JSONValue])] = []
        var versions: [String] = []
        for (index, value) in all.enumerated() {
            guard case .object(let prediction) = value else {
                throw AssayError.invalidInput(field: "predictions[\(index)]", line: task.line, reason: "must be an object")
            }
            let version: String? = switch prediction["model_version"] {
            case .string(let text)?: text
            case .number(let number)?: number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
            default: nil
            }
            if let version { versions.append(version) }
            if version == modelVersion || all.count == 1 { chosen.append((index, prediction)) }
        }
        if chosen.isEmpty, !all.isEmpty {
            throw AssayError.invalidInput(
                field: "predictions", line: task.line,
                reason: "none of the task's \(all.count) predictions has model_version '\(modelVersion)' "
                    + "(found: \(versions.joined(separator: ", "))); name the predictor NAME@VERSION with one of them")
        }
        return try chosen.map { index, prediction in
            func invalid(_ field: String, _ reason: String) -> AssayError {
                .invalidInput(field: "predictions[\(index)].\(field)", line: task.line, reason: reason)
            }
            guard case .number(let score)? = prediction["score"], (0...1).contains(score) else {
                throw invalid("score", "is required, from 0 to 1: the model's confidence, which routing and alignment need")
            }
            let (labels, _) = try read(prediction["result"], invalid: { invalid("result", $0) })
            return PredictionDraft(itemExternalID: item, labels: labels, confidence: score, line: task.line)
        }
    }

    /// A Label Studio user id as text: a whole number (a fraction or a number too large to be an id is refused,
    /// never rounded or trapped on).
    private static func userID(_ id: Double, invalid: (String) -> AssayError) throws -> String {
        guard id.rounded() == id, abs(id) < 1e15 else { throw invalid("must be a whole user id, not \(id)") }
        return String(Int64(id))
    }

    /// The labels and the rationale in an annotation's results.
    private static func read(_ result: JSONValue?, invalid: (String) -> AssayError) throws -> ([String], String?) {
        guard case .array(let regions)? = result else { throw invalid("must be a list of results") }
        var labels: [String] = []
        var notes: [String] = []
        for region in regions {
            guard case .object(let region) = region, case .object(let value)? = region["value"] else {
                throw invalid("each result must be an object with a `value`")
            }
            if case .array(let choices)? = value["choices"] {
                labels += try choices.map { choice in
                    guard case .string(let text) = choice else { throw invalid("choices must be text") }
                    return text
                }
            } else if case .number(let rating)? = value["rating"] {
                guard rating.rounded() == rating, abs(rating) < 1e15 else {
                    throw invalid("a rating must be a whole number, not \(rating)")
                }
                labels.append(String(Int64(rating)))
            } else if case .array(let paths)? = value["taxonomy"] {
                for path in paths {
                    guard case .array(let levels) = path, case .string(let leaf)? = levels.last else {
                        throw invalid("each taxonomy choice must be a list of levels")
                    }
                    labels.append(leaf)
                }
            } else if case .array(let texts)? = value["text"] {
                notes += texts.compactMap { if case .string(let text) = $0 { text } else { nil } }
            } else if case .string(let text)? = value["text"] {
                notes.append(text)
            } else if let key = value.keys.sorted().first(where: { $0.hasSuffix("labels") }) {
                // A span's or a region's labels (`labels`, `rectanglelabels`, …) beside the choices: dropped, they would
                // leave a judgment that says less than the annotator did.
                throw invalid("a `\(key)` result (labels on a span or a region) is not read: Assay reads choices, rating, "
                    + "taxonomy and text results; remove it from the export to import the rest")
            }
        }
        guard !labels.isEmpty else {
            throw invalid("has no choices, rating or taxonomy result: Assay reads classification and rating tasks")
        }
        let rationale = notes.joined(separator: "\n").trimmingBlanksAndNewlines
        return (labels, rationale.isEmpty ? nil : rationale)
    }
}
