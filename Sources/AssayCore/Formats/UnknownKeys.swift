import Foundation

extension CodingUserInfoKey {
    /// Set to `true` on a decoder that reads what a person wrote (a request body, a file named on the command line):
    /// settings objects and request bodies then refuse keys they do not know, so that a misspelt setting is an
    /// error, not a default, and a misspelt `client_key` is not silently dropped with the retry safety it brings.
    /// Left unset when reading back what Assay stored, which may hold the keys of an older version.
    ///
    /// For example:
    /// ```swift
    /// let decoder = JSONDecoder()
    /// decoder.userInfo[.refusesUnknownKeys] = true
    /// try decoder.decode(QualitySettings.self, from: Data(#"{"gold_rte": 0.1}"#.utf8))  // gold_rte: not a setting here
    /// ```
    public static let refusesUnknownKeys = CodingUserInfoKey(rawValue: "assay.refusesUnknownKeys")!
}

/// A key of any name: for reading every key an object has, known or not.
private struct AnyCodingKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws ``AssayError/invalidInput(field:line:reason:)`` for the first key of the object being decoded that
    /// `Known` does not list, when the decoder ``CodingUserInfoKey/refusesUnknownKeys``; does nothing otherwise.
    /// `noun` names what the keys are to the person: settings, or the fields of a request.
    func refuseUnknownKeys<Known: CodingKey & CaseIterable>(besides known: Known.Type, calling noun: String = "setting") throws {
        guard userInfo[.refusesUnknownKeys] as? Bool == true else { return }
        // Every judgment submitted passes here: the common answer, all keys known, allocates nothing more.
        let keys = try container(keyedBy: AnyCodingKey.self).allKeys
        guard keys.contains(where: { Known(stringValue: $0.stringValue) == nil }) else { return }
        let names = Set(Known.allCases.map(\.stringValue))
        guard let unknown = keys.map(\.stringValue).sorted().first(where: { !names.contains($0) }) else { return }
        throw AssayError.invalidInput(
            field: DecodingError.field(codingPath + [AnyCodingKey(stringValue: unknown)]), line: nil,
            reason: "not a \(noun) here (the \(noun)s are \(names.sorted().joined(separator: ", ")))")
    }
}
