import ArgumentParser
import AssayCore
import AssayFiles
import Foundation

/// JSON in and out for the commands that mirror an API body: the same keys and ISO 8601 dates as the API, so a
/// file that works with `curl` works with `assay`, and the output of one command can be piped to `jq`.
enum JSONFiles {
    /// Reads a file shaped like an API request body.
    ///
    /// - Throws: a ``CommandFailure`` naming the file and what is wrong with it. Not a `ValidationError`: the
    ///   arguments were typed right, and ArgumentParser would print a usage line after the message.
    static func decode<Value: Decodable>(_ type: Value.Type, at path: String, shapedLike what: String) throws -> Value {
        let data = try contents(of: path)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = Timestamp.decodingStrategy
        decoder.userInfo[.refusesUnknownKeys] = true
        do {
            return try decoder.decode(Value.self, from: data)
        } catch let error as AssayError {
            throw CommandFailure(description: error.located(in: path))
        } catch let error as DecodingError {
            if let syntax = JSONSyntaxError(in: data) {
                throw CommandFailure(description: "\(path):\(syntax.line):\(syntax.column): not valid JSON: \(syntax.problem)")
            }
            throw CommandFailure(description: "\(path): not \(what): \(error.reason(decoding: data))")
        } catch {
            throw CommandFailure(description: "\(path): not \(what): \(error)")
        }
    }

    /// The bytes of a file named on the command line, or a ``CommandFailure`` saying why they cannot be read.
    static func contents(of path: String) throws -> Data {
        do {
            try ImportFile.requireReadable(path)
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch AssayError.notFound {
            throw CommandFailure(description: "\(path): no such file")
        } catch let error as AssayError {
            throw CommandFailure(description: error.located(in: path))
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile || error.code == .fileNoSuchFile {
            throw CommandFailure(description: "\(path): no such file")
        } catch {
            throw CommandFailure(description: "\(path): cannot read (\(error.localizedDescription))")
        }
    }

    /// Prints a value as the API would answer it, keys sorted, one document per call.
    static func print<Value: Encodable>(_ value: Value, pretty: Bool = true) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
