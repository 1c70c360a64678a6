/// The errors of Assay's domain, each with a message a person can act on.
///
/// The store and the core throw these; the server maps them to HTTP statuses in exactly one place
/// (`AssayError+AbortError.swift`) and the CLI prints them as `FILE:LINE: reason`.
///
/// For example:
/// ```swift
/// throw AssayError.invalidInput(field: "labels", line: 12, reason: "'spamm' is not a label of this queue")
/// ```
public enum AssayError: Error, Equatable, Sendable {
    /// A named thing does not exist (or the caller may not know that it does).
    case notFound(entity: String, id: String)
    /// The request is valid but clashes with the current state, e.g. a name already taken.
    case conflict(String)
    /// A value the caller sent is wrong; `line` is set when it came from a file or a batch.
    case invalidInput(field: String?, line: Int?, reason: String)
    /// No credentials, or credentials that match nobody.
    case unauthenticated(String)
    /// The caller is known but their role or scope does not allow this.
    case forbidden(String)
    /// The request body is larger than this route accepts.
    case tooLarge(String)
    /// The request was fine, but what it needs cannot be had now: the database is closing as the server stops.
    /// Trying again (against another server, or after a restart) can succeed.
    case unavailable(String)
    /// The request was fine, but others held what it needs at that moment (every open item it could take was being
    /// claimed): trying again in a second can succeed. Not a failure of the database.
    case busy(String)
}

extension AssayError: CustomStringConvertible {
    /// The message shown to the person who made the mistake.
    public var description: String {
        switch self {
        case .notFound(let entity, let id):
            return "\(entity) '\(id)' was not found"
        case .conflict(let reason), .unauthenticated(let reason), .forbidden(let reason), .tooLarge(let reason),
            .unavailable(let reason), .busy(let reason):
            return reason
        case .invalidInput(let field, let line, let reason):
            var prefix = ""
            if let line { prefix += "line \(line): " }
            if let field { prefix += "\(field): " }
            return prefix + reason
        }
    }
}

extension AssayError {
    /// The line of the file or batch the error is about, if any.
    public var line: Int? {
        if case .invalidInput(_, let line, _) = self { return line }
        return nil
    }

    /// The same error with a line number attached, for errors raised while reading one row of a batch.
    public func at(line: Int) -> AssayError {
        if case .invalidInput(let field, nil, let reason) = self {
            return .invalidInput(field: field, line: line, reason: reason)
        }
        return self
    }

    /// The error as `FILE:LINE: reason` (or `FILE: reason`), as editors and the CLI show it.
    public func located(in file: String) -> String {
        if case .invalidInput(let field, let line?, let reason) = self {
            return "\(file):\(line): " + (field.map { "\($0): " } ?? "") + reason
        }
        // Several rows' problems (``rows(_:)``), each `line N: …` on a line of its own: each as `FILE:N: …`.
        if case .invalidInput(nil, nil, let reason) = self, reason.contains("\n") {
            return reason.split(separator: "\n").map { problem in
                guard problem.hasPrefix("line "), let colon = problem.firstIndex(of: ":"),
                    let number = Int(problem[problem.index(problem.startIndex, offsetBy: 5)..<colon])
                else { return "\(file): \(problem)" }
                return "\(file):\(number):\(problem[problem.index(after: colon)...])"
            }.joined(separator: "\n")
        }
        if case .notFound("file", file) = self { return "\(file): no such file" }
        // Errors about the file itself (a folder, unreadable) name it already.
        return description.hasPrefix(file) ? description : "\(file): \(description)"
    }
}
