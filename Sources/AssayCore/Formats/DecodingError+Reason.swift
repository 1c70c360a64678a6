import Foundation

extension DecodingError {
    /// The problem as `field: reason`, the field written as a JSON path (`schema.labels[2].code`) and the reason in
    /// the words of a JSON user rather than Swift's (`must be text`, not `Expected to decode String`).
    ///
    /// Pass the document that failed to decode, and a syntax error also says where it is.
    ///
    /// ```swift
    /// // {"name": 7} for a queue:
    /// error.reason(decoding: body)   // "name: must be text"
    /// // {"labels": [
    /// error.reason(decoding: body)   // "not valid JSON: line 1, column 13: unexpected end of file"
    /// ```
    public func reason(decoding document: Data? = nil) -> String {
        let field = Self.field
        switch self {
        case .keyNotFound(let key, let context):
            return "\(field(context.codingPath + [key])): is required"
        case .valueNotFound(_, let context) where context.codingPath.isEmpty:
            return "the JSON must not be null at its top level"
        case .valueNotFound(_, let context):
            return "\(field(context.codingPath)): must not be null"
        case .typeMismatch(let type, let context) where context.codingPath.isEmpty:
            return "the JSON must be \(Self.kind(of: type)) at its top level"
        case .typeMismatch(let type, let context):
            return "\(field(context.codingPath)): must be \(Self.kind(of: type))"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // Foundation reports a bad time with no field, as if it were the document's fault.
            if context.debugDescription.hasPrefix("Expected date string to be ISO8601") {
                return "a time must be ISO 8601, such as 2026-12-01T00:00:00Z"
            }
            if let document {
                if let syntax = JSONSyntaxError(in: document) { return "not valid JSON: \(syntax)" }
                // Foundation's decoder says "not valid JSON", with no field, about well-formed JSON whose number does
                // not fit the Swift type: 1.5 or 10^20 where a whole number is expected.
                if context.debugDescription == "The given data was not valid JSON." {
                    return "a number does not fit its field (a fraction, or a number too large, where a whole number is expected)"
                }
                return context.debugDescription
            }
            return "not valid JSON: " + (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        case .dataCorrupted(let context):
            return "\(field(context.codingPath)): \(Self.plainWords(context.debugDescription))"
        @unknown default:
            return "could not be read: \(self)"
        }
    }

    /// A coding path as a JSON path: `schema.labels[2].code`.
    static func field(_ path: [any CodingKey]) -> String {
        let text = path.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
        return text.hasPrefix(".") ? String(text.dropFirst()) : text
    }

    /// Foundation's words for a bad id or time, in a client's; anything else (Assay's own messages) as it is.
    private static func plainWords(_ description: String) -> String {
        if description.hasPrefix("Attempted to decode UUID") { return "must be an id (a UUID such as 3F2504E0-4F89-41D3-9A0C-0305E82C3301)" }
        if description.hasPrefix("Expected date string to be ISO8601") { return "must be an ISO 8601 time such as 2026-12-01T00:00:00Z" }
        return description
    }

    /// The JSON kind a Swift type is read from, as an API user would name it.
    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type: return "a whole number"
        case is Double.Type, is Float.Type: return "a number"
        case is [Any].Type: return "a list"
        case is [String: Any].Type: return "an object"
        default: return "a \(type)"
        }
    }
}
