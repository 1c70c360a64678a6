/// U+0000, the NUL character, in text that comes in: refused wherever it can arrive (a request body, a path or
/// query, an import row).
///
/// SQLite stores text holding it and PostgreSQL refuses it ("invalid byte sequence for encoding UTF8: 0x00"), so the
/// same request worked on one database and was a server error on the other; nobody means it, and no tool shows it.
///
/// ```swift
/// NULCharacter.isEscaped(inJSON: Array(#"{"name": "a\u0000b"}"#.utf8))    // true
/// NULCharacter.isEscaped(inJSON: Array(#"{"name": "a\\u0000b"}"#.utf8))   // false: a backslash, then "u0000"
/// ```
public enum NULCharacter {
    /// The end of the message that refuses it, after what holds it ("the body ", "line 3: text: ").
    public static let refusal = "contains the NUL character (\\u0000), which Assay does not store"

    /// Whether a JSON text has a `\u0000` escape in it (a raw NUL byte is not JSON at all). The backslash before
    /// the `u` escapes only when it ends an odd run of backslashes: `\\u0000` is a backslash and the text "u0000".
    public static func isEscaped(inJSON bytes: some Collection<UInt8>) -> Bool {
        var backslashes = 0
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            index = bytes.index(after: index)
            if byte == UInt8(ascii: "\\") {
                backslashes += 1
                continue
            }
            if byte == UInt8(ascii: "u"), backslashes % 2 == 1 {
                var zeros = 0
                var next = index
                while zeros < 4, next != bytes.endIndex, bytes[next] == UInt8(ascii: "0") {
                    zeros += 1
                    next = bytes.index(after: next)
                }
                if zeros == 4 { return true }
            }
            backslashes = 0
        }
        return false
    }
}

extension JSONValue {
    /// Whether a string anywhere in the value, or a key of an object in it, holds U+0000.
    public var containsNUL: Bool {
        switch self {
        case .string(let text): text.utf8.contains(0)
        case .array(let values): values.contains { $0.containsNUL }
        case .object(let fields): fields.contains { $0.key.utf8.contains(0) || $0.value.containsNUL }
        case .null, .bool, .number: false
        }
    }
}
