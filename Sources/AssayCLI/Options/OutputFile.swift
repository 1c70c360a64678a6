import Foundation

/// Where a command writes its data: a file named by `--out` (or similar), or standard output for none or `-`.
///
/// A file is opened in place (`open(2)` with create and truncate), not replaced: writing to a symbolic link or a
/// device writes through it, as shell redirection does. Closing standard output is a no-op, so two tables can go
/// to `-` one after the other.
///
/// For example:
/// ```swift
/// let output = try OutputFile(path: out)   // nil or "-": standard output
/// defer { output.close() }
/// output.write("item,label\n")
/// ```
struct OutputFile {
    let handle: FileHandle
    /// Whether this is the process's standard output.
    let isStandardOutput: Bool

    init(path: String?) throws {
        guard let path, path != "-" else {
            handle = FileHandle.standardOutput
            isStandardOutput = true
            return
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw CommandFailure(description: "\(path): cannot write the file (\(String(cString: strerror(errno))))")
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        isStandardOutput = false
    }

    func write(_ text: String) {
        handle.write(Data(text.utf8))
    }

    func write(_ data: Data) {
        handle.write(data)
    }

    func close() {
        if !isStandardOutput { try? handle.close() }
    }
}
