import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

@Suite("Judgments made elsewhere, over HTTP")
struct JudgmentImportTests {
    /// A request body is checked as a file is: every bad row at once, not one per round trip.
    @Test("a body with several bad rows is refused listing each, and nothing is stored", arguments: TestBackend.allCases)
    func everyBadRowListed(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store)
            try await Fixtures.items(server.store, into: queue, count: 3)
            _ = try await server.store.createPerson(PersonDraft(externalID: "ana-lyst", name: "Ana", role: .analyst), now: Date())
            let people = try await server.store.people(ofVendor: nil, after: nil, limit: 100).count
            let csv = """
                item_external_id,annotator_external_id,label,submitted_at
                item-0001,w-1,spam,2026-11-02T10:00:00Z
                item-0002,w-1,Spam,2026-11-02T10:00:00Z
                item-9999,w-1,spam,2026-11-02T10:00:00Z
                item-0003,ana-lyst,spam,2026-11-02T10:00:00Z
                item-0003,w-2,hatred,2026-11-02T10:00:00Z

                """
            let refused = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/judgments", body: Data(csv.utf8), contentType: "text/csv")
            #expect(refused.status == .unprocessableEntity)
            let lines = refused.reason.split(separator: "\n").map(String.init)
            #expect(lines.count == 4, "\(refused.reason)")
            #expect(zip(lines, ["line 3: labels:", "line 4: item_external_id:", "line 5: annotator_external_id:", "line 6: labels:"])
                .allSatisfy { $0.hasPrefix($1) }, "\(refused.reason)")
            #expect(try await server.store.stats(of: queue.id).judgments == 0)
            #expect(try await server.store.people(ofVendor: nil, after: nil, limit: 100).count == people, "w-1 and w-2 were not kept")
            // A row that cannot be read (a time without a zone) is listed with the other rows' bad labels.
            let unreadable = csv.replacingOccurrences(of: "item-0001,w-1,spam,2026-11-02T10:00:00Z", with: "item-0001,w-1,spam,2026-11-02T10:00:00")
            let both = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/judgments", body: Data(unreadable.utf8), contentType: "text/csv")
            let listed = both.reason.split(separator: "\n").map(String.init)
            #expect(zip(listed, ["line 2: submitted_at:", "line 3: labels:", "line 6: labels:"]).allSatisfy { $0.hasPrefix($1) }
                && listed.count == 3, "\(both.reason)")
        }
    }

    /// Ids are matched exactly: `Ana-Lyst` made a new annotator beside the analyst `ana-lyst`, whose check it passed.
    @Test("an annotator id spelt in other letters' case than a stored one is refused, naming the stored one",
          arguments: TestBackend.allCases)
    func caseTwinsRefused(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store)
            try await Fixtures.items(server.store, into: queue, count: 2)
            _ = try await server.store.createPerson(PersonDraft(externalID: "ana-lyst", name: "Ana", role: .analyst), now: Date())
            _ = try await server.store.createPerson(PersonDraft(externalID: "w-1", name: "W", role: .annotator), now: Date())
            let csv = """
                item_external_id,annotator_external_id,label,submitted_at
                item-0001,Ana-Lyst,spam,2026-11-02T10:00:00Z
                item-0002,W-1,spam,2026-11-02T10:00:00Z

                """
            let refused = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/judgments", body: Data(csv.utf8), contentType: "text/csv")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.reason.contains("line 2: annotator_external_id: 'Ana-Lyst' is no one here, but 'ana-lyst' is"), "\(refused.reason)")
            #expect(refused.reason.contains("line 3: annotator_external_id: 'W-1' is no one here, but 'w-1' is"), "\(refused.reason)")
            // With a control character in an id, the row is refused before anyone is looked up.
            let bell = "item_external_id,annotator_external_id,label,submitted_at\nitem-0001,w\u{7}2,spam,2026-11-02T10:00:00Z\n"
            let rung = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/judgments", body: Data(bell.utf8), contentType: "text/csv")
            #expect(rung.status == .unprocessableEntity && rung.reason.contains("control character U+0007"), "\(rung.reason)")
            #expect(try await server.store.stats(of: queue.id).judgments == 0)
        }
    }
}
