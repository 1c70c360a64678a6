import Foundation
import ArgumentParser
import AssayCore

/// Turns domain errors into messages that name the file and line, and a non-zero exit.
///
/// For example: `items.csv:12: labels: 'spamm' is not a label of this queue`.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    /// Runs `body`, rewording any ``AssayError`` with the file name in front.
    static func reporting<T>(file: String? = nil, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AssayError {
            if let file, case .invalidInput(_, let line?, _) = error {
                throw ValidationError("\(file):\(line): \(error.description.replacingOccurrences(of: "line \(line): ", with: ""))")
            }
            throw ValidationError(file.map { "\($0): \(error)" } ?? error.description)
        }
    }
}
