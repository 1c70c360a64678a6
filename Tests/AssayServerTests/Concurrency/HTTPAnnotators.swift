import AssayCore
import AssayStore
import AssayTesting
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOFoundationCompat
import Testing

/// Annotators who work through a queue over HTTP, all at once, against server processes.
enum HTTPAnnotators {
    /// Each person asks for the next item and submits `none` until the queue has nothing left for them, sending
    /// each request to the next of `servers` in turn (so a submit usually goes to another process than its lease).
    ///
    /// - Returns: how many judgments were accepted, in all.
    static func labelUntilEmpty(queue: String, tokens: [String], servers: [ServerProcess]) async throws -> Int {
        let bases = servers.map(\.baseURL)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for (index, token) in tokens.enumerated() {
                group.addTask {
                    var count = 0
                    var turn = index
                    while true {
                        turn += 1
                        var next = HTTPClientRequest(url: "\(bases[turn % bases.count])/api/v1/queues/\(queue)/next")
                        next.method = .POST
                        next.headers.add(name: "Authorization", value: "Bearer \(token)")
                        let leased = try await client.execute(next, timeout: .seconds(30))
                        let body = try await leased.body.collect(upTo: 1 << 20)
                        if leased.status == .noContent { return count }
                        try #require(leased.status == .ok, "\(String(buffer: body))")
                        let lease = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))
                        let assignment = Int(try #require(lease["assignment"]?["id"]?.doubleValue))
                        let base = bases[(turn + 1) % bases.count]
                        var submit = HTTPClientRequest(url: "\(base)/api/v1/assignments/\(assignment)/judgment")
                        submit.method = .POST
                        submit.headers.add(name: "Authorization", value: "Bearer \(token)")
                        submit.headers.add(name: "Content-Type", value: "application/json")
                        submit.body = .bytes(ByteBuffer(string: #"{"labels": ["none"]}"#))
                        let submitted = try await client.execute(submit, timeout: .seconds(30))
                        let reply = try await submitted.body.collect(upTo: 1 << 20)
                        try #require(
                            submitted.status == .created,
                            "\(String(buffer: reply))\n\(servers.map(\.log).joined(separator: "\n"))")
                        count += 1
                    }
                }
            }
            return try await group.reduce(0, +)
        }
    }

    /// Checks that each of the queue's `items` has exactly the queue's overlap of judgments, from as many people.
    static func expectOverlapKept(in store: Store, queue: Queue, items: Int) async throws {
        let stored = try await store.items(in: queue.id, after: nil, limit: items + 1)
        #expect(stored.count == items)
        for item in stored {
            let judgments = try await store.judgments(of: item.id)
            #expect(judgments.count == queue.overlap, "item \(item.externalID) has \(judgments.count) judgments")
            #expect(Set(judgments.map(\.annotatorID)).count == judgments.count)
        }
        #expect(try await store.stats(of: queue.id).completedItems == items)
    }
}
