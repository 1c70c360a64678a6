import Foundation

/// Where a command writes its data: a file named by `--out` (or similar), or standard output for none or `-`.
///
/// A regular file (or a new one) is written beside its destination under a hidden temporary name and moved into
/// place by ``finish()``, so a command that fails halfway leaves no half-written file that looks like a whole one:
/// the destination keeps what it held before. Anything else, a symbolic link or a device, is written in place
/// (`open(2)` with create and truncate), as shell redirection does. Closing standard output is a no-op, so two
/// tables can go to `-` one after the other.
///
/// For example:
/// ```swift
/// let output = try OutputFile(path: out)   // nil or "-": standard output
/// defer { output.close() }                 // without finish(): the written rows are dropped
/// output.write("item,label\n")
/// try output.finish()                      // the file is complete: move it into place
/// ```
final class OutputFile: @unchecked Sendable {  // used by one task at a time
    let handle: FileHandle
    /// Whether this is the process's standard output.
    let isStandardOutput: Bool
    /// The destination, and the temporary file written until ``finish()``; nil when written in place.
    private let staging: (destination: String, temporary: String)?
    private var isClosed = false

    init(path: String?) throws {
        guard let path, path != "-" else {
            handle = FileHandle.standardOutput
            isStandardOutput = true
            staging = nil
            return
        }
        isStandardOutput = false
        // The item itself, not what a symbolic link points to.
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        let isRegularOrNew = type.map { $0 == .typeRegular } ?? !FileManager.default.fileExists(atPath: path)
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())").path
        if isRegularOrNew, case let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644), descriptor >= 0 {
            handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            staging = (path, temporary)
            return
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw CommandFailure(description: "\(path): cannot write the file (\(String(cString: strerror(errno))))")
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        staging = nil
    }

    func write(_ text: String) {
        handle.write(Data(text.utf8))
    }

    func write(_ data: Data) {
        handle.write(data)
    }

    /// Everything is written: closes the file and moves it to its destination.
    func finish() throws {
        guard !isStandardOutput, !isClosed else { return }
        isClosed = true
        try? handle.close()
        guard let (destination, temporary) = staging else { return }
        guard rename(temporary, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CommandFailure(description: "\(destination): cannot write the file (\(reason))")
        }
    }

    /// Closes the file; unless ``finish()`` came first, drops what was written and leaves the destination as it was.
    func close() {
        guard !isStandardOutput, !isClosed else { return }
        isClosed = true
        try? handle.close()
        if let (_, temporary) = staging { unlink(temporary) }
    }
}
