import Foundation

/// One non-blank line of a JSON Lines input, with its line number so a decoding error can point to it.
///
/// For example:
/// ```swift
/// let line = JSONLine(line: 3, bytes: Array(#"{"id": "item-1"}"#.utf8))
/// let object = try line.decode(JSONValue.self)  // ["id": "item-1"]
/// ```
public struct JSONLine: Sendable, Equatable {
    /// The 1-based physical line in the input, counting blank lines.
    public let line: Int
    /// The line's bytes without its line break (and without a UTF-8 byte order mark on line 1).
    public let bytes: [UInt8]

    /// Makes a line, usually to compare with a split one in tests.
    ///
    /// For example:
    /// ```swift
    /// let expected = JSONLine(line: 1, bytes: Array("{}".utf8))
    /// ```
    public init(line: Int, bytes: [UInt8]) {
        self.line = line
        self.bytes = bytes
    }

    /// Decodes the line as one value, reporting a failure with this line's number and the path that failed.
    ///
    /// For example:
    /// ```swift
    /// struct Row: Decodable { let id: String }
    /// let row = try JSONLine(line: 1, bytes: Array(#"{"id": "a"}"#.utf8)).decode(Row.self)
    /// ```
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - decoder: A decoder carrying the caller's date and key strategies.
    /// - Returns: The decoded value.
    /// - Throws: ``FormatError/invalidJSON(line:reason:)`` when the decoder rejects the line.
    public func decode<Value: Decodable>(_ type: Value.Type, using decoder: JSONDecoder = JSONDecoder()) throws -> Value {
        do {
            return try decoder.decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw FormatError.invalidJSON(line: line, reason: Self.reason(for: error))
        }
    }

    /// A short, user-facing account of a decoding error: what was expected, and where in the object.
    private static func reason(for error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            var path = ""
            for key in context.codingPath {
                if let index = key.intValue {
                    path += "[\(index)]"
                } else {
                    path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return path.isEmpty ? "" : " at \(path)"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key \"\(key.stringValue)\"\(path(context))"
        case .typeMismatch(let type, let context):
            return "expected \(type)\(path(context))"
        case .valueNotFound(let type, let context):
            return "expected \(type) but found null\(path(context))"
        case .dataCorrupted(let context):
            return context.debugDescription + path(context)
        @unknown default:
            return String(describing: error)
        }
    }
}

/// Splits a JSON Lines (NDJSON) byte stream, fed in chunks of any size, into its non-blank lines.
///
/// Lines end at LF; a CR before the LF is dropped, and lines holding only spaces, tabs or CR are skipped but
/// counted. A UTF-8 byte order mark on line 1 is dropped. The splitter does not parse JSON; decode each line with
/// ``JSONLine/decode(_:using:)``, `JSONDecoder` or `JSONSerialization`. See https://jsonlines.org.
///
/// For example:
/// ```swift
/// var splitter = JSONLinesSplitter()
/// var lines = splitter.feed(Array("{\"id\": 1}\n\n{\"i".utf8))
/// lines += splitter.feed(Array("d\": 2}".utf8))
/// lines += splitter.finish()
/// lines.map(\.line)  // [1, 3]
/// ```
/// - Complexity: O(n) in the bytes fed; a line split across chunks is copied once.
public struct JSONLinesSplitter: Sendable {
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// The start of the line in progress when a chunk ended inside it.
    private var pending: [UInt8] = []
    /// The physical line number of the line in progress.
    private var line = 1
    private var byteOrderMark = LeadingByteOrderMark()
    private var finished: [JSONLine] = []

    /// Makes a splitter for one input.
    ///
    /// For example:
    /// ```swift
    /// var splitter = JSONLinesSplitter()
    /// ```
    public init() {}

    /// Reads the next chunk and returns the non-blank lines it completed (possibly none).
    ///
    /// For example:
    /// ```swift
    /// var splitter = JSONLinesSplitter()
    /// splitter.feed(Array("{}\n{".utf8)).count  // 1; "{" waits for the rest of its line
    /// ```
    /// - Parameter chunk: The next bytes, cut anywhere.
    /// - Returns: The lines that ended inside this chunk, in order.
    public mutating func feed(_ chunk: some Sequence<UInt8>) -> [JSONLine] {
        if byteOrderMark.isResolved {
            let didSplit: Void? = chunk.withContiguousStorageIfAvailable { split($0) }
            if didSplit == nil {
                Array(chunk).withUnsafeBufferPointer { split($0) }
            }
        } else if let start = byteOrderMark.strip(from: chunk) {
            start.withUnsafeBufferPointer { split($0) }
        }
        return takeFinished()
    }

