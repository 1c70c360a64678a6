import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

@Suite("The labeling loop over HTTP")
struct LabelingLoopTests {
    @Test("import → next → submit → final label → export", arguments: TestBackend.allCases)
    func wholeLoop(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let created = try await server.request(.POST, "/api/v1/queues", json: [
                "name": "comments-en", "overlap": 2, "languages": ["en"],
                "schema": ["kind": "single_choice", "labels": [["code": "hate"], ["code": "none"]]],
            ])
            #expect(created.status == .created, "\(created.text)")

            let items = "external_id,text,language,priority\nc-1,first comment,en,1\nc-2,second comment,en,5\n"
            let imported = try await server.request(
                .POST, "/api/v1/queues/comments-en/items", body: Data(items.utf8), contentType: "text/csv")
            #expect(imported.status == .created)
            #expect(try imported.object()["inserted"] == 2)

            let people = try await Fixtures.annotators(server.store, count: 2, languages: ["en"])
            let ana = LoopClient(server: server, token: people[0].token)
            let ben = LoopClient(server: server, token: people[1].token)
            // Priority 5 comes first.
            let first = try #require(try await ana.next("comments-en"))
            #expect(first.externalID == "c-2")
            #expect(try await ana.submit(first.assignmentID, labels: ["hate"]).status == .created)
            let second = try #require(try await ana.next("comments-en"))
            #expect(second.externalID == "c-1")
            #expect(try await ana.submit(second.assignmentID, labels: ["none"]).status == .created)
            #expect(try await ana.next("comments-en") == nil, "each item once per person")

            for _ in 0..<2 {
                let lease = try #require(try await ben.next("comments-en"))
                // Ben says hate to both: c-2 becomes unanimous, c-1 a 1–1 tie.
                #expect(try await ben.submit(lease.assignmentID, labels: ["hate"]).status == .created)
            }
            #expect(try await ben.next("comments-en") == nil)

            let stats = try await server.request(.GET, "/api/v1/queues/comments-en/stats").object()
            #expect(stats["items"] == 2)
            #expect(stats["completed_items"] == 2)
            #expect(stats["judgments"] == 4)
            #expect(stats["resolved_items"] == 1)
            #expect(stats["unresolved_items"] == 1)

            let export = try await server.request(.GET, "/api/v1/queues/comments-en/export?format=jsonl")
            #expect(export.status == .ok)
            let lines = export.text.split(separator: "\n").map { try! JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
            #expect(lines.count == 2)
            let byID = Dictionary(uniqueKeysWithValues: lines.map { ($0["external_id"]!.stringValue!, $0) })
            #expect(byID["c-2"]?["labels"] == ["hate"])
            #expect(byID["c-2"]?["provenance"] == "unanimous")
            #expect(byID["c-1"]?["provenance"] == "unresolved")
            #expect(byID["c-1"]?["unresolved_reason"] == "tie")

            let csv = try await server.request(.GET, "/api/v1/queues/comments-en/export?format=csv")
            let rows = csv.text.split(separator: "\n")
            #expect(rows.first == "external_id,item_id,labels,provenance,confidence,judgment_count,unresolved_reason,decided_at")
            #expect(rows.count == 3)
        }
    }

