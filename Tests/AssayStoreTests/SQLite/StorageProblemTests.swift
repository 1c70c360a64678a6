import AssayCore
@testable import AssayStore
import Testing
import VaporCSQLite
import Foundation

@Suite("Storage problems")
struct StorageProblemTests {
    @Test("a full disk, a lock held elsewhere and an unwritable file are 503s that say so; other SQLite errors are not")
    func mapped() {
        func problem(_ code: Int32) -> AssayError? {
            StorageProblem.assayError(for: SQLiteHandle.Failure(code: code, message: "…", sql: "INSERT INTO items …"))
        }
        guard case .unavailable(let full)? = problem(SQLITE_FULL) else { Issue.record("SQLITE_FULL"); return }
        #expect(full.contains("disk is full") && !full.contains("INSERT"), "the SQL stays in the log: \(full)")
        guard case .unavailable(let busy)? = problem(SQLITE_BUSY) else { Issue.record("SQLITE_BUSY"); return }
        #expect(busy.contains("write lock"))
        #expect(problem(SQLITE_IOERR | (3 << 8)) != nil, "extended codes count by their primary code")
        #expect(problem(SQLITE_CONSTRAINT) == nil && problem(SQLITE_ERROR) == nil, "a bug stays a 500")
        #expect(StorageProblem.assayError(for: AssayError.conflict("x")) == nil)
    }
}

@Suite("Database file mode")
struct DatabaseFileModeTests {
    @Test("a SQLite database Assay creates is its owner's only; one made before keeps the mode it had")
    func ownerOnly() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-mode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func mode(_ path: String) throws -> Int? { try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int }

        let fresh = folder.appendingPathComponent("fresh.sqlite").path
        let database = try await AssayDatabase.open(.sqlite(path: fresh))
        try await database.migrate()
        try await database.close()
        #expect(try mode(fresh) == 0o600)

        let shared = folder.appendingPathComponent("shared.sqlite").path
        _ = FileManager.default.createFile(atPath: shared, contents: nil, attributes: [.posixPermissions: 0o640])
        let earlier = try await AssayDatabase.open(.sqlite(path: shared))
        try await earlier.close()
        #expect(try mode(shared) == 0o640, "the owner's choice stands")
    }
}
