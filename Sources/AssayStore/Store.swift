import AssayCore
import FluentKit
import FluentPostgresDriver
import Foundation
import SQLKit

/// The one gateway to the workspace's data: intent-named methods, one transaction each, that take and return
/// `AssayCore` values.
///
/// The database keeps the invariants: unique keys (one judgment per item and annotator, one external id per
/// queue, one assignment per item and annotator) and conditional updates (an item is leased only while it has
/// an open slot). No method reads a value in Swift and writes a decision back without such a guard.
///
/// The methods live in extensions by concern: `Store+Workspace.swift`, `Store+Queues.swift`,
/// `Store+Import.swift`, `Store+Labeling.swift`, `Store+Results.swift`.
public struct Store: Sendable {
    /// Which SQL dialect the store talks to; used only where the two differ (row locking).
    public enum Backend: String, Sendable {
        /// Embedded SQLite.
        case sqlite
        /// PostgreSQL.
        case postgres

        var skipLocked: String { self == .postgres ? " FOR UPDATE SKIP LOCKED" : "" }
        /// The lock an item's claim takes as it looks, on PostgreSQL: the one its update of the open slots takes
        /// (`FOR NO KEY UPDATE`), which rows being inserted that refer to the item (their key-share locks) do not
        /// block; items others are claiming are passed over.
        var claimLock: String { self == .postgres ? " FOR NO KEY UPDATE SKIP LOCKED" : "" }
        /// ` COLLATE "C"` on PostgreSQL, nothing on SQLite (``SQLKit/SQLDatabase/bytewise``).
        var bytewise: String { self == .postgres ? #" COLLATE "C""# : "" }
    }

    /// The dialect.
    public let backend: Backend
    let connections: Connections
    let queueCache = QueueCache()
    /// Where gold draws, gold pivots and QA samples come from.
    let chance: Chance

    /// How the store reaches its database: Fluent's PostgreSQL pools, or the store's own SQLite connections.
    enum Connections: Sendable {
        /// A pooled PostgreSQL database on some event loop.
        case postgres(@Sendable () throws -> any Database)
        /// The SQLite file's writer and readers.
        case sqlite(SQLiteConnections)
    }

    init(connections: Connections, chance: Chance) {
        self.connections = connections
        self.chance = chance
        switch connections {
        case .postgres: backend = .postgres
        case .sqlite: backend = .sqlite
        }
    }

    /// The store's own SQLite connections, when it has them (for tests of the connection layer).
    var sqliteConnections: SQLiteConnections? {
        if case .sqlite(let connections) = connections { return connections }
        return nil
    }

    /// What the SQLite writer has done since the file was opened; nil on PostgreSQL, which has no single writer.
    public var writerStatistics: WriterStatistics? { sqliteConnections?.statistics }

    /// A SQL handle outside any transaction.
    func sql() throws -> any SQLDatabase {
        switch connections {
        case .postgres(let database): return WatchedPool(database: try database() as! any PostgresDatabase & SQLDatabase)
        case .sqlite(let sqlite): return sqlite.readers
        }
    }

