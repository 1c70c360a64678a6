import ArgumentParser
import AssayCore
import Foundation

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
            // Not a `ValidationError`: that would print the usage line after the message, as if the command
            // had been typed wrong, and exit 64; a failure of the work itself exits 1 with the message alone.
            throw CommandFailure(description: file.map(error.located(in:)) ?? error.description)
        }
    }
}
