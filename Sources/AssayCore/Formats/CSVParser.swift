/// An incremental RFC 4180 CSV parser that reads UTF-8 bytes in chunks of any size and returns finished records.
///
/// Rules, beyond RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180):
/// - A record ends at LF, CR LF, or a lone CR. Blank lines are skipped but still counted for line numbers.
/// - A quoted field may contain the delimiter, line breaks (kept as written), and quotes written twice (`""`).
/// - A quote inside an unquoted field is kept as a literal character (`5" screen`), as spreadsheets do.
/// - A UTF-8 byte order mark at the start is dropped; the last record needs no line break.
/// - Every record must have as many fields as the header (or, without a header, as the first record).
///
/// The parser works on bytes and builds one `String` per field, so a chunk may end anywhere, even inside a quoted
/// field or between CR and LF. After it throws, its state is unspecified: report the error and drop the parser.
///
/// For example:
/// ```swift
/// var parser = CSVParser()
/// var records = try parser.feed(Array("id,text\n1,\"Hello, \"\"world\"\"\"\n2,".utf8))
/// records += try parser.feed(Array("bye\n".utf8))
/// records += try parser.finish()
/// parser.header          // ["id", "text"]
/// records[0].fields      // ["1", "Hello, \"world\""]
/// records[1].line        // 3
/// ```
/// - Complexity: O(n) in the bytes fed; memory holds one record plus one chunk's finished records.
public struct CSVParser: Sendable {
    /// The byte that separates fields: `,` by default, `\t` for TSV, `;` for some European exports.
    public let delimiter: UInt8
    /// Whether the first record is a header (returned in ``header``, not as a record).
    public let hasHeader: Bool
    /// The header's fields once the first record has been read, or `nil` before then or without a header.
    public private(set) var header: [String]?

    private enum State {
        /// Before the first byte of a record; line breaks here are blank lines.
        case recordStart
        /// After a delimiter, before the first byte of the next field.
        case fieldStart
        case unquoted
        case quoted
        /// Just after a quote inside a quoted field: the next byte decides between `""` and the field's end.
        case quoteInQuoted
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    private var state = State.recordStart
    /// The physical line of the next byte to read.
    private var line = 1
    /// The physical line the record in progress started on.
    private var recordLine = 1
    private var fields: [String] = []
    /// Bytes of the field in progress that could not be sliced from one chunk (split by a chunk end or by `""`).
    private var fieldBytes: [UInt8] = []
    private var expectedFieldCount: Int?
    /// The previous byte was a CR that ended a line outside quotes, so an LF right after it is part of that break.
    private var skipsLineFeed = false
    /// Whether the last chunk ended with CR, to count a CR LF split across chunks inside quotes as one line.
    private var previousChunkEndedWithCarriageReturn = false
    private var byteOrderMark = LeadingByteOrderMark()
    private var finished: [CSVRecord] = []

    /// Makes a parser for one input.
    ///
    /// For example:
    /// ```swift
    /// var tsv = CSVParser(delimiter: UInt8(ascii: "\t"), hasHeader: false)
    /// ```
    /// - Parameters:
    ///   - delimiter: An ASCII byte other than a quote, CR or LF.
    ///   - hasHeader: Pass `false` when the first record is data.
    public init(delimiter: UInt8 = UInt8(ascii: ","), hasHeader: Bool = true) {
        precondition(
            delimiter < 0x80 && delimiter != Self.quote && delimiter != Self.lineFeed
                && delimiter != Self.carriageReturn,
            "A CSV delimiter must be an ASCII byte other than a quote, CR or LF"
        )
        self.delimiter = delimiter
        self.hasHeader = hasHeader
    }

    /// Reads the next chunk of the input and returns the records it completed (possibly none).
    ///
    /// For example:
    /// ```swift
    /// var parser = CSVParser(hasHeader: false)
    /// let records = try parser.feed(Array("a,b\nc,".utf8))  // [a, b]; "c," waits for the rest of its record
    /// ```
    /// - Parameter chunk: The next bytes, cut anywhere; `Data`, `[UInt8]` and slices are read without copying.
    /// - Returns: The records that ended inside this chunk, in order, without the header.
    /// - Throws: ``FormatError/invalidUTF8(line:field:)``, ``FormatError/fieldCountMismatch(line:expected:found:)`` or
    ///   ``FormatError/unexpectedCharacterAfterQuote(line:)``.
    public mutating func feed(_ chunk: some Sequence<UInt8>) throws -> [CSVRecord] {
        if byteOrderMark.isResolved {
            let didParse: Void? = try chunk.withContiguousStorageIfAvailable { try parse($0) }
            if didParse == nil {
                try Array(chunk).withUnsafeBufferPointer { try parse($0) }
            }
        } else if let start = byteOrderMark.strip(from: chunk) {
            try start.withUnsafeBufferPointer { try parse($0) }
        }
        return takeFinished()
    }

    /// Ends the input and returns the last record if it had no line break after it.
    ///
    /// For example:
    /// ```swift
    /// var parser = CSVParser(hasHeader: false)
    /// _ = try parser.feed(Array("a,b".utf8))
    /// let last = try parser.finish()  // [CSVRecord(line: 1, fields: ["a", "b"])]
    /// ```
    /// - Throws: ``FormatError/unterminatedQuote(line:)`` if a quoted field is still open, or the errors of
    ///   ``feed(_:)`` for the last record.
    public mutating func finish() throws -> [CSVRecord] {
        if !byteOrderMark.isResolved {
            try byteOrderMark.resolve().withUnsafeBufferPointer { try parse($0) }
        }
        switch state {
        case .recordStart:
            break
        case .fieldStart, .unquoted, .quoteInQuoted:
            try endField(with: UnsafeBufferPointer(start: nil, count: 0))
            try endRecord()
        case .quoted:
            throw FormatError.unterminatedQuote(line: recordLine)
        }
        state = .recordStart
        return takeFinished()
    }

