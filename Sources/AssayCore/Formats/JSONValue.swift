/// Any JSON document as a value: for item payloads, label metadata and other JSON whose shape the schema leaves open.
///
/// Decoding accepts any JSON. Every number becomes a `Double`, so integers beyond ±2⁵³ lose precision; store IDs
/// that large as strings. Encoding writes numbers with the encoder's formatting: `JSONEncoder` writes a whole-number
/// double such as `3.0` as `3`, so integer payloads round-trip unchanged. Non-finite numbers cannot be encoded unless
/// the encoder has a `nonConformingFloatEncodingStrategy`.
///
/// For example:
/// ```swift
/// let payload = try JSONDecoder().decode(JSONValue.self, from: Data(#"{"text": "hi", "tags": ["a"], "n": 2}"#.utf8))
/// payload["text"]?.stringValue          // "hi"
/// payload["n"]?.doubleValue             // 2.0
/// payload == ["text": "hi", "tags": ["a"], "n": 2]  // true
/// ```
public enum JSONValue: Codable, Sendable, Hashable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// Any JSON number, integer or not.
    case number(Double)
    /// A JSON string.
    case string(String)
    /// A JSON array.
    case array([JSONValue])
    /// A JSON object; JSON gives its keys no order.
    case object([String: JSONValue])

    /// Decodes any JSON value, trying each kind in turn.
    ///
    /// For example:
    /// ```swift
    /// let value = try JSONDecoder().decode(JSONValue.self, from: Data("[1, true, null]".utf8))  // [1, true, nil]
    /// ```
    /// - Throws: `DecodingError.dataCorrupted` when the input is not JSON.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else if let object = try? container.decode([String: JSONValue].self) {
            self = .object(object)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    /// Encodes the value as the JSON it stands for.
    ///
    /// For example:
    /// ```swift
    /// let data = try JSONEncoder().encode(JSONValue.array([1, "a", nil]))  // [1,"a",null]
    /// ```
    /// - Throws: `EncodingError.invalidValue` for a non-finite number, unless the encoder has a strategy for it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let bool): try container.encode(bool)
        case .number(let number): try container.encode(number)
        case .string(let string): try container.encode(string)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }
}

// MARK: - Accessors

extension JSONValue {
    /// The string, when the value is a string; for reading a field without a `switch`.
    ///
    /// For example:
    /// ```swift
    /// JSONValue.string("spam").stringValue  // "spam"
    /// JSONValue.number(1).stringValue       // nil
    /// ```
    public var stringValue: String? {
        if case .string(let string) = self { string } else { nil }
    }

    /// The number, when the value is a number.
    ///
    /// For example:
    /// ```swift
    /// JSONValue.number(0.5).doubleValue  // 0.5
    /// ```
    public var doubleValue: Double? {
        if case .number(let number) = self { number } else { nil }
    }

    /// The Boolean, when the value is `true` or `false`.
    ///
    /// For example:
    /// ```swift
    /// JSONValue.bool(true).boolValue  // true
    /// ```
    public var boolValue: Bool? {
        if case .bool(let bool) = self { bool } else { nil }
    }

    /// The elements, when the value is an array.
    ///
    /// For example:
    /// ```swift
    /// JSONValue.array(["a", "b"]).arrayValue?.count  // 2
    /// ```
    public var arrayValue: [JSONValue]? {
        if case .array(let array) = self { array } else { nil }
    }

    /// The members, when the value is an object.
    ///
    /// For example:
    /// ```swift
    /// JSONValue.object(["id": "a"]).objectValue?.keys.sorted()  // ["id"]
    /// ```
    public var objectValue: [String: JSONValue]? {
        if case .object(let object) = self { object } else { nil }
    }

    /// Whether the value is JSON `null`.
    ///
    /// For example:
    /// ```swift
    /// JSONValue.null.isNull  // true
    /// ```
    public var isNull: Bool { self == .null }

    /// The member named `key`, or `nil` when the value is not an object or has no such member.
    ///
    /// For example:
    /// ```swift
    /// let payload: JSONValue = ["meta": ["source": "web"]]
    /// payload["meta"]?["source"]?.stringValue  // "web"
    /// ```
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at `index`, or `nil` when the value is not an array or the index is out of range.
    ///
    /// For example:
    /// ```swift
    /// let tags: JSONValue = ["a", "b"]
    /// tags[1]?.stringValue  // "b"
    /// ```
    public subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// Writes JSON `null` as `nil`, for fixtures such as `["label": nil]`.
    public init(nilLiteral: ()) { self = .null }

    /// Writes a JSON Boolean as `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// Writes a JSON number as an integer literal.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }

    /// Writes a JSON number as a floating-point literal.
    public init(floatLiteral value: Double) { self = .number(value) }

    /// Writes a JSON string as a string literal.
    public init(stringLiteral value: String) { self = .string(value) }

    /// Writes a JSON array as an array literal.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

    /// Writes a JSON object as a dictionary literal; a repeated key keeps its last value, as JSON parsers do.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
