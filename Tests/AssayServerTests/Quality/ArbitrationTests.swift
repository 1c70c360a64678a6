import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

/// Arbitration and appeals over real HTTP.
@Suite("Arbitration and appeals")
struct ArbitrationTests {
    @Test("cases open exactly for the items the rule cannot decide; a decision is final, once, and can make gold",
          arguments: TestBackend.allCases)
    func arbitrationFlow(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let queue = try await Fixtures.queue(store, overlap: 2)
            try await Fixtures.items(store, into: queue, count: 10)
            let people = try await Fixtures.annotators(store, count: 2)
            // Both label all ten; they disagree on the first four: four ties.
            for (index, person) in people.enumerated() {
                let client = LoopClient(server: server, token: person.token)
                while let lease = try await client.next(queue.name) {
                    let number = Int(lease.externalID.suffix(4))!
                    let label = number <= 4 ? (index == 0 ? "spam" : "none") : "none"
                    #expect(try await client.submit(lease.assignmentID, labels: [label]).status == .created)
                }
            }
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: server.clock.now)
            _ = try await store.publishGuideline(
                GuidelineDraft(markdown: "# Policy\n## spam\nUnsolicited ads.\n"), for: queue, by: analyst,
                now: server.clock.now.addingTimeInterval(-1))
            let arbitrator = try await Fixtures.token(store, role: .arbitrator, name: "Arbi")
            let listed = try await server.request(.GET, "/api/v1/queues/\(queue.name)/arbitration", token: arbitrator)
            try #require(listed.status == .ok, "\(listed.text)")
            let files = try #require(try listed.object()["data"]?.arrayValue).compactMap(\.objectValue)
            let caseItems = Set(files.compactMap { $0["item"]?.objectValue?["external_id"]?.stringValue })
            #expect(caseItems == ["item-0001", "item-0002", "item-0003", "item-0004"])
            let first = try #require(files.first)
            #expect(first["case"]?.objectValue?["reason"]?.stringValue == "tie")
            let votes = try #require(first["judgments"]?.arrayValue).compactMap(\.objectValue)
            #expect(votes.count == 2 && votes.allSatisfy { $0["annotator_id"] == nil && $0["annotator_name"] == nil },
                    "who judged is hidden by default")
            #expect(first["final_label"]?.objectValue?["provenance"]?.stringValue == "unresolved")
            let guideline = try #require(first["guideline"]?.objectValue, "the arbitrator sees the guidelines in force")
            #expect(guideline["version"]?.doubleValue == 1 && guideline["passages"]?.objectValue?["spam"]?.stringValue == "Unsolicited ads.")

            // Not for annotators; a label outside the schema changes nothing.
            let caseID = Int64(try #require(first["case"]?.objectValue?["id"]?.doubleValue))
            #expect(try await server.request(.GET, "/api/v1/queues/\(queue.name)/arbitration", token: people[0].token).status == .forbidden)
            #expect(try await server.request(
                .POST, "/api/v1/arbitration/\(caseID)/decision", token: people[0].token, json: ["labels": ["spam"]]).status == .forbidden)
            let bad = try await server.request(
                .POST, "/api/v1/arbitration/\(caseID)/decision", token: arbitrator, json: ["labels": ["nonsense"]])
            #expect(bad.status == .unprocessableEntity)
            let stillOpen = try await server.request(.GET, "/api/v1/arbitration/\(caseID)", token: arbitrator)
            #expect(try stillOpen.object()["case"]?.objectValue?["state"]?.stringValue == "open")

            let decided = try await server.request(
                .POST, "/api/v1/arbitration/\(caseID)/decision", token: arbitrator,
                json: ["labels": ["spam"], "rationale": "Link farm", "promote_to_gold": true])
            #expect(decided.status == .ok, "\(decided.text)")
            #expect(try decided.object()["state"]?.stringValue == "decided")
            let again = try await server.request(
                .POST, "/api/v1/arbitration/\(caseID)/decision", token: arbitrator, json: ["labels": ["none"]])
            #expect(again.status == .conflict)

            let itemID = Int64(try #require(first["item"]?.objectValue?["id"]?.doubleValue))
            let final = try #require(try await store.finalLabels(in: queue.id, after: itemID - 1, limit: 1).first)
            #expect(final.itemID == itemID && final.labels == ["spam"] && final.provenance == .arbitration)
            #expect(try await store.gold(in: queue.id, after: nil, limit: 10).map(\.itemID) == [itemID], "promoted to gold")
            let stats = try await store.stats(of: queue.id)
            #expect(stats.resolvedItems == 7 && stats.unresolvedItems == 3)
            let audit = try await server.request(.GET, "/api/v1/audit?entity=item&entity_id=\(itemID)")
            let actions = try #require(try audit.object()["data"]?.arrayValue).compactMap { $0.objectValue?["action"]?.stringValue }
            #expect(actions == ["gold.set", "final_label.arbitrated"])
        }
    }

    @Test("an appeal reopens a final label until an arbitrator decides it again", arguments: TestBackend.allCases)
    func appealReopens(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let queue = try await Fixtures.queue(store, overlap: 1)
            try await Fixtures.items(store, into: queue, count: 3)
            let annotator = try await Fixtures.annotators(store, count: 1)[0]
            let client = LoopClient(server: server, token: annotator.token)
            while let lease = try await client.next(queue.name) {
                _ = try await client.submit(lease.assignmentID, labels: ["none"])
            }
            let item = try #require(try await store.finalLabels(in: queue.id, after: nil, limit: 1).first)
            let analyst = try await Fixtures.token(store, role: .analyst, name: "Ana")
            #expect(try await server.request(.POST, "/api/v1/items/\(item.itemID)/appeal", token: annotator.token).status == .forbidden)
            let appealed = try await server.request(
                .POST, "/api/v1/items/\(item.itemID)/appeal", token: analyst, json: ["note": "QA says this is harassment"])
            #expect(appealed.status == .created, "\(appealed.text)")
            #expect(try appealed.object()["reason"]?.stringValue == "appeal")
            let twice = try await server.request(.POST, "/api/v1/items/\(item.itemID)/appeal", token: analyst)
            #expect(twice.status == .conflict)
            let reopened = try #require(try await store.finalLabels(in: queue.id, after: nil, limit: 1).first)
            #expect(reopened.labels == nil && reopened.provenance == .unresolved && reopened.unresolvedReason == .appealed)
            #expect(try await store.stats(of: queue.id).unresolvedItems == 1)

            let caseID = Int64(try #require(try appealed.object()["id"]?.doubleValue))
            let arbitrator = try await Fixtures.token(store, role: .arbitrator, name: "Arbi")
            let decided = try await server.request(
                .POST, "/api/v1/arbitration/\(caseID)/decision", token: arbitrator, json: ["labels": ["harassment"]])
            #expect(decided.status == .ok, "\(decided.text)")
            let settled = try #require(try await store.finalLabels(in: queue.id, after: nil, limit: 1).first)
            #expect(settled.labels == ["harassment"] && settled.provenance == .arbitration)
            let stats = try await store.stats(of: queue.id)
            #expect(stats.unresolvedItems == 0 && stats.resolvedItems == 3)
            let unknown = try await server.request(.POST, "/api/v1/items/999999/appeal", token: analyst)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("re-estimating consensus is for weighted and Dawid–Skene queues", arguments: TestBackend.allCases)
    func estimateEndpoint(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let majority = try await Fixtures.queue(server.store)
            let refused = try await server.request(.POST, "/api/v1/queues/\(majority.name)/consensus/estimate")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.reason.contains("nothing to estimate"))
            let created = try await server.request(.POST, "/api/v1/queues", json: [
                "name": "ds", "overlap": 2, "consensus": ["kind": "dawid_skene", "minimum_agreement": 0.8],
                "schema": ["kind": "single_choice", "labels": [["code": "a"], ["code": "b"]]],
            ])
            #expect(created.status == .created, "\(created.text)")
            let multi = try await server.request(.POST, "/api/v1/queues", json: [
                "name": "ds-multi", "consensus": ["kind": "dawid_skene"],
                "schema": ["kind": "multi_choice", "labels": [["code": "a"], ["code": "b"]]],
            ])
            #expect(multi.status == .unprocessableEntity && multi.reason.contains("single-choice and rating"))
            let estimated = try await server.request(.POST, "/api/v1/queues/ds/consensus/estimate")
            #expect(estimated.status == .ok, "\(estimated.text)")
            #expect(try estimated.object()["kind"]?.stringValue == "dawid_skene")
            let annotator = try await Fixtures.annotators(server.store, count: 1)[0].token
            #expect(try await server.request(.POST, "/api/v1/queues/ds/consensus/estimate", token: annotator).status == .forbidden)
        }
    }
}
