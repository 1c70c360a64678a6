import AssayCore
@testable import AssayStore
import Testing
import VaporCSQLite

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
