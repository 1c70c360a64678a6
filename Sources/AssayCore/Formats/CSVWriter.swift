/// Writes CSV rows that ``CSVParser`` (and spreadsheet programs) read back as the same fields.
///
/// A field is quoted when it contains the delimiter, a quote, CR or LF, and its quotes are doubled (RFC 4180).
///
/// **Formula injection.** Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` as a formula, and
/// some also treat a leading tab or CR that way. Exported annotation text comes from workers and end users, so a field
/// such as `=HYPERLINK("http://evil.example","click")` could run in the reviewer's spreadsheet. With
/// `neutralizingFormulas: true`, such a field is written with a leading `'`, which spreadsheets show as text. Plain
/// numbers like `-3.5` or `+1e-3` are left alone, since a number cannot run anything. The quote changes the data, so
/// use the option for files people open in spreadsheets, not for files that machines read back. See OWASP, "CSV
/// Injection", https://owasp.org/www-community/attacks/CSV_Injection.
///
/// For example:
/// ```swift
/// var csv = CSVWriter.row(["id", "text"])
/// csv += CSVWriter.row(["1", "Hello, \"world\""])               // 1,"Hello, ""world"""\n
/// csv += CSVWriter.row(["2", "=1+1"], neutralizingFormulas: true)  // 2,'=1+1\n
/// ```
public enum CSVWriter: Sendable {
    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// Joins fields into one CSV line ending in `\n`, quoting the fields that need it.
    ///
    /// A row with one empty field is written as `""`, since a bare empty line would be read as a blank line.
    ///
    /// For example:
    /// ```swift
    /// CSVWriter.row(["a", "b,c", "line\nbreak"])  // a,"b,c","line\nbreak"\n
    /// ```
    /// - Parameters:
    ///   - fields: The fields in column order.
    ///   - delimiter: An ASCII byte other than a quote, CR or LF.
    ///   - neutralizingFormulas: Whether to prefix `'` to fields a spreadsheet would run as formulas.
    /// - Returns: The line, ending in `\n`.
    public static func row(
        _ fields: [String],
        delimiter: UInt8 = UInt8(ascii: ","),
        neutralizingFormulas: Bool = false
    ) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.reduce(fields.count + 1) { $0 + $1.utf8.count })
        if fields.count == 1 && fields[0].isEmpty {
            bytes += [quote, quote]
        } else {
            for (position, field) in fields.enumerated() {
                if position > 0 { bytes.append(delimiter) }
                append(field, to: &bytes, delimiter: delimiter, neutralizingFormulas: neutralizingFormulas)
            }
        }
        bytes.append(lineFeed)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Escapes one field for a CSV line, quoting it only when it needs quotes.
    ///
    /// For example:
    /// ```swift
    /// CSVWriter.escaped("say \"hi\"")                            // "say ""hi"""
    /// CSVWriter.escaped("@admin", neutralizingFormulas: true)   // '@admin
    /// ```
    /// - Parameters:
    ///   - field: The field's text.
    ///   - delimiter: The delimiter the line will use.
    ///   - neutralizingFormulas: Whether to prefix `'` when a spreadsheet would run the field as a formula.
    /// - Returns: The field as it goes between delimiters.
    public static func escaped(
        _ field: String,
        delimiter: UInt8 = UInt8(ascii: ","),
        neutralizingFormulas: Bool = false
    ) -> String {
        var bytes: [UInt8] = []
        append(field, to: &bytes, delimiter: delimiter, neutralizingFormulas: neutralizingFormulas)
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Escaping

    private static func append(
        _ field: String,
        to bytes: inout [UInt8],
        delimiter: UInt8,
        neutralizingFormulas: Bool
    ) {
        precondition(
            delimiter < 0x80 && delimiter != quote && delimiter != lineFeed && delimiter != carriageReturn,
            "A CSV delimiter must be an ASCII byte other than a quote, CR or LF"
        )
        let utf8 = field.utf8
        let prefix: [UInt8] = neutralizingFormulas && startsFormula(field) ? [UInt8(ascii: "'")] : []
        let needsQuotes = utf8.contains { $0 == delimiter || $0 == quote || $0 == lineFeed || $0 == carriageReturn }
        guard needsQuotes else {
            bytes += prefix
            bytes += utf8
            return
        }
        bytes.append(quote)
        bytes += prefix
        for byte in utf8 {
            if byte == quote { bytes.append(quote) }
            bytes.append(byte)
        }
        bytes.append(quote)
    }

    /// Whether a spreadsheet would read the field as a formula: it starts with `= + - @`, tab or CR and is not a number.
    private static func startsFormula(_ field: String) -> Bool {
        guard let first = field.utf8.first, "=+-@\t\r".utf8.contains(first) else { return false }
        return !isPlainNumber(field)
    }

    /// Whether the bytes are a decimal number such as `-3`, `+0.5` or `-1.5e-3`.
    private static func isPlainNumber(_ field: String) -> Bool {
        var rest = field[...].utf8
        func skipSign() {
            if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { rest.removeFirst() }
        }
        func skipDigits() -> Int {
            let digits = rest.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }.count
            rest.removeFirst(digits)
            return digits
        }
        skipSign()
        var digits = skipDigits()
        if rest.first == UInt8(ascii: ".") {
            rest.removeFirst()
            digits += skipDigits()
        }
        guard digits > 0 else { return false }
        if let exponent = rest.first, exponent == UInt8(ascii: "e") || exponent == UInt8(ascii: "E") {
            rest.removeFirst()
            skipSign()
            guard skipDigits() > 0 else { return false }
        }
        return rest.isEmpty
    }
}
