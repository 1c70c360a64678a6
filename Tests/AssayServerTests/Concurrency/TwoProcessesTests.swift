import AssayCore
import AssayStore
import AssayTesting
import AsyncHTTPClient
import Foundation
import NIOHTTP1
import NIOCore
import NIOFoundationCompat
import Testing

/// Two `assay serve` processes over one PostgreSQL database, driven by concurrent annotators who switch
/// between them: the database alone keeps the overlap (Label Studio, driven this way, over-assigns).
@Suite("Two server processes over one PostgreSQL")
struct TwoProcessesTests {
    @Test("never lease an item beyond its overlap")
    func neverBeyondOverlap() async throws {
        guard TestBackend.allCases.contains(.postgres) else { return }
        let (location, cleanup) = try await TestBackend.postgres.makeScratchLocation()
        guard case .postgres(let url) = location else { return }
        let database = try await AssayDatabase.open(location)
        var servers: [ServerProcess] = []
        do {
            try await database.migrate()
            let store = database.store
            let queue = try await Fixtures.queue(store, overlap: 2)
            try await Fixtures.items(store, into: queue, count: 100)
            let people = try await Fixtures.annotators(store, count: 24)
            servers = [try ServerProcess.serve(postgresURL: url), try ServerProcess.serve(postgresURL: url)]
            let bases = servers.map(\.baseURL)
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = client.shutdown() }
            let total = try await withThrowingTaskGroup(of: Int.self) { [servers] group in
                for (index, person) in people.enumerated() {
                    group.addTask {
                        var count = 0
                        var turn = index
                        while true {
                            turn += 1
                            let base = bases[turn % 2]
                            var next = HTTPClientRequest(url: "\(base)/api/v1/queues/\(queue.name)/next")
                            next.method = .POST
                            next.headers.add(name: "Authorization", value: "Bearer \(person.token)")
                            let leased = try await client.execute(next, timeout: .seconds(30))
                            let body = try await leased.body.collect(upTo: 1 << 20)
                            if leased.status == .noContent { return count }
                            try #require(leased.status == .ok)
                            let lease = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))
                            let assignment = Int(try #require(lease["assignment"]?["id"]?.doubleValue))
                            var submit = HTTPClientRequest(url: "\(bases[(turn + 1) % 2])/api/v1/assignments/\(assignment)/judgment")
                            submit.method = .POST
                            submit.headers.add(name: "Authorization", value: "Bearer \(person.token)")
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
            #expect(total == 200)
            for item in try await store.items(in: queue.id, after: nil, limit: 200) {
                let judgments = try await store.judgments(of: item.id)
                #expect(judgments.count == 2, "item \(item.externalID) has \(judgments.count) judgments")
                #expect(Set(judgments.map(\.annotatorID)).count == judgments.count)
            }
            #expect(try await store.stats(of: queue.id).completedItems == 100)
        } catch {
            servers.forEach { $0.stop() }
            try? await database.close()
            await cleanup()
            throw error
        }
        servers.forEach { $0.stop() }
        try await database.close()
        await cleanup()
    }
}
