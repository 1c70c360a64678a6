import Foundation

/// Reading and writing ISO 8601 times the way imports and exports use them.
///
/// For example:
/// ```swift
/// let date = Timestamp.parse("2026-11-02T14:05:00.250+01:00")!
/// Timestamp.format(date)  // "2026-11-02T13:05:00.250Z"
/// ```
public enum Timestamp {
    /// The times Assay reads: from 1600-01-01T00:00:00Z up to the end of 9999. Nothing a queue holds is older, and a
    /// time outside is a mistake (milliseconds sent as seconds, a zero year) that would otherwise be stored.
    public static let readable = Date(timeIntervalSince1970: -11_676_096_000)..<Date(timeIntervalSince1970: 253_402_300_800)

    /// Parses `2026-11-02T14:05:00Z`, `2026-11-02T14:05:00.250+01:00` or a bare date `2026-11-02` (midnight UTC).
    ///
    /// The usual shapes (`YYYY-MM-DDTHH:MM:SS`, an optional fraction, then `Z` or `±HH:MM`) are read directly: an
    /// import of judgments reads one or two times per row, and Foundation's parser was 8% of such an import's CPU.
    /// Other offsets (`+0100`) go to Foundation. Either way every field must be in range and the year within
    /// 1600–9999: `2026-02-30` or `T24:00` is refused, where Foundation would roll it over into another day, and a
    /// year such as 0000 or 99999 is refused rather than stored.
    public static func parse(_ text: String) -> Date? {
        // An offset can carry a usual-shape time across the range's ends (1600-01-01T00:00:00+01:00 is in 1599).
        if let date = parseUsualShape(text) { return readable.contains(date) ? date : nil }
        // A bare date: the direct reader stops at 9998, for the offsets above.
        if text.utf8.count == 10 { return parse(text + "T00:00:00Z") }
        guard hasFieldsInRange(text) else { return nil }
        let date = (try? Date(text, strategy: Date.ISO8601FormatStyle()))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        guard let date, readable.contains(date) else { return nil }
        return date
    }

    /// Parses a calendar day, `2026-11-02`, as its midnight in UTC, held to the rules of ``parse(_:)``: `2026-02-30`,
    /// `2026-2-3` and `12026-01-01` are not days.
    public static func day(_ text: String) -> Date? {
        text.utf8.count == 10 ? parse(text) : nil
    }

    /// Whether `text` begins `YYYY-MM-DDTHH:MM:SS` with a year of 1600–9999 and every field in range: what
    /// Foundation, which rolls `02-30` over to March, is trusted with.
    static func hasFieldsInRange(_ text: String) -> Bool {
        let bytes = Array(text.utf8.prefix(19))
        func number(_ offset: Int, _ digits: Int) -> Int? {
            guard offset + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[offset..<(offset + digits)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte) - 48
            }
            return value
        }
        guard bytes.count == 19, let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            (1600...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            hour < 24, minute < 60, second < 60
        else { return false }
        return true
    }

    /// The decoding strategy for times in JSON a person wrote (a request body, a file on the command line): read by
    /// ``parse(_:)``, so a body's `effective_at` is held to the same rules as an import's `created_at`.
    public static let decodingStrategy = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = parse(text) else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription: "'\(text)' is not an ISO 8601 time such as 2026-11-02T14:05:00Z (every field in range, years 1600 to 9999)"))
        }
        return date
    }

    /// Formats a time, to the millisecond, as `2026-11-02T14:05:00.250Z` in UTC: what
    /// `Date.ISO8601FormatStyle(includingFractionalSeconds: true)` writes, a few times faster, since an export
    /// writes one per row.
    public static func format(_ date: Date) -> String {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        // Years 1600 through 9999. Anything else (never a real decision time) goes to Foundation, whose calendar
        // is Julian before 1582.
        guard millis >= -11_676_096_000_000, millis < 253_402_300_800_000 else {
            return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        }
        let total = Int64(millis)
        let days = total >= 0 ? total / 86_400_000 : (total - 86_399_999) / 86_400_000
        let inDay = total - days * 86_400_000
        let (year, month, day) = civil(fromDays: days)
        var text = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int64, at offset: Int, digits: Int) {
            var value = value
            for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                text[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(year, at: 0, digits: 4)
        put(month, at: 5, digits: 2)
        put(day, at: 8, digits: 2)
        put(inDay / 3_600_000, at: 11, digits: 2)
        put(inDay / 60_000 % 60, at: 14, digits: 2)
        put(inDay / 1_000 % 60, at: 17, digits: 2)
        put(inDay % 1_000, at: 20, digits: 3)
        for (offset, character) in [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "."), (23, "Z")] {
            text[offset] = UInt8(ascii: Unicode.Scalar(character)!)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[.f…](Z|±HH:MM)` with every field in range, as Foundation reads it; nil
    /// for anything else.
    static func parseUsualShape(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            let count = bytes.count
            guard count == 10 || count >= 20 else { return nil }
            func number(_ offset: Int, _ digits: Int) -> Int? {
                var value = 0
                for index in offset..<(offset + digits) {
                    let digit = Int(bytes[index]) - 48
                    guard digit >= 0, digit <= 9 else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
                bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
                (1600...9998).contains(year), (1...12).contains(month), day >= 1,
                day <= daysIn(month: month, year: year)
            else { return nil }
            // Foundation counts from 2001, adds the time of day (fraction included) to the day's start, then takes
            // away the offset: summed in that order the result is the same Double, to the bit (checked against it on
            // millions of random times).
            let dayStart = Double((days(fromYear: Int64(year), month: Int64(month), day: Int64(day)) - 11_323) * 86_400)
            if count == 10 { return Date(timeIntervalSinceReferenceDate: dayStart) }
            guard bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
                hour < 24, minute < 60, second < 60
            else { return nil }
            var position = 19
            var fraction = 0.0
            if bytes[position] == UInt8(ascii: ".") {
                var digits = 0, value = 0
                position += 1
                while position < count, digits < 9, let digit = number(position, 1) {
                    value = value * 10 + digit
                    digits += 1
                    position += 1
                }
                guard digits > 0, position < count, bytes[position] < 48 || bytes[position] > 57 else { return nil }
                fraction = Double(value) / pow(10, Double(digits))
            }
            var offset = 0
            switch bytes[position] {
            case UInt8(ascii: "Z") where position + 1 == count:
                break
            case UInt8(ascii: "+") where position + 6 == count, UInt8(ascii: "-") where position + 6 == count:
                guard let hours = number(position + 1, 2), bytes[position + 3] == UInt8(ascii: ":"),
                    let minutes = number(position + 4, 2), minutes < 60, hours * 60 + minutes <= 18 * 60
                else { return nil }  // Foundation refuses offsets beyond ±18:00 (no time zone has one)
                offset = (hours * 3_600 + minutes * 60) * (bytes[position] == UInt8(ascii: "-") ? -1 : 1)
            default:
                return nil
            }
            let local = dayStart + (Double(hour * 3_600 + minute * 60 + second) + fraction)
            return Date(timeIntervalSinceReferenceDate: local - Double(offset))
        }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func days(fromYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
