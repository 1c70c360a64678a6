import AssayStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One server per SQLite file: `assay serve` (and the demo's) holds an advisory lock on `<file>.serve-lock` while
/// it runs, and a second one on the same file is refused, naming the first.
///
/// SQLite's own locks keep two processes from corrupting the file, but each server funnels its writes through one
/// writer of its own, and two of them would wait on each other's file lock (requests stalled, then answered 503).
/// Several servers over one workspace is what PostgreSQL is for. Commands that only import or export still run
/// beside the server. The lock goes with the process, however it ends.
///
/// ```swift
/// let lock = try ServeLock.acquire(for: settings.database)   // nil on PostgreSQL
/// defer { lock?.release() }
/// ```
final class ServeLock {
    private let descriptor: Int32
    private let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Takes the lock of a SQLite workspace; nil for PostgreSQL.
    ///
    /// - Throws: ``CommandFailure`` when another process serves the file, with its process id.
    static func acquire(for location: DatabaseLocation) throws -> ServeLock? {
        guard case .sqlite(let file) = location else { return nil }
        let path = file + ".serve-lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CommandFailure(description: "\(path): cannot open the server's lock file (\(String(cString: strerror(errno))))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw CommandFailure(
                description: "another assay server\(holder.map { $0.isEmpty ? "" : " (process \($0))" } ?? "") is serving "
                    + "\(file); stop it first, or give another --db (several servers share one workspace on PostgreSQL)")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return ServeLock(descriptor: descriptor, path: path)
    }

    /// Lets the lock go (the process's end lets it go too). The file stays: removing it would let a server that
    /// opened it a moment before lock the removed file while a third locks a new one, both serving.
    func release() {
        close(descriptor)
    }
}
