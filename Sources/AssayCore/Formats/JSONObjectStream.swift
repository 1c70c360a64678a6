/// Splits a JSON input fed in chunks into its objects, whichever of the two shapes tools write it in: one JSON
/// array of objects (`[{…}, {…}]`, what Label Studio and most APIs export) or JSON Lines (one object per line).
///
/// The shape is decided by the first byte that is not white space (a UTF-8 byte order mark is dropped): `[` starts
/// an array, anything else is read as JSON Lines. An array is split without parsing its objects, tracking only
/// strings and nesting, so a file of a million tasks never sits in memory whole; each object keeps the line it
/// starts on, so an error in it can name that line. Decode each object with `JSONValue(parsing:)` or
/// ``JSONLine/decode(_:using:)``.
///
/// For example:
/// ```swift
/// var stream = JSONObjectStream()
/// var objects = try stream.feed(Array("[\n  {\"id\": 1},\n  {\"id\": ".utf8))
/// objects += try stream.feed(Array("2}\n]".utf8))
/// objects += try stream.finish()
/// objects.map(\.line)   // [2, 3]
/// ```
/// - Complexity: O(n) in the bytes fed.
public struct JSONObjectStream: Sendable {
    private enum Shape: Sendable {
        case undecided
        case lines(JSONLinesSplitter)
        case array
    }

    private enum ArrayState: Sendable {
        /// Before the array's `[`.
        case beforeArray
        /// Before the next element (or the closing bracket); `afterComma` when a comma was just read.
        case beforeElement(afterComma: Bool)
        /// Inside an element: nesting depth, whether inside a string, and whether the last byte was a backslash.
        case inElement(depth: Int, inString: Bool, escaped: Bool)
        /// After an element, before the comma or the closing bracket.
        case afterElement
        /// After the closing bracket: only white space may follow.
        case closed
    }

    private var shape = Shape.undecided
    private var state = ArrayState.beforeArray
    private var byteOrderMark = LeadingByteOrderMark()
    /// Bytes held while the shape is undecided (white space so far).
    private var held: [UInt8] = []
    private var line = 1
    /// The line of the last byte that was not white space, for an error at the end of the input.
    private var lastContentLine = 1
    private var element: [UInt8] = []
    private var elementLine = 1
    private var finished: [JSONLine] = []

    /// Makes a stream for one input.
    public init() {}

    /// Reads the next chunk and returns the objects it completed (possibly none).
    ///
    /// - Throws: ``FormatError/invalidJSON(line:reason:)`` when the array is malformed: no `[`, an element that
    ///   is not an object, a missing comma, or bytes after the closing `]`.
    public mutating func feed(_ chunk: some Sequence<UInt8>) throws -> [JSONLine] {
        var bytes: [UInt8]
        if byteOrderMark.isResolved {
            bytes = Array(chunk)
        } else if let start = byteOrderMark.strip(from: chunk) {
            bytes = start
        } else {
            return []
        }
        return try take(&bytes)
    }

    /// Ends the input and returns the objects left.
    ///
    /// - Throws: ``FormatError/invalidJSON(line:reason:)`` when an array was left open.
    public mutating func finish() throws -> [JSONLine] {
        var rest = byteOrderMark.isResolved ? [] : byteOrderMark.resolve()
        var objects = try take(&rest)
        switch shape {
        case .undecided:
            break   // empty or blank input: no objects
        case .lines(var splitter):
            objects += splitter.finish()
            shape = .lines(splitter)
        case .array:
            switch state {
            case .closed: break
            case .inElement:
                throw FormatError.invalidJSON(line: elementLine, reason: "the object starting here is never closed")
            case .beforeArray, .beforeElement, .afterElement:
                throw FormatError.invalidJSON(line: lastContentLine, reason: "the JSON array is never closed with ']'")
            }
        }
        return objects
    }

    private mutating func take(_ bytes: inout [UInt8]) throws -> [JSONLine] {
        switch shape {
        case .lines(var splitter):
            let lines = splitter.feed(bytes)
            shape = .lines(splitter)
            return lines
        case .array:
            try split(bytes)
        case .undecided:
            held += bytes
            guard let first = held.firstIndex(where: { !Self.isWhiteSpace($0) }) else { return [] }
            let start = held
            held = []
            if start[first] == UInt8(ascii: "[") {
                shape = .array
                try split(start)
            } else {
                var splitter = JSONLinesSplitter()
                let lines = splitter.feed(start)
                shape = .lines(splitter)
                return lines
            }
        }
        let objects = finished
        finished = []
        return objects
    }

    private mutating func split(_ bytes: [UInt8]) throws {
        var index = 0
        var elementStart: Int?   // where the element in progress starts within `bytes`
        if case .inElement = state { elementStart = 0 }
        while index < bytes.count {
            let byte = bytes[index]
            switch state {
            case .beforeArray:
                // The shape was chosen because the first byte that is not white space is '['.
                if byte == UInt8(ascii: "[") { state = .beforeElement(afterComma: false) }
            case .beforeElement(let afterComma):
                if Self.isWhiteSpace(byte) {
                    break
                } else if byte == UInt8(ascii: "]") && !afterComma {
                    state = .closed
                } else if byte == UInt8(ascii: "{") {
                    state = .inElement(depth: 1, inString: false, escaped: false)
                    elementStart = index
                    elementLine = line
                } else {
                    throw FormatError.invalidJSON(
                        line: line,
                        reason: afterComma && byte == UInt8(ascii: "]")
                            ? "a comma is followed by ']': remove the trailing comma"
                            : "each element of the JSON array must be an object ({…}), found '\(Self.describe(byte))'")
                }
            case .inElement(var depth, var inString, var escaped):
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                }
                if depth == 0 {
                    element += bytes[(elementStart ?? 0)...index]
                    finished.append(JSONLine(line: elementLine, bytes: element))
                    element = []
                    elementStart = nil
                    state = .afterElement
                } else {
                    state = .inElement(depth: depth, inString: inString, escaped: escaped)
                }
            case .afterElement:
                if Self.isWhiteSpace(byte) {
                    break
                } else if byte == UInt8(ascii: ",") {
                    state = .beforeElement(afterComma: true)
                } else if byte == UInt8(ascii: "]") {
                    state = .closed
                } else {
                    throw FormatError.invalidJSON(
                        line: line, reason: "expected ',' or ']' after an object, found '\(Self.describe(byte))'")
                }
            case .closed:
                if !Self.isWhiteSpace(byte) {
                    throw FormatError.invalidJSON(
                        line: line, reason: "found '\(Self.describe(byte))' after the JSON array's closing ']'")
                }
            }
            if byte == UInt8(ascii: "\n") {
                line += 1
            } else if !Self.isWhiteSpace(byte) {
                lastContentLine = line
            }
            index += 1
        }
        if let elementStart { element += bytes[elementStart...] }
    }

    private static func isWhiteSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }

    private static func describe(_ byte: UInt8) -> String {
        byte < 0x80 ? String(UnicodeScalar(byte)) : "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}
