import Foundation

/// The authenticated caller of an API route or CLI command: who they are and what their role lets them do.
public struct Actor: Sendable, Equatable {
    /// The person behind the token.
    public let person: Person

    /// Makes an actor for a person whose token was verified.
    public init(person: Person) {
        self.person = person
    }

    /// The person's role.
    public var role: Role { person.role }
}

/// An API token as handed to its owner once: `assay_` followed by 40 random base-62 characters.
///
/// Only its SHA-256 hash is stored, so a database leak does not leak credentials.
///
/// For example:
/// ```swift
/// var rng = SystemRandomNumberGenerator()
/// let token = TokenSecret.generate(using: &rng)   // "assay_3fZk…"
/// ```
public struct TokenSecret: Sendable, Equatable, CustomStringConvertible {
    /// The secret text, shown to its owner once.
    public let value: String

    /// Wraps a secret read from a request header.
    public init(_ value: String) {
        self.value = value
    }

    /// A new random token.
    public static func generate(using rng: inout some RandomNumberGenerator) -> TokenSecret {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        let body = (0..<40).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
        return TokenSecret("assay_" + String(body))
    }

    /// The secret itself.
    public var description: String { value }
}
