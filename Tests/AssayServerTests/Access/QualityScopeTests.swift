import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

/// What a vendor lead and an annotator can reach among the quality routes.
@Suite("Scope of the quality routes")
struct QualityScopeTests {
    @Test("a vendor lead sees only their vendor's people in QA reports; leads and annotators stay out of gold, arbitration and QA work; leads appeal only for their own people",
          arguments: TestBackend.allCases)
    func scope(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let now = server.clock.now
            let queue = try await Fixtures.queue(store)
            try await Fixtures.items(store, into: queue, count: 4)
            _ = try await server.request(.PUT, "/api/v1/queues/\(queue.name)/quality", json: ["qa_rate": 1])
            let acme = try await store.createVendor(named: "Acme", now: now)
            let globex = try await store.createVendor(named: "Globex", now: now)
            var annotators: [String] = []
            var judgedItems: [String: [Int64]] = [:]
            for (name, vendor) in [("Ana", acme), ("Gus", globex)] {
                let person = try await store.createPerson(PersonDraft(name: name, role: .annotator, vendorID: vendor.id), now: now)
                let token = try await store.issueToken(for: person.id, now: now).value
                annotators.append(token)
                let client = LoopClient(server: server, token: token)
                for _ in 0..<2 {
                    if let lease = try await client.next(queue.name) {
                        _ = try await client.submit(lease.assignmentID, labels: ["none"])
                        judgedItems[name, default: []].append(lease.itemID)
                    }
                }
            }
            let reviewer = try await Fixtures.token(store, role: .qaReviewer, name: "Rev")
            while true {
                let next = try await server.request(.POST, "/api/v1/queues/\(queue.name)/qa/next", token: reviewer)
                guard next.status == .ok else { break }
                let id = Int64(try #require(try next.object()["review"]?.objectValue?["id"]?.doubleValue))
                _ = try await server.request(.POST, "/api/v1/qa/\(id)", token: reviewer, json: ["correct": true])
            }
            let lead = try await store.createPerson(PersonDraft(name: "Lead", role: .vendorLead, vendorID: acme.id), now: now)
            let leadToken = try await store.issueToken(for: lead.id, now: now).value

            let all = try await server.request(.GET, "/api/v1/queues/\(queue.name)/qa/report")
            #expect(try all.object()["overall"]?.objectValue?["reviewed"]?.doubleValue == 4)
            let scoped = try await server.request(.GET, "/api/v1/queues/\(queue.name)/qa/report", token: leadToken)
            #expect(try scoped.object()["overall"]?.objectValue?["reviewed"]?.doubleValue == 2, "\(scoped.text)")
            let keys = try #require(try scoped.object()["annotators"]?.arrayValue).compactMap { $0.objectValue?["key"]?.stringValue }
            #expect(keys == ["ana"], "only Acme's annotator")

            let item = try #require(judgedItems["Ana"]?.first)
            for token in [leadToken, annotators[0]] {
                for (method, path) in [
                    (HTTPMethod.GET, "/api/v1/queues/\(queue.name)/gold"), (.GET, "/api/v1/queues/\(queue.name)/arbitration"),
                    (.POST, "/api/v1/queues/\(queue.name)/qa/next"),
                    (.PUT, "/api/v1/queues/\(queue.name)/quality"), (.POST, "/api/v1/queues/\(queue.name)/consensus/estimate"),
                ] {
                    let reply = try await server.request(method, path, token: token, json: [:])
                    #expect(reply.status == .forbidden, "\(method) \(path): \(reply.status)")
                }
            }
            // Annotators cannot appeal; a vendor lead appeals for their own people only.
            #expect(try await server.request(.POST, "/api/v1/items/\(item)/appeal", token: annotators[0]).status == .forbidden)
            let otherVendors = try await server.request(
                .POST, "/api/v1/items/\(try #require(judgedItems["Gus"]?.first))/appeal", token: leadToken, json: [:])
            #expect(otherVendors.status == .forbidden, "\(otherVendors.text)")
            let ownVendors = try await server.request(.POST, "/api/v1/items/\(item)/appeal", token: leadToken, json: ["note": "Ana was right"])
            #expect(ownVendors.status == .created, "\(ownVendors.text)")
            // Annotators see no scores, reports or audit entries, their own included.
            for path in ["/api/v1/queues/\(queue.name)/qa/report", "/api/v1/queues/\(queue.name)/scores", "/api/v1/audit",
                         "/api/v1/queues/\(queue.name)/gold/health"] {
                #expect(try await server.request(.GET, path, token: annotators[0]).status == .forbidden, "\(path)")
            }
        }
    }
}