    // MARK: - Scanning

    /// Runs the state machine over one chunk; runs of plain bytes are scanned in tight loops and sliced, not copied.
    private mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        let delimiter = self.delimiter
        let count = bytes.count
        var index = 0
        var runStart = 0  // where the field in progress starts within this chunk
        while index < count {
            switch state {
            case .recordStart:
                let byte = bytes[index]
                if skipsLineFeed {
                    skipsLineFeed = false
                    if byte == Self.lineFeed {
                        index += 1
                        continue
                    }
                }
                if byte == Self.lineFeed || byte == Self.carriageReturn {  // a blank line
                    line += 1
                    skipsLineFeed = byte == Self.carriageReturn
                    index += 1
                    continue
                }
                recordLine = line
                state = .fieldStart
            case .fieldStart:
                if bytes[index] == Self.quote {
                    state = .quoted
                    index += 1
                } else {
                    state = .unquoted
                }
                runStart = index
            case .unquoted:
                var end = index
                while end < count {
                    let byte = bytes[end]
                    if byte == delimiter || byte == Self.lineFeed || byte == Self.carriageReturn { break }
                    end += 1
                }
                if end == count {
                    fieldBytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end]))
                    index = end
                } else {
                    try endField(with: UnsafeBufferPointer(rebasing: bytes[runStart..<end]))
                    try endField(terminatedBy: bytes[end])
                    index = end + 1
                }
            case .quoted:
                let end = scanQuoted(bytes, from: index)
                if end + 1 >= count {  // the chunk ends inside the field or right after its closing quote
                    fieldBytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end]))
                    if end < count { state = .quoteInQuoted }
                    index = count
                } else if bytes[end + 1] == Self.quote {  // `""` stands for one quote
                    fieldBytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...end]))
                    index = end + 2
                    runStart = index
                } else {
                    try endField(with: UnsafeBufferPointer(rebasing: bytes[runStart..<end]))
                    try endQuotedField(terminatedBy: bytes[end + 1])
                    index = end + 2
                }
            case .quoteInQuoted:  // only at the start of a chunk: the last one ended on a quote
                if bytes[index] == Self.quote {
                    fieldBytes.append(Self.quote)
                    state = .quoted
                    runStart = index + 1
                } else {
                    try endField(with: UnsafeBufferPointer(start: nil, count: 0))
                    try endQuotedField(terminatedBy: bytes[index])
                }
                index += 1
            }
        }
        if count > 0 {
            previousChunkEndedWithCarriageReturn = bytes[count - 1] == Self.carriageReturn
        }
    }

    /// Returns the index of the next quote at or after `start` (or the chunk's end), counting line breaks on the way.
    private mutating func scanQuoted(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start
        while end < bytes.count {
            let byte = bytes[end]
            if byte == Self.quote { break }
            if byte == Self.carriageReturn {
                line += 1
            } else if byte == Self.lineFeed {
                let followsCarriageReturn =
                    end > 0 ? bytes[end - 1] == Self.carriageReturn : previousChunkEndedWithCarriageReturn
                if !followsCarriageReturn { line += 1 }
            }
            end += 1
        }
        return end
    }

    // MARK: - Fields and records

    private mutating func endQuotedField(terminatedBy byte: UInt8) throws {
        guard byte == delimiter || byte == Self.lineFeed || byte == Self.carriageReturn else {
            throw FormatError.unexpectedCharacterAfterQuote(line: recordLine)
        }
        try endField(terminatedBy: byte)
    }

    private mutating func endField(terminatedBy byte: UInt8) throws {
        if byte == delimiter {
            state = .fieldStart
            return
        }
        try endRecord()
        line += 1
        skipsLineFeed = byte == Self.carriageReturn
        state = .recordStart
    }

    /// Appends the field whose last bytes are `run` (after any carried in `fieldBytes`), checking it is UTF-8.
    private mutating func endField(with run: UnsafeBufferPointer<UInt8>) throws {
        let field: String?
        if fieldBytes.isEmpty {
            field = Self.string(validating: run)
        } else {
            fieldBytes.append(contentsOf: run)
            field = fieldBytes.withUnsafeBufferPointer { Self.string(validating: $0) }
            fieldBytes.removeAll(keepingCapacity: true)
        }
        guard let field else { throw FormatError.invalidUTF8(line: recordLine, field: fields.count) }
        fields.append(field)
    }

    /// Decodes UTF-8, or returns `nil` for invalid bytes.
    ///
    /// ASCII, the common case, takes the specialized `String(decoding:)` path; the generic
    /// `String(validating:as:)` resolves its encoding's metadata at run time, which dominated profiles.
    private static func string(validating bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var combined: UInt8 = 0
        for byte in bytes { combined |= byte }
        return combined < 0x80 ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
    }

    private mutating func endRecord() throws {
        let record = fields
        fields = []
        fields.reserveCapacity(record.count)
        if hasHeader && header == nil {
            header = record
            expectedFieldCount = record.count
            return
        }
        if let expected = expectedFieldCount, record.count != expected {
            throw FormatError.fieldCountMismatch(line: recordLine, expected: expected, found: record.count)
        }
        expectedFieldCount = record.count
        finished.append(CSVRecord(line: recordLine, fields: record))
    }

    private mutating func takeFinished() -> [CSVRecord] {
        let records = finished
        finished = []
        return records
    }
}