    @Test("32 concurrent annotators, overlap 3: every item ends with exactly 3 judgments from 3 people",
          arguments: TestBackend.allCases)
    func concurrentAnnotators(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, overlap: 3)
            try await Fixtures.items(server.store, into: queue, count: 60)
            let people = try await Fixtures.annotators(server.store, count: 32)
            let submitted = try await withThrowingTaskGroup(of: Int.self) { group in
                for person in people {
                    group.addTask {
                        let client = LoopClient(server: server, token: person.token)
                        var count = 0
                        while let lease = try await client.next(queue.name) {
                            let reply = try await client.submit(lease.assignmentID, labels: ["spam"], clientKey: "k\(lease.assignmentID)")
                            try #require(reply.status == .created, "\(reply.status) \(reply.text)")
                            count += 1
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(submitted == 180, "every slot filled once, nothing lost")
            var labeled = 0
            for page in try await server.store.items(in: queue.id, after: nil, limit: 100) {
                let judgments = try await server.store.judgments(of: page.id)
                #expect(judgments.count == 3, "item \(page.externalID)")
                #expect(Set(judgments.map(\.annotatorID)).count == 3, "three different people on \(page.externalID)")
                labeled += 1
            }
            #expect(labeled == 60)
            let stats = try await server.store.stats(of: queue.id)
            #expect(stats == QueueStats(items: 60, completedItems: 60, judgments: 180, skips: 0, resolvedItems: 60, unresolvedItems: 0))
        }
    }

    @Test("an expired lease returns the item to the pool", arguments: TestBackend.allCases)
    func leaseExpiry(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, overlap: 1, leaseSeconds: 60)
            try await Fixtures.items(server.store, into: queue, count: 1)
            let people = try await Fixtures.annotators(server.store, count: 2)
            let ana = LoopClient(server: server, token: people[0].token)
            let ben = LoopClient(server: server, token: people[1].token)

            let held = try #require(try await ana.next(queue.name))
            #expect(try await ana.next(queue.name)?.assignmentID == held.assignmentID, "asking again returns the held lease")
            #expect(try await ben.next(queue.name) == nil, "the only slot is leased")
            // Half-way, the same lease comes back with the time held and the time left (a page reloaded mid-item).
            server.clock.advance(by: 30)
            let again = try await server.request(.POST, "/api/v1/queues/\(queue.name)/next", token: people[0].token)
            let assignment = try #require(try again.object()["assignment"]?.objectValue)
            // The server's clock runs on with real time between the requests (seconds, on a busy machine): the time
            // held is at least the 30 s moved, and held and left add up to the 60 s lease.
            let heldFor = try #require(assignment["held_seconds"]?.doubleValue), left = try #require(assignment["lease_seconds"]?.doubleValue)
            #expect(heldFor >= 30 && (59...61).contains(heldFor + left), "\(again.text)")

            server.clock.advance(by: 31)
            // On PostgreSQL the sweeper may hold the expired lease's row at this moment; `next` skips locked rows
            // rather than wait, so the slot can come back a sweep later: ask again briefly, as a client would.
            var freed = try await ben.next(queue.name)
            for _ in 0..<20 where freed == nil {
                try await Task.sleep(for: .milliseconds(100))
                freed = try await ben.next(queue.name)
            }
            let taken = try #require(freed, "the expired lease freed the slot")
            #expect(taken.itemID == held.itemID)

            let late = try await ana.submit(held.assignmentID, labels: ["none"])
            #expect(late.status == .conflict)
            #expect(late.reason.contains("expired"))
            #expect(try await ben.submit(taken.assignmentID, labels: ["spam"]).status == .created)
            #expect(try await server.store.judgments(of: held.itemID).count == 1)

            // The item ana let expire was decided by ben: escalating it would reopen his decision (an appeal, which
            // is not an annotator's), and skipping it gives back nothing.
            let escalated = try await server.request(
                .POST, "/api/v1/assignments/\(held.assignmentID)/escalate", token: people[0].token, json: ["note": "look again"])
            #expect(escalated.status == .conflict && escalated.reason.contains("expired: only an item you hold can be escalated"),
                    "\(escalated.text)")
            #expect(try await ana.skip(held.assignmentID).status == .noContent)
            #expect(try await server.store.stats(of: queue.id).skips == 0, "an expired lease is not a skip")
            let cases = try await server.request(.GET, "/api/v1/queues/\(queue.name)/arbitration")
            #expect(try #require(try cases.object()["data"]?.arrayValue).isEmpty, "\(cases.text)")
            #expect(try await server.store.finalLabels(in: queue.id, after: nil, limit: 10).map(\.labels) == [["spam"]])
        }
    }

    @Test("a late submit still counts while the slot is free", arguments: TestBackend.allCases)
    func lateSubmitWithFreeSlot(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, overlap: 1, leaseSeconds: 60)
            try await Fixtures.items(server.store, into: queue, count: 1)
            let ana = LoopClient(server: server, token: try await Fixtures.annotators(server.store, count: 1)[0].token)
            let held = try #require(try await ana.next(queue.name))
            server.clock.advance(by: 61)
            try await server.store.reclaimExpiredLeases(now: server.clock.now)
            #expect(try await ana.submit(held.assignmentID, labels: ["none"]).status == .created)
            #expect(try await server.store.stats(of: queue.id).completedItems == 1)
        }
    }

    @Test("a skipped item goes to someone else, never back to the skipper", arguments: TestBackend.allCases)
    func skip(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, overlap: 1)
            try await Fixtures.items(server.store, into: queue, count: 1)
            let people = try await Fixtures.annotators(server.store, count: 2)
            let ana = LoopClient(server: server, token: people[0].token)
            let ben = LoopClient(server: server, token: people[1].token)
            let lease = try #require(try await ana.next(queue.name))
            #expect(try await ana.skip(lease.assignmentID).status == .noContent)
            #expect(try await ana.skip(lease.assignmentID).status == .noContent, "skipping twice is harmless")
            #expect(try await ana.next(queue.name) == nil)
            #expect(try await ben.next(queue.name)?.itemID == lease.itemID)
            #expect(try await ana.submit(lease.assignmentID, labels: ["none"]).status == .conflict)
            let escalated = try await server.request(
                .POST, "/api/v1/assignments/\(lease.assignmentID)/escalate", token: people[0].token, json: ["note": "unsure"])
            #expect(escalated.status == .conflict && escalated.reason.contains("was skipped"), "\(escalated.text)")
            #expect(try await server.store.stats(of: queue.id).skips == 1)
        }
    }

    @Test("submit is idempotent by client key and by assignment", arguments: TestBackend.allCases)
    func idempotentSubmit(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, overlap: 2)
            try await Fixtures.items(server.store, into: queue, count: 1)
            let ana = LoopClient(server: server, token: try await Fixtures.annotators(server.store, count: 1)[0].token)
            let lease = try #require(try await ana.next(queue.name))
            let first = try await ana.submit(lease.assignmentID, labels: ["spam"], clientKey: "retry-1")
            #expect(first.status == .created)
            let again = try await ana.submit(lease.assignmentID, labels: ["spam"], clientKey: "retry-1")
            #expect(again.status == .ok)
            #expect(try again.object()["replayed"] == true)
            let noKey = try await ana.submit(lease.assignmentID, labels: ["spam"])
            #expect(noKey.status == .ok)
            #expect(try first.object()["judgment"]?["id"] == (try again.object()["judgment"]?["id"]))
            #expect(try await server.store.judgments(of: lease.itemID).count == 1)
            #expect(try await server.store.stats(of: queue.id).judgments == 1)
        }
    }

    @Test("routing honours the item's language and market and the queue's", arguments: TestBackend.allCases)
    func routing(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, overlap: 1, languages: ["pt-BR", "es"], markets: ["BR", "MX"])
            try await Fixtures.items(server.store, into: queue, count: 2, language: "pt-BR", market: "BR", prefix: "br")
            try await Fixtures.items(server.store, into: queue, count: 2, language: "es", market: "MX", prefix: "mx")
            let portuguese = try await Fixtures.annotators(server.store, count: 1, prefix: "pt", languages: ["pt"], markets: ["BR"])
            let english = try await Fixtures.annotators(server.store, count: 1, prefix: "en", languages: ["en"], markets: ["US"])
            let client = LoopClient(server: server, token: portuguese[0].token)
            var seen: [String] = []
            while let lease = try await client.next(queue.name) {
                seen.append(lease.externalID)
                #expect(try await client.submit(lease.assignmentID, labels: ["none"]).status == .created)
            }
            #expect(seen.sorted() == ["br-0001", "br-0002"], "a pt reviewer gets pt-BR items of BR only")
            let outsider = try await server.request(.POST, "/api/v1/queues/\(queue.name)/next", token: english[0].token)
            #expect(outsider.status == .forbidden)
            #expect(outsider.reason.contains("does not review"))
        }
    }

    @Test("a reviewer of a regional variant gets that variant and the bare language, never a sibling variant",
          arguments: TestBackend.allCases)
    func regionalVariants(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, overlap: 1, languages: ["pt"])
            for language in ["pt-PT", "pt-BR", "pt"] {
                try await Fixtures.items(server.store, into: queue, count: 1, language: language, market: nil, prefix: language)
            }
            let brazilian = try await Fixtures.annotators(server.store, count: 1, prefix: "br", languages: ["pt-BR"])
            let client = LoopClient(server: server, token: brazilian[0].token)
            var seen: [String] = []
            while let lease = try await client.next(queue.name) {
                seen.append(lease.externalID)
                #expect(try await client.submit(lease.assignmentID, labels: ["none"]).status == .created)
            }
            #expect(seen.sorted() == ["pt-0001", "pt-BR-0001"])
        }
    }
}
