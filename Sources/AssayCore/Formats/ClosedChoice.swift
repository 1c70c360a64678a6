import Foundation

/// A string enum read from JSON with an error that lists what it accepts.
///
/// Swift's own decoding of a raw-value enum says "Cannot initialize PersonStatus from invalid String value banned";
/// a type that adopts this protocol says instead, at the field's path, what a client may send:
///
/// ```swift
/// enum PersonStatus: String, Codable, CaseIterable, ClosedChoice { case active, suspended }
/// // {"status": "banned"} → "status: must be one of active, suspended; not 'banned'"
/// ```
public protocol ClosedChoice: RawRepresentable, CaseIterable, Decodable where RawValue == String {}

extension ClosedChoice {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "must be one of \(Self.allCases.map(\.rawValue).joined(separator: ", ")); not '\(text)'")
        }
        self = value
    }
}
