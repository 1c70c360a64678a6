import Vapor

/// Makes any `Codable` domain value a response body, encoded exactly as the value encodes itself.
///
/// Domain types stay free of Vapor; the server wraps them at the edge.
struct JSONBody<Value: Codable & Sendable>: Content {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }

    init(from decoder: any Decoder) throws {
        value = try Value(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}

/// A page of a keyset-paged list: the rows, and the cursor to pass as `after` for the next page (absent on the
/// last page).
struct Page<Row: Codable & Sendable>: Content {
    let data: [Row]
    let next: String?
}
