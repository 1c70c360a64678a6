import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import SQLKit
import Testing

/// The annotator's side of the loop over HTTP, as a client would drive it.
struct LoopClient {
    let server: LiveServer
    let token: String

    struct Leased {
        let assignmentID: Int64
        let itemID: Int64
        let externalID: String
    }

    /// `POST /queues/{queue}/next`: the lease, or `nil` on 204.
    func next(_ queue: String) async throws -> Leased? {
        let reply = try await server.request(.POST, "/api/v1/queues/\(queue)/next", token: token)
        if reply.status == .noContent { return nil }
        try #require(reply.status == .ok, "next: \(reply.status) \(reply.text)")
        let body = try reply.object()
        let assignmentID = Int64(try #require(body["assignment"]?["id"]?.doubleValue))
        let item = try #require(body["item"]?.objectValue)
        #expect(item["id"] == nil && item["external_id"] == nil, "an annotator is shown neither of the item's ids")
        let (itemID, externalID) = try await Self.item(ofAssignment: assignmentID, on: server)
        return Leased(assignmentID: assignmentID, itemID: itemID, externalID: externalID)
    }

    /// The item an assignment leased, looked up as the test (not the annotator, who is shown neither id) can.
    static func item(ofAssignment assignmentID: Int64, on server: LiveServer) async throws -> (id: Int64, externalID: String) {
        let row = try #require(try await server.store.sql().raw("""
            SELECT i.id, i.external_id FROM assignments a JOIN items i ON i.id = a.item_id WHERE a.id = \(bind: assignmentID)
            """).first())
        return (try row.int64("id"), try row.string("external_id"))
    }

    /// `POST /assignments/{id}/judgment`.
    func submit(_ assignmentID: Int64, labels: [String], clientKey: String? = nil) async throws -> LiveServer.Reply {
        var body: [String: JSONValue] = ["labels": .array(labels.map { .string($0) }), "time_spent_ms": 1200]
        if let clientKey { body["client_key"] = .string(clientKey) }
        return try await server.request(.POST, "/api/v1/assignments/\(assignmentID)/judgment", token: token, json: .object(body))
    }

    /// `POST /assignments/{id}/skip`.
    func skip(_ assignmentID: Int64) async throws -> LiveServer.Reply {
        try await server.request(.POST, "/api/v1/assignments/\(assignmentID)/skip", token: token)
    }
}
