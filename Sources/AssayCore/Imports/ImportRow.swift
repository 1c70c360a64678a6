import Foundation

/// One row of an import file, whatever its format: the file line and its named fields.
///
/// JSON Lines rows keep their JSON types; CSV rows are all strings. Readers such as ``ItemRows`` and
/// ``JudgmentRows`` turn rows into domain drafts and report errors with the row's line.
public struct ImportRow: Sendable, Equatable {
    /// The line of the file where the row starts (1-based; a CSV header is line 1).
    public var line: Int
    /// The row's fields by name.
    public var fields: [String: JSONValue]

    /// Makes a row.
    public init(line: Int, fields: [String: JSONValue]) {
        self.line = line
        self.fields = fields
    }

    /// A CSV record as a row, pairing fields with the header's names; empty cells are left out.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` when the record has a different number of
    ///   fields than the header.
    public init(csv record: CSVRecord, header: [String]) throws {
        guard record.fields.count == header.count else {
            throw AssayError.invalidInput(
                field: nil, line: record.line,
                reason: "expected \(header.count) fields as in the header, found \(record.fields.count)")
        }
        var fields: [String: JSONValue] = [:]
        for (column, (name, value)) in zip(header, record.fields).enumerated() where !value.isEmpty {
            // A spreadsheet's trailing comma makes a nameless column; a value in it would be content with no key.
            guard !name.trimmingBlanks.isEmpty else {
                throw AssayError.invalidInput(
                    field: nil, line: record.line, reason: "column \(column + 1) has a value but the header gives it no name")
            }
            guard !value.utf8.contains(0) else {
                throw AssayError.invalidInput(field: name, line: record.line, reason: NULCharacter.refusal)
            }
            fields[name] = .string(value)
        }
        self.init(line: record.line, fields: fields)
    }

    /// A JSON Lines line as a row.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` when the line is not a JSON object.
    public init(jsonLine bytes: some Collection<UInt8>, line: Int) throws {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch let error as JSONValue.SyntaxError {
            // The line is the file's line, so the place in it is a column, counted in characters as an editor does.
            let column = String(decoding: bytes.prefix(error.offset), as: UTF8.self).count + 1
            throw AssayError.invalidInput(field: nil, line: line, reason: "not valid JSON: \(error.reason) at column \(column)")
        }
        guard case .object(let fields) = value else {
            throw AssayError.invalidInput(field: nil, line: line, reason: "each line must be a JSON object")
        }
        if let field = fields.first(where: { $0.key.utf8.contains(0) || $0.value.containsNUL }) {
            throw AssayError.invalidInput(field: field.key.utf8.contains(0) ? nil : field.key, line: line, reason: NULCharacter.refusal)
        }
        self.init(line: line, fields: fields)
    }

    // MARK: - Typed field access, each error naming the line and field

    /// A required text field (numbers are accepted and written in full).
    func requiredText(_ names: String...) throws -> String {
        for name in names {
            if let text = try optionalText(name), !text.isEmpty { return text }
        }
        throw AssayError.invalidInput(field: names[0], line: line, reason: "is required")
    }

    /// A required id of at most `maxLength` characters (ids are keys people type, read and compare).
    func requiredID(_ names: String..., maxLength: Int) throws -> String {
        for name in names {
            guard let text = try optionalText(name), !text.isEmpty else { continue }
            guard text.count <= maxLength else {
                throw AssayError.invalidInput(
                    field: name, line: line, reason: "is \(text.count) characters long; an id may have at most \(maxLength)")
            }
            return text.composed
        }
        throw AssayError.invalidInput(field: names[0], line: line, reason: "is required")
    }

    /// An optional text field.
    func optionalText(_ name: String) throws -> String? {
        switch fields[name] {
        case nil, .null: return nil
        case .string(let text): return text.trimmingBlanksAndNewlines
        case .number(let number):
            return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool, .array, .object:
            throw AssayError.invalidInput(field: name, line: line, reason: "must be text")
        }
    }

    /// An optional whole number.
    func optionalInteger(_ name: String) throws -> Int? {
        switch fields[name] {
        case nil, .null: return nil
        case .number(let number) where number.rounded() == number && abs(number) <= Double(Int32.max):
            return Int(number)
        case .string(let text) where Int(text.trimmingCharacters(in: .whitespaces)) != nil:
            return Int(text.trimmingCharacters(in: .whitespaces))
        case .string(let text) where text.trimmingCharacters(in: .whitespaces).isEmpty:
            return nil
        default:
            throw AssayError.invalidInput(field: name, line: line, reason: "must be a whole number")
        }
    }

    /// An optional number, from a JSON number or text such as `0.93`.
    func optionalNumber(_ name: String) throws -> Double? {
        switch fields[name] {
        case nil, .null: return nil
        case .number(let number) where number.isFinite: return number
        case .string(let text) where text.trimmingCharacters(in: .whitespaces).isEmpty: return nil
        case .string(let text):
            if let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite { return number }
            throw AssayError.invalidInput(field: name, line: line, reason: "'\(text)' is not a number")
        default:
            throw AssayError.invalidInput(field: name, line: line, reason: "must be a number")
        }
    }

    /// An optional time: ISO 8601 text (with or without fractional seconds) or Unix seconds, within the years
    /// 1600 to 9999 (``Timestamp/readable``).
    func optionalDate(_ name: String) throws -> Date? {
        switch fields[name] {
        case nil, .null: return nil
        case .number(let seconds):
            let date = Date(timeIntervalSince1970: seconds)
            guard seconds.isFinite, Timestamp.readable.contains(date) else {
                // Milliseconds where seconds were meant are the likely slip: a time now is about 1.8e12 of them.
                let hint = Timestamp.readable.contains(Date(timeIntervalSince1970: seconds / 1000))
                    ? " (milliseconds? it takes seconds)" : ""
                throw AssayError.invalidInput(
                    field: name, line: line,
                    reason: "\(seconds) is not a time: Unix seconds must fall within the years 1600 to 9999\(hint)")
            }
            return date
        case .string(let text):
            // Most times come without spaces around them; trimming copies the string through Foundation.
            let padded = text.first?.isWhitespace == true || text.last?.isWhitespace == true
            let trimmed = padded ? text.trimmingCharacters(in: .whitespaces) : text
            if trimmed.isEmpty { return nil }
            if let date = Timestamp.parse(trimmed) { return date }
            throw AssayError.invalidInput(
                field: name, line: line,
                reason: "'\(trimmed)' is not an ISO 8601 time such as 2026-11-02T14:05:00Z (every field in range, years 1600 to 9999)")
        default:
            throw AssayError.invalidInput(field: name, line: line, reason: "must be an ISO 8601 time")
        }
    }
}
