import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
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
        let assignment = try #require(body["assignment"]?.objectValue)
        let item = try #require(body["item"]?.objectValue)
        let externalID = try #require(item["external_id"]?.stringValue)
        // An annotator is not shown the item's id; the test looks it up.
        let queueID = try await server.store.queue(queue).id
        return Leased(
            assignmentID: Int64(try #require(assignment["id"]?.doubleValue)),
            itemID: try #require(try await server.store.itemIDs(forExternalIDs: [externalID], in: queueID)[externalID]),
            externalID: externalID)
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
