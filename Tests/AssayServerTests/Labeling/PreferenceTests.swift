import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

/// Preference (RLHF) queues over HTTP: a choice or a full ranking of the responses, with a rationale.
@Suite("Preference queues over HTTP")
struct PreferenceTests {
    @Test("an annotator ranks the responses or picks one; bad rankings are refused and change nothing", arguments: TestBackend.allCases)
    func rankingsAndChoices(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let queue = try await store.createQueue(
                QueueDraft(
                    name: "rlhf", schema: LabelSchema(
                        kind: .preference, labels: [LabelOption(code: "A"), LabelOption(code: "B"), LabelOption(code: "C")],
                        rationale: .required),
                    overlap: 2),
                now: server.clock.now)
            _ = try await store.importItems(
                [ItemDraft(externalID: "r-1", content: ["prompt": "Best pet?", "responses": ["A cat.", "A dog.", "A rock."]])],
                into: queue, now: server.clock.now)
            let missing = try await server.request(
                .POST, "/api/v1/queues/rlhf/items", body: Data(#"{"external_id": "r-2", "prompt": "Hi"}"#.utf8),
                contentType: "application/x-ndjson")
            #expect(missing.status == .unprocessableEntity && missing.reason.contains("needs a response for 'A'"), "\(missing.text)")

            let people = try await Fixtures.annotators(store, count: 2)
            let first = LoopClient(server: server, token: people[0].token)
            let lease = try #require(try await first.next("rlhf"))
            let path = "/api/v1/assignments/\(lease.assignmentID)/judgment"
            for (body, field) in [
                (["ranking": ["B", "A"], "rationale": "dog"] as JSONValue, "ranking"),
                (["ranking": ["B", "A", "A"], "rationale": "dog"], "ranking"),
                (["ranking": ["B", "A", "C"], "labels": ["A"], "rationale": "dog"], "labels"),
                (["ranking": ["B", "A", "C"]], "rationale"),
            ] {
                let refused = try await server.request(.POST, path, token: first.token, json: body)
                #expect(refused.status == .unprocessableEntity && refused.reason.contains(field), "\(body): \(refused.text)")
            }
            let ranked = try await server.request(
                .POST, path, token: first.token, json: ["ranking": ["B", "A", "C"], "rationale": "Dogs are loyal."])
            #expect(ranked.status == .created, "\(ranked.text)")
            #expect(try ranked.object()["judgment"]?["labels"] == ["B"] && (try ranked.object()["judgment"]?["ranking"]) == ["B", "A", "C"])
            let second = LoopClient(server: server, token: people[1].token)
            let other = try #require(try await second.next("rlhf"))
            let chose = try await server.request(
                .POST, "/api/v1/assignments/\(other.assignmentID)/judgment", token: second.token,
                json: ["labels": ["B"], "rationale": "Warmer answer."])
            #expect(chose.status == .created, "\(chose.text)")
            let judgments = try await store.judgments(of: lease.itemID)
            #expect(judgments.map(\.ranking) == [["B", "A", "C"], nil])
            let final = try await store.finalLabels(in: queue.id, after: nil, limit: 10)
            #expect(final.first?.labels == ["B"] && final.first?.provenance == .unanimous)

            // A ranking on an ordinary queue is refused.
            let plain = try await Fixtures.queue(store, name: "plain")
            try await Fixtures.items(store, into: plain, count: 1)
            let plainLease = try #require(try await first.next("plain"))
            let wrong = try await server.request(
                .POST, "/api/v1/assignments/\(plainLease.assignmentID)/judgment", token: first.token, json: ["ranking": ["spam", "none"]])
            #expect(wrong.status == .unprocessableEntity && wrong.reason.contains("rankings are for preference queues"), "\(wrong.text)")
        }
    }
}
