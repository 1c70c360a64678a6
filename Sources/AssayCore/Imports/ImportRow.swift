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
    ///
    /// A row giving two of the names with different values is refused, which one was meant being unknown, unless
    /// `firstWins` (a Label Studio task's `id` is its own numbering beside the `external_id` Assay gave it).
    func requiredID(_ names: String..., maxLength: Int, firstWins: Bool = false) throws -> String {
        var found: (name: String, id: String)?
        for name in names {
            guard let text = try optionalText(name), !text.isEmpty else { continue }
            try Self.checkID(text, field: name, line: line, maxLength: maxLength)
            if let found {
                guard firstWins || found.id == text.composed else {
                    throw AssayError.invalidInput(
                        field: name, line: line,
                        reason: "'\(text)' differs from \(found.name) '\(found.id)'; give the id once, under one name")
                }
            } else {
                found = (name, text.composed)
            }
        }
        guard let found else { throw AssayError.invalidInput(field: names[0], line: line, reason: "is required") }
        return found.id
    }

    /// Checks an id read from a file: at most `maxLength` characters, none of them invisible. Ids are typed, read and
    /// compared by people: a control character (a bell, a line break, a right-to-left override that shows the id
    /// reversed, a zero-width space) would make an id no one can type or tell apart.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming `field`.
    public static func checkID(_ text: String, field: String, line: Int?, maxLength: Int) throws {
        guard text.count <= maxLength else {
            throw AssayError.invalidInput(
                field: field, line: line, reason: "is \(text.count) characters long; an id may have at most \(maxLength)")
        }
        let invisible: Set<Unicode.GeneralCategory> = [.control, .format, .lineSeparator, .paragraphSeparator]
        if let control = text.unicodeScalars.first(where: { invisible.contains($0.properties.generalCategory) }) {
            throw AssayError.invalidInput(
                field: field, line: line,
                reason: "contains the control character U+\(String(format: "%04X", control.value)); "
                    + "an id is made of characters people can type and read")
        }
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

    /// An optional whole number within `range`, from a JSON number or text such as `12`.
    func optionalInteger(_ name: String, in range: ClosedRange<Int> = Int(Int32.min)...Int(Int32.max)) throws -> Int? {
        let value: Int
        switch fields[name] {
        case nil, .null: return nil
        case .number(let number) where number.rounded() == number && number.magnitude < 1e18:
            value = Int(number)
        case .string(let text) where text.trimmingCharacters(in: .whitespaces).isEmpty:
            return nil
        case .string(let text) where Int(text.trimmingCharacters(in: .whitespaces)) != nil:
            value = Int(text.trimmingCharacters(in: .whitespaces))!
        default:
            throw AssayError.invalidInput(
                field: name, line: line, reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        guard range.contains(value) else {
            throw AssayError.invalidInput(
                field: name, line: line, reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound), got \(value)")
        }
        return value
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

    /// An optional time: ISO 8601 text with its zone (with or without fractional seconds) or Unix seconds (a JSON
    /// number, or text of digits as a CSV cell holds it), within the years 1600 to 9999 (``Timestamp/readable``).
    func optionalDate(_ name: String) throws -> Date? {
        switch fields[name] {
        case nil, .null: return nil
        case .number(let seconds):
            return try unixTime(seconds, name)
        case .string(let text):
            // Most times come without spaces around them; trimming copies the string through Foundation.
            let padded = text.first?.isWhitespace == true || text.last?.isWhitespace == true
            let trimmed = padded ? text.trimmingCharacters(in: .whitespaces) : text
            if trimmed.isEmpty { return nil }
            if let date = Timestamp.parse(trimmed) { return date }
            // Unix seconds as text: nine digits or more (since 1973), so that a year or a date written `20261102` is
            // not taken for a moment in 1970.
            let whole = trimmed.utf8.prefix { $0 != UInt8(ascii: ".") }
            if whole.count >= 9, whole.allSatisfy({ $0 >= 48 && $0 <= 57 }), let seconds = Double(trimmed) {
                return try unixTime(seconds, name)
            }
            throw AssayError.invalidInput(field: name, line: line, reason: Self.whyNotATime(trimmed))
        default:
            throw AssayError.invalidInput(field: name, line: line, reason: "must be an ISO 8601 time")
        }
    }

    private func unixTime(_ seconds: Double, _ name: String) throws -> Date {
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
    }

    /// Why `text` is not read as a time, saying what to change when the cause is a usual one: no zone (pandas,
    /// spreadsheets and SQL dumps write local times), or a space where ISO 8601 has a `T`.
    static func whyNotATime(_ text: String) -> String {
        let example = "such as 2026-11-02T14:05:00Z"
        var bytes = Array(text.utf8)
        let spaced = bytes.count >= 19 && bytes[10] == UInt8(ascii: " ")
        if spaced { bytes[10] = UInt8(ascii: "T") }
        let dateAndTime = String(decoding: bytes.prefix(19), as: UTF8.self)
        if Timestamp.hasFieldsInRange(dateAndTime) {
            let rest = bytes.dropFirst(19).drop { $0 == UInt8(ascii: ".") || ($0 >= 48 && $0 <= 57) }
            if rest.isEmpty {
                return "'\(text)' has no time zone; add Z for UTC or an offset such as +02:00 (\(example))"
            }
            if spaced, Timestamp.parse(String(decoding: bytes, as: UTF8.self)) != nil {
                return "'\(text)' has a space between the date and the time; ISO 8601 puts a T there (\(example))"
            }
        }
        return "'\(text)' is not an ISO 8601 time \(example) (every field in range, years 1600 to 9999)"
    }
}
