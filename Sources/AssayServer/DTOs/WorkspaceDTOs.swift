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
struct NameRequest: Content, Validatable {
    let name: String

    static func validations(_ validations: inout Validations) {
        validations.add("name", as: String.self, is: !.empty && .count(...200))
    }
}

/// `PUT /api/v1/people/{personID}/status`.
struct StatusRequest: Content {
    let status: PersonStatus
}
