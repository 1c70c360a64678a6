import Foundation

/// A source of machine labels: a model whose predictions were imported, an LLM behind a prompt, or Assay's
/// built-in classifier. Each version is a predictor of its own, so that two prompt versions or two model releases
/// are compared side by side over the same items.
///
/// For example:
/// ```swift
/// let reference = try Predictor.Reference(parsing: "toxicity-bert@2026-11")
/// reference.name      // "toxicity-bert"
/// reference.version   // "2026-11"
/// ```
public struct Predictor: Codable, Sendable, Equatable, Identifiable {
    /// What produces the predictions.
    public enum Kind: String, Codable, Sendable, CaseIterable, ClosedChoice {
        /// Predictions made elsewhere and imported from a file.
        case imported
        /// A large language model behind an OpenAI-compatible endpoint, with a versioned prompt.
        case llm
        /// Assay's built-in text classifier.
        case classifier
    }

    /// A predictor's name and version, written `name@version`: how settings, files and the API name one.
    public struct Reference: Codable, Sendable, Hashable, CustomStringConvertible {
        /// The model or prompt's name, e.g. `toxicity-bert`.
        public var name: String
        /// Its version, e.g. `2026-11` or `3`.
        public var version: String

        /// Makes a reference.
        public init(name: String, version: String) {
            self.name = name
            self.version = version
        }

        /// Reads `name@version`; the version is what follows the last `@`.
        ///
        /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for text without a name and a version, or with
        ///   characters other than letters, digits and `-_.:/+`.
        public init(parsing text: String, field: String = "predictor") throws {
            let trimmed = text.trimmingBlanksAndNewlines
            guard let at = trimmed.lastIndex(of: "@") else {
                throw AssayError.invalidInput(
                    field: field, line: nil,
                    reason: "name the predictor as NAME@VERSION (e.g. toxicity-bert@2026-11), got '\(trimmed)'")
            }
            let name = String(trimmed[..<at])
            let version = String(trimmed[trimmed.index(after: at)...])
            for (part, value) in [("name", name), ("version", version)] {
                guard (1...100).contains(value.count), value.unicodeScalars.allSatisfy(Self.allowed.contains) else {
                    throw AssayError.invalidInput(
                        field: field, line: nil,
                        reason: "the predictor's \(part) must be 1 to 100 letters, digits or -_.:/+, got '\(value)'")
                }
            }
            self.init(name: name, version: version)
        }

        /// `name@version`.
        public var description: String { "\(name)@\(version)" }

        private static let allowed: CharacterSet = .alphanumerics.union(CharacterSet(charactersIn: "-_.:/+"))

        /// Encoded as the one string `name@version`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }

        /// Decoded from `name@version`.
        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            try self.init(parsing: text)
        }
    }

    /// The predictor's identifier.
    public var id: UUID
    /// Its name and version.
    public var reference: Reference
    /// What produces its predictions.
    public var kind: Kind
    /// When its first prediction arrived.
    public var createdAt: Date
    /// How many items it has predicted.
    public var predictions: Int

    /// Makes a predictor value.
    public init(id: UUID, reference: Reference, kind: Kind, createdAt: Date, predictions: Int) {
        self.id = id
        self.reference = reference
        self.kind = kind
        self.createdAt = createdAt
        self.predictions = predictions
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, predictions
        case reference = "predictor", createdAt = "created_at"
    }
}
