import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import SQLKit
import Testing

@Suite("Imports")
struct ImportTests {
    @Test("re-importing the same external ids adds nothing", arguments: TestBackend.allCases)
    func idempotentItems(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store)
            let first = try await Fixtures.items(store, into: queue, count: 1_200)
            #expect(first == ImportReport(received: 1_200, inserted: 1_200, duplicates: 0))
            let again = try await Fixtures.items(store, into: queue, count: 1_300)
            #expect(again == ImportReport(received: 1_300, inserted: 100, duplicates: 1_200))
            let repeated = try await store.importItems(
                [ItemDraft(externalID: "x", content: ["text": "a"]), ItemDraft(externalID: "x", content: ["text": "b"])],
                into: queue, now: Date())
            #expect(repeated.inserted == 1, "a repeat inside one batch is a duplicate too")
            #expect(try await store.stats(of: queue.id).items == 1_301)
        }
    }

    @Test("two imports of the same ids in opposite orders at once both succeed, every item once (PostgreSQL deadlocked one)",
          arguments: TestBackend.allCases)
    func crossedImports(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store)
            let drafts = (1...5_000).map { ItemDraft(externalID: "x-\($0)", content: ["text": .string("row \($0)")]) }
            for round in 0..<3 {
                let ids = drafts.map { ItemDraft(externalID: "\(round)-\($0.externalID)", content: $0.content) }
                async let forwards = store.importItems(ids, into: queue, now: Date())
                async let backwards = store.importItems(ids.reversed(), into: queue, now: Date())
                let (one, two) = try await (forwards, backwards)
                #expect(one.inserted + two.inserted == 5_000 && one.duplicates + two.duplicates == 5_000, "\(one) \(two)")
            }
            #expect(try await store.stats(of: queue.id).items == 15_000)
        }
    }

    @Test("a batch commits only if what it waits for before committing succeeds; batches commit in the order they chain",
          arguments: TestBackend.allCases)
    func batchesCommitInOrder(on backend: TestBackend) async throws {
        struct Refused: Error {}
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store)
            let drafts = (1...6).map { ItemDraft(externalID: "it-\($0)", content: ["text": .string("post \($0)")]) }
            await #expect(throws: Refused.self) {
                try await store.importItems(Array(drafts[0..<3]), into: queue, now: Date()) { throw Refused() }
            }
            #expect(try await store.items(in: queue.id, after: nil, limit: 10).isEmpty)
            #expect(try await store.stats(of: queue.id).items == 0)

            // Two batches at once, the second waiting for the first, as `assay import` runs them on PostgreSQL. (On
            // SQLite the second would hold the one writer the first needs: imports there go one batch at a time.)
            guard backend == .postgres else { return }
            let ids = try await store.reserveItemIDs(6)
            let first = Task {
                try await store.importItems(Array(drafts[0..<3]), into: queue, now: Date(), ids: ids.map { Array($0[0..<3]) })
            }
            let second = try await store.importItems(Array(drafts[3..<6]), into: queue, now: Date(), ids: ids.map { Array($0[3..<6]) }) {
                _ = try await first.value
            }
            #expect(try await first.value.inserted == 3 && second.inserted == 3)
            #expect(try await store.items(in: queue.id, after: nil, limit: 10).map(\.externalID) == drafts.map(\.externalID))
            #expect(try await store.stats(of: queue.id).items == 6)
        }
    }

    @Test("judgments made elsewhere land with final labels; a bad row stops the whole batch",
          arguments: TestBackend.allCases)
    func judgmentsFromOtherTools(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store, overlap: 2)
            try await Fixtures.items(store, into: queue, count: 3)
            let at = Date(timeIntervalSince1970: 1_780_000_000)
            func row(_ item: String, _ worker: String, _ label: String, line: Int) -> ImportedJudgment {
                ImportedJudgment(
                    itemExternalID: item, annotatorExternalID: worker, labels: [label], rationale: nil,
                    startedAt: at.addingTimeInterval(-20), submittedAt: at, line: line)
            }
            let bad = [row("item-0001", "vendor-a", "spam", line: 2), row("item-0009", "vendor-b", "spam", line: 3)]
            await #expect(throws: AssayError.invalidInput(
                field: "item_external_id", line: 3,
                reason: "no item 'item-0009' in queue 'comments-en'; import the items first")
            ) { try await store.importJudgments(bad, into: queue, now: Date()) }
            await #expect(throws: AssayError.self) {
                try await store.importJudgments([row("item-0001", "vendor-a", "spamm", line: 4)], into: queue, now: Date())
            }
            #expect(try await store.stats(of: queue.id).judgments == 0, "nothing landed")

            let good = [
                row("item-0001", "vendor-a", "spam", line: 2), row("item-0001", "vendor-b", "spam", line: 3),
                row("item-0002", "vendor-a", "hate", line: 4), row("item-0002", "vendor-b", "none", line: 5),
                row("item-0003", "vendor-a", "none", line: 6),
            ]
            let report = try await store.importJudgments(good, into: queue, now: Date())
            #expect(report == ImportReport(received: 5, inserted: 5, duplicates: 0, createdAnnotators: 2))
            let again = try await store.importJudgments(good, into: queue, now: Date())
            #expect(again == ImportReport(received: 5, inserted: 0, duplicates: 5, createdAnnotators: 0))
            // A file of corrected labels does not rewrite judgments, and says which rows it could not apply.
            var corrected = good
            corrected[1] = row("item-0001", "vendor-b", "hate", line: 3)
            corrected[3] = row("item-0002", "vendor-b", "hate", line: 5)
            let differing = try await store.importJudgments(corrected, into: queue, now: Date())
            #expect(differing == ImportReport(
                received: 5, inserted: 0, duplicates: 5, createdAnnotators: 0, differing: 2, differingLines: [3, 5]))
            #expect(try await store.finalLabels(in: queue.id, after: nil, limit: 10).first?.labels == ["spam"], "the stored labels stay")
            let encoded = String(decoding: try JSONEncoder().encode(differing), as: UTF8.self)
            #expect(encoded.contains(#""duplicates_differing":2"#) && encoded.contains(#""duplicates_differing_lines":[3,5]"#))
            // Reports kept by earlier versions (a finished job's) read without the new keys.
            let older = try JSONDecoder().decode(
                ImportReport.self, from: Data(#"{"received": 2, "inserted": 1, "duplicates": 1, "created_annotators": 0}"#.utf8))
            #expect(older == ImportReport(received: 2, inserted: 1, duplicates: 1))
            // The two people the import made are in the audit log, once.
            let made = try await store.auditEvents(AuditFilter(entity: "person", action: .personCreated))
            #expect(made.compactMap { $0.after?.objectValue?["external_id"]?.stringValue }.sorted() == ["vendor-a", "vendor-b"])
            #expect(made.allSatisfy { $0.actorID == nil && $0.reason?.contains("judgments imported") == true })

            let labels = try await store.finalLabels(in: queue.id, after: nil, limit: 10)
            #expect(labels.map(\.externalID) == ["item-0001", "item-0002"])
            #expect(labels[0].labels == ["spam"])
            #expect(labels[0].provenance == .unanimous)
            #expect(labels[1].provenance == .unresolved)
            #expect(try await store.stats(of: queue.id) == QueueStats(
                items: 3, completedItems: 2, judgments: 5, skips: 0, resolvedItems: 1, unresolvedItems: 1))

            // A person who does not label, and a time to come, are refused by line.
            let lead = try await store.createPerson(PersonDraft(externalID: "dana", name: "Dana", role: .analyst), now: Date())
            await #expect(throws: AssayError.invalidInput(
                field: "annotator_external_id", line: 3,
                reason: "'dana' is an analyst, who does not label: judgments are made by annotators, arbitrators and QA reviewers")
            ) { try await store.importJudgments([row("item-0001", "vendor-a", "spam", line: 2), row("item-0002", lead.externalID, "spam", line: 3)], into: queue, now: Date()) }
            let future = ImportedJudgment(
                itemExternalID: "item-0001", annotatorExternalID: "vendor-a", labels: ["spam"], rationale: nil,
                startedAt: nil, submittedAt: Date().addingTimeInterval(3_600), line: 7)
            let later = await #expect(throws: AssayError.self) { try await store.importJudgments([future], into: queue, now: Date()) }
            #expect(later?.description.hasPrefix("line 7: submitted_at: ") == true && later?.description.contains("is in the future") == true)
            await #expect(throws: AssayError.invalidInput(
                field: "annotator_external_id", line: 9,
                reason: "'vendor-c' already judged item 'item-0003' on line 8; a file gives each person's judgment of an item once")
            ) { try await store.importJudgments([row("item-0003", "vendor-c", "spam", line: 8), row("item-0003", "vendor-c", "none", line: 9)], into: queue, now: Date()) }
            #expect(try await store.stats(of: queue.id).judgments == 5, "nothing more landed")
            // vendor-a judged every item elsewhere, so Assay has nothing to route to them.
            let vendorA = try await store.people(ofVendor: nil, after: nil, limit: 10).first { $0.externalID == "vendor-a" }!
            #expect(try await store.leaseNextItem(in: queue, for: vendorA, now: Date()) == nil)
        }
    }

    @Test("tokens are stored as SHA-256 hashes, never as given", arguments: TestBackend.allCases)
    func hashedTokens(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let person = try await store.createPerson(PersonDraft(name: "Ana", role: .annotator), now: Date())
            let token = try await store.issueToken(for: person.id, now: Date())
            let stored = try await store.sql().raw("SELECT token_hash FROM api_tokens").all(decodingColumn: "token_hash", as: String.self)
            #expect(stored.count == 1)
            #expect(stored[0] != token.value)
            #expect(stored[0].count == 64)
            #expect(try await store.person(authenticatedBy: token)?.id == person.id)
            #expect(try await store.person(authenticatedBy: TokenSecret("assay_guess")) == nil)
            try await store.revokeTokens(of: person.id, now: Date())
            #expect(try await store.person(authenticatedBy: token) == nil)
        }
    }
}

