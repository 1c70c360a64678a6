import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

@Suite("Items imported again")
struct ItemImportTests {
    /// An item already there is skipped: a file of corrected texts imported again must not pass for applied.
    @Test("a row for an item already there with other content is counted apart, with its line; the stored item stays",
          arguments: TestBackend.allCases)
    func differingDuplicatesCounted(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store)
            let first = "external_id,text,priority\nc-1,buy now,1\nc-2,hello,0\n"
            #expect(try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/items", body: Data(first.utf8), contentType: "text/csv").status == .created)
            let again = "external_id,text,priority\nc-1,buy now,1\nc-2,hello there,0\nc-3,new,0\n"
            let answer = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/items", body: Data(again.utf8), contentType: "text/csv")
            #expect(answer.status == .created)
            let report = try answer.object()
            #expect(report["inserted"] == 1 && report["duplicates"] == 2, "\(report)")
            #expect(report["duplicates_differing"] == 1 && report["duplicates_differing_lines"] == [3], "\(report)")
            let stored = try await server.store.items(in: queue.id, after: nil, limit: 10).first { $0.externalID == "c-2" }
            #expect(stored?.content["text"] == "hello", "the stored item stays as it was")
        }
    }
}
