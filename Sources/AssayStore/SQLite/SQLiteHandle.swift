import Foundation
import NIOCore
import SQLiteNIO
import VaporCSQLite

/// One open SQLite connection, driven synchronously on the caller's thread, with its prepared statements kept.
///
/// Why not sqlite-nio's `SQLiteConnection`: it runs every statement on a thread pool and hands every row back to
/// an event loop, so a labeling transaction of a dozen short statements spent most of its time in thread
/// hand-offs while holding SQLite's single write lock. The statements the store runs take microseconds, so
/// they run here, inline, and a statement is prepared once per connection, not once per call.
///
/// Not thread-safe: one caller at a time, which ``SQLiteConnections`` guarantees (the writer behind an async
/// lock, readers checked out of a pool). The library is built thread-safe, and the connection is opened with
/// `SQLITE_OPEN_NOMUTEX` because that guarantee is ours.
final class SQLiteHandle: @unchecked Sendable {
    /// A failed SQLite call, with the library's message.
    struct Failure: Error, CustomStringConvertible {
        /// The extended result code.
        var code: Int32
        /// What SQLite said.
        var message: String
        /// The statement, for the log.
        var sql: String?

        var isBusy: Bool { code & 0xff == SQLITE_BUSY || code & 0xff == SQLITE_LOCKED }
        var description: String { "SQLite error \(code): \(message)" + (sql.map { " in: \($0)" } ?? "") }
    }

    private var raw: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// Enough for every statement shape the store uses; past it (say, many `IN (…)` list lengths) the cache
    /// starts over rather than grow without bound.
    private static let statementCacheLimit = 256