@Suite("Final labels, page by page")
struct FinalLabelPageTests {
    struct Stop: Error {}

    @Test("pages come in item order, each label once, the next read while the last is handled; an error stops the walk",
          arguments: TestBackend.allCases)
    func pages(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store)
            try await Fixtures.items(store, into: queue, count: 23)
            let label = try #require(queue.schema.labels.first).code
            _ = try await store.importJudgments(
                (1...23).map {
                    ImportedJudgment(
                        itemExternalID: String(format: "item-%04d", $0), annotatorExternalID: "vendor-a", labels: [label],
                        rationale: nil, startedAt: nil, submittedAt: Date(), line: $0)
                },
                into: queue, now: Date())
            var pages: [[FinalLabel]] = []
            try await store.forEachFinalLabelPage(in: queue.id, pageSize: 5) { pages.append($0) }
            #expect(pages.map(\.count) == [5, 5, 5, 5, 3])
            #expect(pages.joined().map(\.externalID) == (1...23).map { String(format: "item-%04d", $0) })

            let tenth = pages[1][4].itemID
            var rest: [FinalLabel] = []
            try await store.forEachFinalLabelPage(in: queue.id, after: tenth, pageSize: 5) { rest += $0 }
            #expect(rest.map(\.externalID) == (11...23).map { String(format: "item-%04d", $0) })

            var handled = 0
            await #expect(throws: Stop.self) {
                try await store.forEachFinalLabelPage(in: queue.id, pageSize: 5) { _ in
                    handled += 1
                    throw Stop()
                }
            }
            #expect(handled == 1)
        }
    }
}