    /// Runs `body` in one transaction and commits if it returns.
    ///
    /// On SQLite the transaction is `BEGIN IMMEDIATE` on the one writer connection: it takes the write lock up
    /// front, so a read-then-write transaction never fails halfway with SQLITE_BUSY when another process (say
    /// `assay import` while the server runs) wrote in between; it waits for the lock instead.
    ///
    /// On PostgreSQL a transaction the server ends as a deadlock or a serialization failure is run again, up to
    /// three times in all, after a short random pause: two transactions that lock rows in different orders (two
    /// imports naming the same external ids in different orders, a decision during a re-estimate) are not a
    /// mistake of either caller, and the retry succeeds once the other has committed. `body` must therefore do
    /// nothing outside the database that it cannot do twice. Its statements are watched (``WatchedConnection``): one
    /// left waiting on a connection PostgreSQL closed fails, rather than holding the request and the connection.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch connections {
        case .postgres(let database):
            for attempt in 1... {
                do {
                    let postgres = try database() as! any PostgresDatabase
                    return try await postgres.withConnection { connection in
                        connection.eventLoop.makeFutureWithTask {
                            let sql = WatchedConnection(connection)
                            try await sql.raw("BEGIN").run()
                            let result: T
                            do {
                                result = try await body(sql)
                            } catch {
                                // What went wrong is the body's error. A lost connection has nothing to roll back
                                // (asking would wait for the watch); one whose rollback fails is closed, so that it
                                // does not go back to the pool inside the transaction.
                                if !connection.isClosed {
                                    do { try await sql.raw("ROLLBACK").run() } catch { try? await connection.close() }
                                }
                                throw error
                            }
                            try await sql.raw("COMMIT").run()
                            return result
                        }
                    }.get()
                } catch let error as PSQLError where attempt < 3 && Self.isRetryable(error) {
                    try await Task.sleep(for: .milliseconds(Int.random(in: 5...50) * attempt))
                }
            }
            fatalError("unreachable")
        case .sqlite(let sqlite):
            return try await sqlite.transaction(body)
        }
    }

    /// Deadlock detected (40P01) or serialization failure (40001): PostgreSQL rolled the transaction back, and the
    /// same work can succeed when run again.
    static func isRetryable(_ error: PSQLError) -> Bool {
        ["40P01", "40001"].contains(error.serverInfo?[.sqlState])
    }

    /// `FOR UPDATE SKIP LOCKED` on PostgreSQL, where concurrent transactions would otherwise queue on the same
    /// candidate row; nothing on SQLite, where one writer runs at a time.
    var skipLocked: String { backend.skipLocked }

    /// `FOR UPDATE` on PostgreSQL; nothing on SQLite.
    var forUpdate: String { backend == .postgres ? " FOR UPDATE" : "" }
}

extension SQLDatabase {
    /// ` COLLATE "C"` on PostgreSQL, nothing on SQLite: text ordered by its bytes, as SQLite orders it, whatever
    /// collation the PostgreSQL database was created with (lists by name, and keyset paging by external id, came in
    /// another order on an `en_US` database, and the same `after` gave another page).
    var bytewise: String { backend.bytewise }

    /// The dialect this connection speaks, for statements called with a connection and no store.
    var backend: Store.Backend { dialect.name == "postgresql" ? .postgres : .sqlite }
}

// MARK: - Values as stored

/// Conversions between domain values and the column types the migrations use.
enum Column {
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A list of strings (labels, mostly) as JSON text: byte for byte what the encoder above writes, without its
    /// round trip through `Encoder`, which cost more than the rest of storing a judgment's labels. Never throws; it
    /// is marked `throws` so that call sites read the same whichever overload they get.
    static func json(_ strings: [String]) throws -> String {
        var text = "["
        for (index, string) in strings.enumerated() {
            if index > 0 { text += "," }
            text += "\""
            if string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                for scalar in string.unicodeScalars { text += escaped(scalar) }
            } else {
                text += string
            }
            text += "\""
        }
        return text + "]"
    }

    /// A character inside a JSON string as `JSONEncoder` writes it (with `.withoutEscapingSlashes`).
    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\"": return "\\\""
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{08}": return "\\b"
        case "\u{0C}": return "\\f"
        case let control where control.value < 0x20:
            let hex = String(control.value, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: return String(scalar)
        }
    }

    /// A list of strings (labels, languages, markets) read without `Codable`: labels are read for every
    /// judgment a final label counts and every exported row.
    static func strings(from text: String) throws -> [String] {
        guard case .array(let values) = try JSONValue(parsing: text.utf8) else {
            throw AssayError.invalidInput(field: nil, line: nil, reason: "stored value is not a JSON array: \(text)")
        }
        return try values.map { value in
            guard case .string(let string) = value else {
                throw AssayError.invalidInput(field: nil, line: nil, reason: "stored array holds a non-string: \(text)")
            }
            return string
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    // Domain types spell their snake_case keys in CodingKeys, so no key strategy here: one would also rewrite
    // the keys of user content such as `{"mediaUrl": …}`.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static let decoder = JSONDecoder()
}

extension SQLRow {
    func int(_ column: String) throws -> Int { try decode(column: column, as: Int.self) }
    func int64(_ column: String) throws -> Int64 { try decode(column: column, as: Int64.self) }
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalString(_ column: String) throws -> String? { try decode(column: column, as: String?.self) }
    func uuid(_ column: String) throws -> UUID { try decode(column: column, as: UUID.self) }
    func optionalUUID(_ column: String) throws -> UUID? { try decode(column: column, as: UUID?.self) }
    func date(_ column: String) throws -> Date { Column.date(try int64(column)) }
    func optionalDate(_ column: String) throws -> Date? { try decode(column: column, as: Int64?.self).map(Column.date) }
}