    /// Ends the input and returns the last line if it had no line break after it.
    ///
    /// For example:
    /// ```swift
    /// var splitter = JSONLinesSplitter()
    /// _ = splitter.feed(Array("{}".utf8))
    /// splitter.finish()  // [JSONLine(line: 1, bytes: Array("{}".utf8))]
    /// ```
    public mutating func finish() -> [JSONLine] {
        if !byteOrderMark.isResolved {
            byteOrderMark.resolve().withUnsafeBufferPointer { split($0) }
        }
        if !pending.isEmpty {
            emit(UnsafeBufferPointer(start: nil, count: 0))
        }
        return takeFinished()
    }

    private mutating func split(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        while let end = bytes[start...].firstIndex(of: Self.lineFeed) {
            emit(UnsafeBufferPointer(rebasing: bytes[start..<end]))
            line += 1
            start = end + 1
        }
        pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
    }

    /// Records the line whose last bytes are `tail` (after any `pending` bytes), unless it is blank.
    private mutating func emit(_ tail: UnsafeBufferPointer<UInt8>) {
        var bytes = pending
        bytes.append(contentsOf: tail)
        pending.removeAll(keepingCapacity: true)
        if bytes.last == Self.carriageReturn { bytes.removeLast() }
        let isBlank = bytes.allSatisfy {
            $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == Self.carriageReturn
        }
        if !isBlank {
            finished.append(JSONLine(line: line, bytes: bytes))
        }
    }

    private mutating func takeFinished() -> [JSONLine] {
        let lines = finished
        finished = []
        return lines
    }
}

/// Writes values as JSON Lines: one compact JSON document per line, each ending in `\n`.
///
/// For example:
/// ```swift
/// struct Row: Encodable { let id: String; let label: String }
/// let encoder = JSONEncoder()
/// encoder.outputFormatting = .sortedKeys
/// let data = try JSONLinesWriter.lines([Row(id: "a", label: "spam")], using: encoder)
/// // {"id":"a","label":"spam"}\n
/// ```
public enum JSONLinesWriter: Sendable {
    /// Encodes one value as a JSON line ending in `\n`.
    ///
    /// A `.prettyPrinted` encoder is fine: JSON strings escape their line breaks, so every raw CR or LF in the
    /// encoder's output is insignificant whitespace, and those bytes are removed.
    ///
    /// For example:
    /// ```swift
    /// let line = try JSONLinesWriter.line(["id": "a"])  // {"id":"a"}\n
    /// ```
    /// - Parameters:
    ///   - value: The value to encode.
    ///   - encoder: An encoder carrying the caller's date and key strategies.
    /// - Returns: The UTF-8 bytes of one line, ending in `\n`.
    /// - Throws: The encoder's `EncodingError`, for example for a non-finite `Double`.
    public static func line(_ value: some Encodable, using encoder: JSONEncoder = JSONEncoder()) throws -> Data {
        var data = try encoder.encode(value)
        if data.contains(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            data.removeAll { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
        }
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// Encodes each value as one JSON line and joins them, for a whole JSON Lines file or response body.
    ///
    /// For example:
    /// ```swift
    /// let data = try JSONLinesWriter.lines([1, 2, 3])  // 1\n2\n3\n
    /// ```
    /// - Parameters:
    ///   - values: The values, one per line.
    ///   - encoder: An encoder carrying the caller's date and key strategies.
    /// - Returns: The UTF-8 bytes of all the lines.
    /// - Throws: The encoder's `EncodingError` for the first value it cannot encode.
    public static func lines<Values: Sequence>(
        _ values: Values,
        using encoder: JSONEncoder = JSONEncoder()
    ) throws -> Data where Values.Element: Encodable {
        var data = Data()
        for value in values {
            data += try line(value, using: encoder)
        }
        return data
    }
}
