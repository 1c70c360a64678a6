import Foundation
import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// SQLKit's view of ``SQLiteConnections``: the writer inside a transaction, or the readers outside one.
///
/// Binds are encoded and rows decoded by SQLiteKit's own `SQLiteDataEncoder` and `SQLiteDataDecoder`, so values
/// are stored exactly as the Fluent SQLite driver stores them (the migrations and older files use it).
struct SQLiteDirectDatabase: SQLDatabase {
    let connections: SQLiteConnections
    /// The writer, inside a transaction; nil for "any idle reader".
    let handle: SQLiteHandle?

    /// The writer, for bulk work that runs statements on it directly; only inside a transaction.
    var writerInTransaction: SQLiteHandle {
        guard let handle else { preconditionFailure("the writer is only handed out inside a transaction") }
        return handle
    }

    var logger: Logger { connections.logger }
    var eventLoop: any EventLoop { connections.eventLoop }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = try encoded(query)
        try await connections.run(sql, binds: binds, on: handle) { values in onRow(SQLiteValuesRow(values: values)) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    private func encoded(_ query: any SQLExpression) throws -> (String, [SQLiteData]) {
        let (sql, binds) = serialize(query)
        return (sql, try binds.map(Self.sqliteData(for:)))
    }

    /// The value as SQLiteKit's encoder would store it, without its `Encoder` round trip for the types the store
    /// binds on every request (the encoder stores a UUID as its string, a Bool as 0 or 1).
    static func sqliteData(for bind: any Encodable & Sendable) throws -> SQLiteData {
        switch bind {
        case let value as Int64: return .integer(Int(value))
        case let value as String: return .text(value)
        case let value as Int: return .integer(value)
        case let value as UUID: return .text(value.canonicalText)
        case let value as Double: return .float(value)
        case let value as Bool: return .integer(value ? 1 : 0)
        default: return try encoder.encode(bind)
        }
    }

    private static let encoder = SQLiteDataEncoder()
    static let decoder = SQLiteDataDecoder()
}

/// A result row as SQLKit reads it (also for rows of statements run on a ``SQLiteHandle`` directly).
struct SQLiteValuesRow: SQLRow {
    let values: SQLiteValues

    var allColumns: [String] { values.columns.names }

    func contains(column: String) -> Bool { values[column] != nil }

    func decodeNil(column: String) throws -> Bool { (values[column] ?? .null) == .null }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let data = values[column] else {
            throw DecodingError.keyNotFound(
                SQLiteColumnKey(column), .init(codingPath: [], debugDescription: "no column named \(column) in the row"))
        }
        return try Self.fastDecode(D.self, from: data) ?? SQLiteDirectDatabase.decoder.decode(D.self, from: data)
    }

    /// The store's common column types read directly, as SQLiteKit's decoder reads them; nil for anything else
    /// (and for a mismatch, so that the decoder reports it).
    private static func fastDecode<D: Decodable>(_ type: D.Type, from data: SQLiteData) -> D? {
        switch data {
        case .integer(let value):
            if D.self == Int64.self { return Int64(value) as? D }
            if D.self == Int.self || D.self == Int?.self { return value as? D }
            if D.self == Int64?.self { return Int64?.some(Int64(value)) as? D }
        case .text(let value):
            if D.self == String.self || D.self == String?.self { return value as? D }
            if D.self == UUID.self || D.self == UUID?.self { return UUID(canonicalText: value) as? D }
        case .float(let value):
            if D.self == Double.self { return value as? D }
        case .null:
            if D.self == String?.self { return String?.none as? D }
            if D.self == Int64?.self { return Int64?.none as? D }
        case .blob:
            break
        }
        return nil
    }
}

private struct SQLiteColumnKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
