import AssayCore
import Vapor

/// A new person, with the API token made for them: the only time the token is shown.
struct CreatedPersonResponse: Content {
    let person: Person
    let token: String
}

/// A new token for an existing person.
struct TokenResponse: Content {
    let token: String
}

/// `POST /api/v1/vendors` and `POST /api/v1/vendors/{vendor}/teams`.
struct NameRequest: Content, ClosedBody {
    /// Checked by the store (1 to 200 characters, trimmed), after the body is known to be JSON: checked here first,
    /// a form-encoded body got "name is required" where every other route answers 415.
    let name: String

    enum CodingKeys: String, CodingKey, CaseIterable { case name }
}

/// `PUT /api/v1/people/{personID}/status`.
struct StatusRequest: Content, ClosedBody {
    let status: PersonStatus

    enum CodingKeys: String, CodingKey, CaseIterable { case status }
}
