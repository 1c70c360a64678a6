import ArgumentParser
import AssayCore
import AssayServer
import Foundation

/// JSON in and out for the commands that mirror an API body: the same keys and ISO 8601 dates as the API, so a
/// file that works with `curl` works with `assay`, and the output of one command can be piped to `jq`.
enum JSONFiles {
    /// Reads a file shaped like an API request body.
    ///
    /// - Throws: a `ValidationError` naming the file and what is wrong with it.
    static func decode<Value: Decodable>(_ type: Value.Type, at path: String, shapedLike what: String) throws -> Value {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(path): cannot read") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(Value.self, from: data)
        } catch let error as AssayError {
            throw ValidationError(error.located(in: path))
        } catch let error as DecodingError {
            throw ValidationError("\(path): not \(what): \(Self.describe(error))")
        } catch {
            throw ValidationError("\(path): not \(what): \(error)")
        }
    }

    /// Prints a value as the API would answer it, keys sorted, one document per call.
    static func print<Value: Encodable>(_ value: Value, pretty: Bool = true) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// A decoding error as a person reads it: the key path, then what was wrong.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return keys.isEmpty ? "" : "\(keys): "
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context))'\(key.stringValue)' is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return path(context) + context.debugDescription
        @unknown default: return "\(error)"
        }
    }
}
