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
        let encoder = SQLiteDataEncoder()
        return (sql, try binds.map { try encoder.encode($0) })
    }
}

/// A result row as SQLKit reads it.
private struct SQLiteValuesRow: SQLRow {
    let values: SQLiteValues

    var allColumns: [String] { values.columns.names }

    func contains(column: String) -> Bool { values[column] != nil }

    func decodeNil(column: String) throws -> Bool { (values[column] ?? .null) == .null }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let data = values[column] else {
            throw DecodingError.keyNotFound(
                SQLiteColumnKey(column), .init(codingPath: [], debugDescription: "no column named \(column) in the row"))
        }
        return try SQLiteDataDecoder().decode(D.self, from: data)
    }
}

private struct SQLiteColumnKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
