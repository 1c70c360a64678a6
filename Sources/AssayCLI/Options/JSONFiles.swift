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
        var data = try contents(of: path)
        // A spreadsheet's or Notepad's byte order mark is no part of the JSON.
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        // Read by Assay's own parser first, as request bodies and JSON Lines are: it refuses a key given twice, where
        // Foundation's keeps the first without a word (an edited "overlap": 5 below a 3 read as 3), and places a number
        // too large for any field (1e400) or text that is not UTF-8 where it is, where Foundation's points at the end of
        // the file.
        var document: JSONValue?
        do {
            document = try JSONValue(parsing: data)
        } catch let error as JSONValue.SyntaxError
            where error.reason.contains("appears twice") || error.reason.hasSuffix("is out of range")
                || error.reason.hasPrefix("invalid UTF-8")
        {
            let place = JSONSyntaxError(error, in: data)
            throw CommandFailure(description: "\(path):\(place.line):\(place.column): not valid JSON: \(place.problem)")
        } catch {
            // Any other syntax error is left to the decoder below, whose report says where it is.
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = Timestamp.decodingStrategy
        decoder.userInfo[.refusesUnknownKeys] = true
        do {
            return try decoder.decode(Value.self, from: data)
        } catch let error as AssayError {
            throw CommandFailure(description: error.located(in: path))
        } catch let error as DecodingError {
            // A fraction or a number past 2⁶³ where a whole number goes: Foundation names no field; find it.
            if UnfitNumber.isUnfit(error), let document,
                let (place, value) = UnfitNumber.locate(in: document, for: Value.self, decoder: decoder)
            {
                throw CommandFailure(description: "\(path): not \(what): \(UnfitNumber.reason(at: place, value: value))")
            }
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

    /// A text file named on the command line (Markdown, a prompt): UTF-8, a leading byte order mark dropped.
    ///
    /// - Throws: a ``CommandFailure`` naming the file, and the line for bytes that are not UTF-8 (a file saved as
    ///   Latin-1 or UTF-16) or a NUL character: such text would be stored with its letters replaced.
    static func text(of path: String) throws -> String {
        var data = try contents(of: path)
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            throw CommandFailure(description: "\(path): the file is UTF-16 (\"Unicode\" in Notepad or Excel); save it as UTF-8")
        }
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if String(bytes: line, encoding: .utf8) == nil {
                throw CommandFailure(description: "\(path):\(index + 1): \(FormatError.notUTF8)")
            }
            if line.contains(0) { throw CommandFailure(description: "\(path):\(index + 1): the line \(NULCharacter.refusal)") }
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Prints a value as the API would answer it, keys sorted, one document per call.
    static func print<Value: Encodable>(_ value: Value, pretty: Bool = true) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
