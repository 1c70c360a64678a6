import Foundation

/// A temporary folder to run `assay` in, with the files of one test, for commands that need no database.
///
/// For example:
/// ```swift
/// let folder = try ScratchFolder()
/// defer { folder.remove() }
/// let path = try folder.write("gold.csv", "item,label\na,spam\n")
/// let run = try folder.assay(["metrics", "--truth", path, "--pred", path])
/// ```
public struct ScratchFolder: Sendable {
    /// The folder.
    public let folder: URL

    /// Makes an empty folder under the system's temporary directory.
    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-scratch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` in the folder and returns the file's full path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The full path of `name` in the folder.
    public func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The text of `name` in the folder.
    public func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
    }

    /// Runs the built `assay` in the folder, with no database configured.
    public func assay(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try ServerProcess.run(arguments, environment: ["ASSAY_DATABASE_URL": ""], currentDirectory: folder)
    }

    /// Deletes the folder.
    public func remove() { try? FileManager.default.removeItem(at: folder) }
}
