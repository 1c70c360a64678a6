import Foundation

/// The checks an item file's rows pass before any of it is stored, kept across the file's batches: the row reads as
/// an item (``ItemRows/draft(from:)``), the queue's schema can judge it, the queue serves its language and market,
/// it was not created after `now` (give or take ``ImportedJudgment/clockTolerance``), and no earlier row of the file
/// named its external id.
///
/// The last two are mistakes the store would take without a word: an item in a language or market the queue does
/// not serve waits in its backlog for someone who may never come, and a second row with an external id already
/// read would be skipped as "already there", its content lost.
///
/// For example:
/// ```swift
/// var check = ItemRowCheck(queue: queue, now: Date())   // languages ["en"]
/// try check.draft(from: ImportRow(line: 2, fields: ["external_id": "c-1", "text": "hi", "language": "en-GB"]))
/// try check.draft(from: ImportRow(line: 3, fields: ["external_id": "c-1", "text": "hello"]))
/// // line 3: external_id: 'c-1' is already on line 2; a file names each item once
/// ```
public struct ItemRowCheck: Sendable {
    private let queue: Queue
    private let now: Date
    private var lines: [String: Int] = [:]

    /// Checks rows for `queue`, at `now` by the importer's clock.
    public init(queue: Queue, now: Date) {
        self.queue = queue
        self.now = now
    }

    /// The row's item, checked.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` naming the row's line and the field at fault.
    public mutating func draft(from row: ImportRow) throws -> ItemDraft {
        do {
            let draft = try ItemRows.draft(from: row)
            // Noted first, so a later row repeating a refused one is reported as a repeat too.
            if let first = lines[draft.externalID] {
                throw AssayError.invalidInput(
                    field: "external_id", line: row.line,
                    reason: "'\(draft.externalID)' is already on line \(first); a file names each item once")
            }
            lines[draft.externalID] = row.line
            try draft.checkJudgeable(on: queue.schema)
            if let created = draft.createdAt, created > now.addingTimeInterval(ImportedJudgment.clockTolerance) {
                throw AssayError.invalidInput(
                    field: "created_at", line: row.line,
                    reason: "\(created.ISO8601Format()) is in the future (check the time's zone: Z is UTC)")
            }
            if let language = draft.language, !queue.languages.isEmpty,
                !queue.languages.contains(where: { Eligibility.speaks($0, language) })
            {
                throw AssayError.invalidInput(
                    field: "language", line: row.line,
                    reason: "'\(language)' is not a language of queue '\(queue.name)' (\(queue.languages.joined(separator: ", "))); "
                        + "nobody would be given the item: add the language to the queue, or import it into a queue that has it")
            }
            if let market = draft.market, !queue.markets.isEmpty, !queue.markets.contains(market) {
                throw AssayError.invalidInput(
                    field: "market", line: row.line,
                    reason: "'\(market)' is not a market of queue '\(queue.name)' (\(queue.markets.joined(separator: ", "))); "
                        + "nobody would be given the item: add the market to the queue, or import it into a queue that has it")
            }
            return draft
        } catch let error as AssayError {
            throw error.at(line: row.line)
        }
    }
}

extension AssayError {
    /// Problems found in the rows of one request or file, as one error: the problem itself when there is one, else
    /// every problem on a line of its own.
    public static func rows(_ problems: [AssayError]) -> AssayError {
        problems.count == 1
            ? problems[0] : .invalidInput(field: nil, line: nil, reason: problems.map(\.description).joined(separator: "\n"))
    }
}

extension Sequence {
    /// Maps every element with `transform`, going on past one that fails so that one answer lists every problem
    /// (up to `limit`), as an import file's check does.
    ///
    /// - Throws: ``AssayError/rows(_:)`` when any element fails with an ``AssayError``.
    public func mapEach<Value>(limit: Int = 20, _ transform: (Element) throws -> Value) throws -> [Value] {
        var values: [Value] = []
        var problems: [AssayError] = []
        for element in self {
            do {
                values.append(try transform(element))
            } catch let error as AssayError {
                problems.append(error)
                if problems.count == limit { break }
            }
        }
        guard problems.isEmpty else { throw AssayError.rows(problems) }
        return values
    }
}

extension Array where Element == ImportRow {
    /// Reads every row with `read` (``Swift/Sequence/mapEach(limit:_:)``), each problem on its row's line.
    public func readEach<Value>(limit: Int = 20, _ read: (ImportRow) throws -> [Value]) throws -> [Value] {
        try mapEach(limit: limit) { row in
            do {
                return try read(row)
            } catch let error as AssayError {
                throw error.line == nil ? error.at(line: row.line) : error
            }
        }.flatMap { $0 }
    }
}
