import ArgumentParser
import AssayCore
import Foundation

/// Readers for arguments that Swift types cannot read by themselves, for `@Argument(transform:)` and
/// `@Option(transform:)`.
///
/// A value they refuse is reported the way ArgumentParser reports any mistyped argument, before the command
/// touches the database: what was typed, what was expected, then the command's own usage, exit 64.
///
/// ```swift
/// @Argument(help: "The person's id.", transform: ArgumentValues.id)
/// var person: UUID
/// ```
enum ArgumentValues {
    /// A UUID as printed by the API and the CLI (`8C2E…-…`), either case.
    @Sendable static func id(_ text: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw ValidationError("not an id: ids look like 3F2504E0-4F89-41D3-9A0C-0305E82C3301") }
        return id
    }

    /// Labels in order, comma-separated (`--order low,mid,high`), spaces around each ignored; a blank or repeated
    /// label is refused rather than made a label of its own.
    @Sendable static func labelOrder(_ text: String) throws -> [String] {
        let labels = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !labels.contains("") else { throw ValidationError("a label in the list is blank (two commas, or one at an end)") }
        guard Set(labels).count == labels.count else { throw ValidationError("a label is listed twice") }
        return labels
    }

    /// A TCP port, 0 to 65535 (0 lets the system pick a free one). Swift's `Int` would take 99999, and the server
    /// would then listen on 99999 modulo 65536 without a word.
    @Sendable static func port(_ text: String) throws -> Int {
        guard let port = Int(text), (0...65_535).contains(port) else { throw ValidationError("not a port: 0 to 65535") }
        return port
    }

    /// A calendar day as YYYY-MM-DD, read as that day in UTC.
    @Sendable static func day(_ text: String) throws -> Date {
        guard let day = Timestamp.day(text) else { throw ValidationError("not a day as YYYY-MM-DD") }
        return day
    }

    /// An ISO 8601 time with its offset, as the API writes them.
    @Sendable static func time(_ text: String) throws -> Date {
        guard let date = Timestamp.parse(text) else { throw ValidationError("not an ISO 8601 time such as 2026-12-01T00:00:00Z") }
        return date
    }
}