    /// Opens (creating if needed) the database file at `path`.
    init(path: String) throws {
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        var handle: OpaquePointer?
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open"
            sqlite_nio_sqlite3_close_v2(handle)
            throw Failure(code: opened, message: "\(message) (\(path))", sql: nil)
        }
        raw = handle
        // Waiting for another process's lock is the caller's decision (see `SQLiteConnections.run`), so a busy
        // database answers at once here instead of blocking the calling thread.
        sqlite_nio_sqlite3_busy_timeout(handle, 0)
    }

    deinit { close() }

    /// Sets how long a statement waits for another connection's lock before failing with `SQLITE_BUSY`.
    func setBusyTimeout(milliseconds: Int32) {
        sqlite_nio_sqlite3_busy_timeout(raw, milliseconds)
    }

    /// Runs one statement with its binds and calls `onRow` for each result row.
    ///
    /// - Returns: the number of rows the statement changed.
    @discardableResult
    func run(_ sql: String, binds: [SQLiteData], onRow: (SQLiteValues) -> Void = { _ in }) throws -> Int {
        guard let raw else { throw Failure(code: SQLITE_MISUSE, message: "the connection is closed", sql: sql) }
        let statement = try prepared(sql)
        // Reset only: every parameter is bound again on the next run, so the old values never leak into it.
        // `sqlite3_clear_bindings` would also mark any statement whose plan may depend on a bound value (SQLite
        // 3.54 asks that of every `column = ?`) as expired, and SQLite would then compile it again on every run:
        // the annotator loop's next-item query and judgment insert were parsed and planned each time (6% of the
        // server's CPU in a profile).
        defer { sqlite_nio_sqlite3_reset(statement) }
        let parameterCount = Int(sqlite_nio_sqlite3_bind_parameter_count(statement))
        guard binds.count == parameterCount else {
            throw Failure(
                code: SQLITE_RANGE, message: "the statement takes \(parameterCount) parameters, not \(binds.count)", sql: sql)
        }
        for (index, value) in binds.enumerated() {
            try check(bind(value, at: Int32(index + 1), in: statement), sql)
        }
        var columns: SQLiteValues.Columns?
        while true {
            let stepped = sqlite_nio_sqlite3_step(statement)
            if stepped == SQLITE_DONE { break }
            guard stepped == SQLITE_ROW else { try check(stepped, sql); break }
            let names = columns ?? SQLiteValues.Columns(of: statement)
            columns = names
            onRow(SQLiteValues(columns: names, values: (0..<Int32(names.names.count)).map { value(at: $0, in: statement) }))
        }
        return Int(sqlite_nio_sqlite3_changes(raw))
    }

    /// Whether the statement only reads (it is prepared, and kept, on this connection to find out).
    func isReadOnly(_ sql: String) throws -> Bool {
        sqlite_nio_sqlite3_stmt_readonly(try prepared(sql)) != 0
    }

    /// How many times SQLite had to compile a cached statement again (after a schema change, or a bind that expired
    /// its plan); nil for a statement not run on this connection.
    func recompilations(of sql: String) -> Int? {
        statements[sql].map { Int(sqlite_nio_sqlite3_stmt_status($0, SQLITE_STMTSTATUS_REPREPARE, 0)) }
    }

    /// Whether no transaction is open on this connection.
    var isInAutocommitMode: Bool {
        raw.map { sqlite_nio_sqlite3_get_autocommit($0) != 0 } ?? true
    }

    /// Finalizes every statement and closes the connection; later calls fail.
    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements.removeAll()
        if let raw { sqlite_nio_sqlite3_close_v2(raw) }
        raw = nil
    }

    // MARK: - Pieces

    private func prepared(_ sql: String) throws -> OpaquePointer {
        guard raw != nil else { throw Failure(code: SQLITE_MISUSE, message: "the connection is closed", sql: sql) }
        if let statement = statements[sql] { return statement }
        if statements.count >= Self.statementCacheLimit {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
            statements.removeAll()
        }
        var statement: OpaquePointer?
        let prepared = sqlite_nio_sqlite3_prepare_v3(raw, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard prepared == SQLITE_OK, let statement else { throw failure(prepared, sql) }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLiteData, at index: Int32, in statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let integer):
            return sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
        case .float(let double):
            return sqlite_nio_sqlite3_bind_double(statement, index, double)
        case .text(let text):
            var text = text
            return text.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { characters in
                    // An empty string has no base address; SQLite takes a zero length with any non-null pointer.
                    sqlite_nio_sqlite3_bind_text64(
                        statement, index, characters.baseAddress ?? Self.empty, UInt64(characters.count),
                        Self.transient, UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let buffer):
            return buffer.withUnsafeReadableBytes { bytes in
                sqlite_nio_sqlite3_bind_blob64(statement, index, bytes.baseAddress, UInt64(bytes.count), Self.transient)
            }
        case .null:
            return sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }

    private func value(at column: Int32, in statement: OpaquePointer) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            // Text first, then its length, as SQLite documents: the length is of the form just fetched.
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let blob = sqlite_nio_sqlite3_column_blob(statement, column)
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let blob {
                buffer.writeBytes(UnsafeRawBufferPointer(start: blob, count: count))
            }
            return .blob(buffer)
        default:
            return .null
        }
    }

    private func check(_ code: Int32, _ sql: String) throws {
        guard code == SQLITE_OK else { throw failure(code, sql) }
    }

    private func failure(_ code: Int32, _ sql: String) -> Failure {
        let message = sqlite_nio_sqlite3_errmsg(raw).map { String(cString: $0) } ?? "unknown error"
        return Failure(code: sqlite_nio_sqlite3_extended_errcode(raw), message: message, sql: sql)
    }

    nonisolated(unsafe) private static let empty: UnsafePointer<CChar> = {
        let byte = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        byte.initialize(to: 0)
        return UnsafePointer(byte)
    }()

    /// `SQLITE_TRANSIENT`: SQLite copies bound text and blobs before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// One result row: the statement's column names (shared by all its rows) and this row's values.
struct SQLiteValues: Sendable {
    /// Column names and their positions, made once per statement run.
    final class Columns: Sendable {
        let names: [String]
        let positions: [String: Int]

        init(of statement: OpaquePointer) {
            let count = sqlite_nio_sqlite3_column_count(statement)
            names = (0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(statement, $0)) }
            // The first of two same-named columns wins, as in sqlite-nio.
            positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    let columns: Columns
    let values: [SQLiteData]

    subscript(column: String) -> SQLiteData? { columns.positions[column].map { values[$0] } }
}
