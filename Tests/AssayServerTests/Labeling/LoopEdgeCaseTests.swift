import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

@Suite("Edge cases of the loop")
struct LoopEdgeCaseTests {
    @Test("a client key reused on another assignment is a 409, not someone else's judgment", arguments: TestBackend.allCases)
    func clientKeyIsPerJudgment(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, overlap: 1)
            try await Fixtures.items(server.store, into: queue, count: 2)
            let ana = LoopClient(server: server, token: try await Fixtures.annotators(server.store, count: 1)[0].token)
            let first = try #require(try await ana.next(queue.name))
            #expect(try await ana.submit(first.assignmentID, labels: ["spam"], clientKey: "k").status == .created)
            let second = try #require(try await ana.next(queue.name))
            let reused = try await ana.submit(second.assignmentID, labels: ["none"], clientKey: "k")
            #expect(reused.status == .conflict)
            #expect(reused.reason.contains("client_key 'k' was already used"))
            #expect(try await ana.submit(second.assignmentID, labels: ["none"], clientKey: "k2").status == .created)
        }
    }

    @Test("an item decided while someone still holds it cannot be escalated by them: that would be an appeal",
          arguments: TestBackend.allCases)
    func escalateDecided(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, overlap: 2)
            try await Fixtures.items(server.store, into: queue, count: 1)
            let people = try await Fixtures.annotators(server.store, count: 2)
            let ana = LoopClient(server: server, token: people[0].token), ben = LoopClient(server: server, token: people[1].token)
            let anaLease = try #require(try await ana.next(queue.name)), benLease = try #require(try await ben.next(queue.name))
            let escalated = try await server.request(
                .POST, "/api/v1/assignments/\(benLease.assignmentID)/escalate", token: people[1].token, json: ["note": "unsure"])
            #expect(escalated.status == .created, "\(escalated.text)")
            let caseID = try #require(try escalated.object()["case_id"]?.doubleValue)
            let arbitrator = try await Fixtures.token(server.store, role: .arbitrator, name: "Arbi")
            let decided = try await server.request(
                .POST, "/api/v1/arbitration/\(Int(caseID))/decision", token: arbitrator, json: ["labels": ["spam"]])
            #expect(decided.status == .ok, "\(decided.text)")
            let late = try await server.request(
                .POST, "/api/v1/assignments/\(anaLease.assignmentID)/escalate", token: people[0].token, json: ["note": "me too"])
            #expect(late.status == .conflict && late.reason.contains("was decided meanwhile"), "\(late.text)")
        }
    }

    @Test("concurrent 'next' calls from one person share one lease", arguments: TestBackend.allCases)
    func oneLeasePerPerson(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, overlap: 1)
            try await Fixtures.items(server.store, into: queue, count: 20)
            let ana = LoopClient(server: server, token: try await Fixtures.annotators(server.store, count: 1)[0].token)
            let leases = try await withThrowingTaskGroup(of: Int64?.self) { group in
                for _ in 0..<8 { group.addTask { try await ana.next(queue.name)?.assignmentID } }
                return try await group.reduce(into: Set<Int64>()) { if let id = $1 { $0.insert(id) } }
            }
            #expect(leases.count == 1, "one person, one live lease: \(leases)")
            let ben = LoopClient(server: server, token: try await Fixtures.annotators(server.store, count: 1, prefix: "ben")[0].token)
            var others = 0
            while let lease = try await ben.next(queue.name) {
                _ = try await ben.submit(lease.assignmentID, labels: ["none"])
                others += 1
            }
            #expect(others == 19, "no slot is left held by a lost second lease")
        }
    }

    @Test("a judgment imported for an item its annotator holds uses that lease's slot", arguments: TestBackend.allCases)
    func importOverLiveLease(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, overlap: 2)
            try await Fixtures.items(server.store, into: queue, count: 1)
            let people = try await Fixtures.annotators(server.store, count: 3)
            let ana = LoopClient(server: server, token: people[0].token)
            let lease = try #require(try await ana.next(queue.name))
            let imported = ImportedJudgment(
                itemExternalID: lease.externalID, annotatorExternalID: people[0].person.externalID, labels: ["spam"],
                rationale: nil, startedAt: nil, submittedAt: Date(), line: 2)
            #expect(try await server.store.importJudgments([imported], into: queue, now: Date()).inserted == 1)
            let late = try await ana.submit(lease.assignmentID, labels: ["spam"])
            #expect(late.status == .ok, "the imported judgment stands: \(late.text)")
            let ben = LoopClient(server: server, token: people[1].token)
            let second = try #require(try await ben.next(queue.name), "one slot is still open")
            #expect(try await ben.submit(second.assignmentID, labels: ["spam"]).status == .created)
            let cara = LoopClient(server: server, token: people[2].token)
            #expect(try await cara.next(queue.name) == nil, "overlap 2 is met")
            #expect(try await server.store.stats(of: queue.id) == QueueStats(
                items: 1, completedItems: 1, judgments: 2, skips: 0, resolvedItems: 1, unresolvedItems: 0))
        }
    }
}
