import AssayCore
import AssayTesting
import Foundation
import NIOHTTP1
import SQLKit
import Testing

@testable import AssayStore

/// Versioned guidelines over real HTTP.
@Suite("Guidelines")
struct GuidelineTests {
    @Test("versions, the version each judgment was made under, the change between versions, and recertification",
          arguments: TestBackend.allCases)
    func guidelineVersions(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let queue = try await Fixtures.queue(store)
            try await Fixtures.items(store, into: queue, count: 4)
            let admin = try #require(try await store.person(authenticatedBy: TokenSecret(server.adminToken)))
            _ = try await store.setGold(labels: ["hate"], rationale: nil, onItem: 4, by: admin, now: server.clock.now)
            let path = "/api/v1/queues/\(queue.name)/guidelines"
            let v1 = try await server.request(.POST, path, json: [
                "markdown": "# Policy\nHate: attacks on protected groups.\nSpam: unsolicited ads.",
                "passages": ["hate": "Attacks on protected groups.", "spam": "Unsolicited ads."],
            ])
            #expect(v1.status == .created, "\(v1.text)")
            #expect(try v1.object()["version"]?.doubleValue == 1)

            let annotator = try await Fixtures.annotators(store, count: 1)[0]
            let client = LoopClient(server: server, token: annotator.token)
            let lease = try #require(try await client.next(queue.name))
            let submitted = try await client.submit(lease.assignmentID, labels: ["none"])
            #expect(try submitted.object()["judgment"]?.objectValue?["guideline_version"]?.doubleValue == 1)

            let v2 = try await server.request(.POST, path, json: [
                "markdown": "# Policy\nHate: attacks on protected groups, including coded slurs.\nSpam: unsolicited ads.",
                "passages": ["hate": "Attacks on protected groups, including coded slurs.", "spam": "Unsolicited ads."],
            ])
            #expect(v2.status == .created)
            let current = try await server.request(.GET, "\(path)/current", token: annotator.token)
            #expect(try current.object()["version"]?.doubleValue == 2, "annotators read the guidelines")
            #expect(try await server.request(.POST, path, token: annotator.token, json: ["markdown": "x"]).status == .forbidden)

            let change = try await server.request(.GET, "\(path)/2/change")
            try #require(change.status == .ok, "\(change.text)")
            let body = try change.object()
            #expect(body["changed_labels"]?.arrayValue == ["hate"])
            #expect(body["gold_items_touched"]?.arrayValue == [4])
            let diff = try #require(body["diff"]?.arrayValue).compactMap(\.objectValue)
            #expect(diff.map { $0["kind"]?.stringValue ?? "" } == ["same", "removed", "added", "same"])
            let first = try await server.request(.GET, "\(path)/1/change")
            #expect(first.status == .unprocessableEntity && first.reason == "version: version 1 is the first; there is no change to show",
                    "\(first.reason)")
            let unknown = try await server.request(.GET, "\(path)/9/change")
            #expect(unknown.status == .notFound && unknown.reason.contains("'9'"), "the version asked for: \(unknown.reason)")
            let annotatorChange = try await server.request(.GET, "\(path)/2/change", token: annotator.token)
            #expect(annotatorChange.status == .forbidden && annotatorChange.reason.contains("see what a guideline change touches"),
                    "\(annotatorChange.reason)")

            let unknownLabel = try await server.request(.POST, path, json: ["markdown": "x", "passages": ["fraud": "…"]])
            #expect(unknownLabel.status == .unprocessableEntity && unknownLabel.reason.contains("'fraud'"))
            let empty = try await server.request(.POST, path, json: ["markdown": "  \n "])
            #expect(empty.status == .unprocessableEntity)
            #expect(try await server.request(.GET, "\(path)/9").status == .notFound)
            let versions = try await server.request(.GET, path)
            #expect(try versions.json([Guideline].self).map(\.version) == [2, 1], "nothing was added by the bad drafts")

            let v3 = try await server.request(.POST, path, json: ["markdown": "# Policy v3", "recertify": true])
            #expect(v3.status == .created)
            let blocked = try await server.request(.POST, "/api/v1/queues/\(queue.name)/next", token: annotator.token)
            #expect(blocked.status == .forbidden && blocked.reason.contains("recertification required for guidelines version 3"))
        }
    }

    @Test("the version in force is the newest already in effect: the same for the page, a live submit and an import",
          arguments: TestBackend.allCases)
    func versionInForce(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let queue = try await Fixtures.queue(store, overlap: 2)
            try await Fixtures.items(store, into: queue, count: 4)
            let path = "/api/v1/queues/\(queue.name)/guidelines"
            let start = server.clock.now
            // Version 2 is published first but takes effect tomorrow; version 1 stays in force until then.
            #expect(try await server.request(.POST, path, json: ["markdown": "# v1"]).status == .created)
            let tomorrow = Timestamp.format(start.addingTimeInterval(86_400))
            #expect(try await server.request(.POST, path, json: ["markdown": "# v2", "effective_at": .string(tomorrow)]).status == .created)

            let annotator = try await Fixtures.annotators(store, count: 1)[0]
            let client = LoopClient(server: server, token: annotator.token)
            func inForce() async throws -> Double? {
                try await server.request(.GET, "\(path)/current", token: annotator.token).object()["version"]?.doubleValue
            }
            func liveSubmit() async throws -> Double? {
                let lease = try #require(try await client.next(queue.name))
                let submitted = try await client.submit(lease.assignmentID, labels: ["none"])
                return try submitted.object()["judgment"]?.objectValue?["guideline_version"]?.doubleValue
            }
            #expect(try await inForce() == 1)
            #expect(try await liveSubmit() == 1)

            server.clock.advance(by: 2 * 86_400)
            #expect(try await inForce() == 2)
            #expect(try await liveSubmit() == 2)

            // Imported judgments are stamped by when they were made: an hour after the start, version 1; now, version 2.
            let lines = [
                #"{"item_external_id": "item-0003", "annotator_external_id": "elsewhere", "labels": ["spam"], "submitted_at": "\#(Timestamp.format(start.addingTimeInterval(3_600)))"}"#,
                #"{"item_external_id": "item-0004", "annotator_external_id": "elsewhere", "labels": ["spam"], "submitted_at": "\#(Timestamp.format(server.clock.now))"}"#,
            ].joined(separator: "\n")
            let imported = try await server.request(.POST, "/api/v1/queues/\(queue.name)/judgments", body: Data(lines.utf8), contentType: "application/x-ndjson")
            try #require(imported.status == .created || imported.status == .ok, "\(imported.text)")
            let stamped = try await store.sql().raw("""
                SELECT i.external_id, j.guideline_version FROM judgments j JOIN items i ON i.id = j.item_id
                WHERE j.origin <> 'assay' ORDER BY i.external_id
                """).all().map { (try $0.decode(column: "external_id", as: String.self), try $0.decode(column: "guideline_version", as: Int?.self)) }
            #expect(stamped.map(\.0) == ["item-0003", "item-0004"])
            #expect(stamped.map(\.1) == [1, 2])
        }
    }
}
