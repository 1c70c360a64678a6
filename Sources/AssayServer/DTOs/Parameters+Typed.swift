import AssayCore
import Foundation
import Vapor

/// A path parameter that is an id or a number, read with an error that names it.
///
/// ```swift
/// let id = try req.parameters.id("assignmentID", as: Int64.self)
/// // GET /api/v1/assignments/abc → 422 "assignmentID: 'abc' is not a whole number"
/// ```
/// Vapor's own `require(_:as:)` answers "The parameter value could not be converted to the required type", which
/// names neither the parameter nor the value.
protocol PathValue: LosslessStringConvertible {
    /// What a value of this type is, for the message: "a whole number", "an id such as …".
    static var described: String { get }
}

extension Int: PathValue {
    static var described: String { "a whole number" }
}

extension Int64: PathValue {
    static var described: String { "a whole number" }
}

extension UUID: PathValue {
    static var described: String { "an id such as 6F9619FF-8B86-D011-B42D-00C04FC964FF" }
}

extension Parameters {
    /// The named path parameter as `type`.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` (422) naming the parameter and its value.
    func id<T: PathValue>(_ name: String, as type: T.Type) throws -> T {
        let text = try require(name)
        guard let value = T(text) else {
            throw AssayError.invalidInput(field: name, line: nil, reason: "'\(text)' is not \(T.described)")
        }
        return value
    }
}
