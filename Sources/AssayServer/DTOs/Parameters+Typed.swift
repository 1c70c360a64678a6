import AssayCore
import Foundation
import Vapor

/// A path parameter that is an id or a number, read with an error that names it.
///
/// ```swift
/// let id = try req.parameters.id("assignmentID", as: Int64.self)
/// // GET /api/v1/assignments/abc → 422 "assignmentID: 'abc' is not a whole number"
/// ```
/// Vapor's own `require(_:as:)` answers "The parameter value could not be converted to the required type", which
/// names neither the parameter nor the value.
protocol PathValue: LosslessStringConvertible {
    /// What a value of this type is, for the message: "a whole number", "an id such as …".
    static var described: String { get }
}

extension Int: PathValue {
    static var described: String { "a whole number" }
}

extension Int64: PathValue {
    static var described: String { "a whole number" }
}

extension UUID: PathValue {
    static var described: String { "an id such as 6F9619FF-8B86-D011-B42D-00C04FC964FF" }
}

extension Parameters {
    /// The named path parameter as `type`.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` (422) naming the parameter and its value.
    func id<T: PathValue>(_ name: String, as type: T.Type) throws -> T {
        let text = try require(name)
        guard let value = T(text) else {
            throw AssayError.invalidInput(field: name, line: nil, reason: "'\(text)' is not \(T.described)")
        }
        return value
    }
}

extension URLQueryContainer {
    /// The query parameter `name` as one of `choices` (every case by default), `fallback` when it is absent.
    ///
    /// ```swift
    /// let by = try req.query.choice("by", default: ReportDimension.day)
    /// // ?by=month → 422 "by: must be day, week, queue, market, vendor, team, annotator or label, got 'month'"
    /// ```
    func choice<Choice: ClosedChoice & Equatable>(
        _ name: String, default fallback: Choice, among choices: [Choice] = Array(Choice.allCases)
    ) throws -> Choice {
        guard let text = self[String.self, at: name] else { return fallback }
        guard let choice = Choice(rawValue: text), choices.contains(choice) else {
            let names = choices.map(\.rawValue)
            let listed = names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + names.last! : names.joined()
            throw AssayError.invalidInput(field: name, line: nil, reason: "must be \(listed), got '\(text)'")
        }
        return choice
    }

    /// The query parameter `name` as a calendar day (`YYYY-MM-DD`, midnight UTC); nil when it is absent or blank.
    func day(_ name: String) throws -> Date? {
        guard let text = self[String.self, at: name], !text.isEmpty else { return nil }
        guard let day = Timestamp.day(text) else {
            throw AssayError.invalidInput(field: name, line: nil, reason: "must be a day as YYYY-MM-DD, got '\(text)'")
        }
        return day
    }

    /// The query parameter `name` as a comma-separated list (`?queues=a,b`), each entry trimmed, blank ones dropped.
    func list(_ name: String) -> [String] {
        (self[String.self, at: name] ?? "").split(separator: ",").map { String($0).trimmingBlanksAndNewlines }
            .filter { !$0.isEmpty }
    }
}

/// How a report is answered: `?format=json` (the default) or `csv`.
enum ReportFormat: String, CaseIterable, ClosedChoice {
    case json, csv
}
