/// Where a value sits in a JSON document, and the document with one value replaced: for finding, after the fact,
/// which field a decoder refused without saying (Foundation names no field for a number that does not fit).
///
/// ```swift
/// let body: JSONValue = ["overlap": 1.5, "schema": ["labels": [["code": "a"]]]]
/// body.numbers { path, value in … }            // (overlap, 1.5)
/// body.replacing(at: [.key("overlap")], with: 0)   // ["overlap": 0, …]
/// ```
extension JSONValue {
    /// One step into a document: an object's key or an array's index.
    public enum PathStep: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    /// Calls `body` with the path and value of every number in the document, in a stable order (object keys sorted).
    public func numbers(_ body: ([PathStep], Double) -> Void) {
        func walk(_ value: JSONValue, _ path: [PathStep]) {
            switch value {
            case .number(let number): body(path, number)
            case .array(let elements): for (index, element) in elements.enumerated() { walk(element, path + [.index(index)]) }
            case .object(let fields): for key in fields.keys.sorted() { walk(fields[key]!, path + [.key(key)]) }
            case .null, .bool, .string: break
            }
        }
        walk(self, [])
    }

    /// The document with the value at `path` replaced by `replacement`; unchanged where the path leads nowhere.
    public func replacing(at path: [PathStep], with replacement: JSONValue) -> JSONValue {
        guard let step = path.first else { return replacement }
        switch (self, step) {
        case (.object(var fields), .key(let key)):
            guard let inner = fields[key] else { return self }
            fields[key] = inner.replacing(at: Array(path.dropFirst()), with: replacement)
            return .object(fields)
        case (.array(var elements), .index(let index)) where elements.indices.contains(index):
            elements[index] = elements[index].replacing(at: Array(path.dropFirst()), with: replacement)
            return .array(elements)
        default:
            return self
        }
    }

    /// A path as people write it: `schema.labels[2].code`.
    public static func describe(_ path: [PathStep]) -> String {
        var text = ""
        for step in path {
            switch step {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}
