import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import SQLKit
import Testing

/// Codes stored by versions that split at the first `-` only (`zh-HANS-CN`, `en_us`) are rewritten in the casing
/// routing compares, so items and people from before still meet; a code that is none is left, not blanked.
@Suite("Migration 045: language codes")
struct LanguageCodesMigrationTests {
    @Test("old-format codes are rewritten on items, queues and people; non-codes are left", arguments: TestBackend.allCases)
    func rewritesOldCodes(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store, languages: ["zh-Hans-CN"])
            try await Fixtures.items(store, into: queue, count: 1, language: "zh-Hans-CN", prefix: "zh")
            try await Fixtures.items(store, into: queue, count: 1, language: "en-US", prefix: "us")
            try await Fixtures.items(store, into: queue, count: 1, language: "en", prefix: "en")
            let reader = try await store.createPerson(PersonDraft(name: "Li", role: .annotator, languages: ["zh-Hans"]), now: now)
            // As an older version stored them.
            let sql = try store.sql()
            try await sql.raw("UPDATE items SET language = 'zh-HANS-CN' WHERE external_id = 'zh-0001'").run()
            try await sql.raw("UPDATE items SET language = 'en_us' WHERE external_id = 'us-0001'").run()
            try await sql.raw("UPDATE items SET language = 'english' WHERE external_id = 'en-0001'").run()
            try await sql.raw(#"UPDATE queues SET languages = '["zh-HANS-CN"]'"#).run()
            try await sql.raw(#"UPDATE people SET languages = '["zh-HANS"]' WHERE external_id = 'li'"#).run()

            try await database.rerun([NormalizeLanguageCodes()])

            let items = try await store.items(in: queue.id, after: nil, limit: 10)
            #expect(Dictionary(uniqueKeysWithValues: items.map { ($0.externalID, $0.language ?? "") })
                == ["zh-0001": "zh-Hans-CN", "us-0001": "en-US", "en-0001": "english"])
            #expect(try await store.queue(queue.name).languages == ["zh-Hans-CN"])
            let migrated = try await store.person(reader.id)
            #expect(migrated.languages == ["zh-Hans"])
            // And they meet again: the zh-Hans reader is leased the zh-Hans-CN item.
            let lease = try await store.leaseNextItem(in: try await store.queue(queue.name), for: migrated, now: now)
            #expect(lease?.item.externalID == "zh-0001")
        }
    }
}

/// The database, not a check before the insert, keeps a predictor version to one unfinished run per queue.
@Suite("Migration 044: one running LLM run")
struct OneRunningLLMRunTests {
    @Test("a second running run of one predictor on one queue is refused by the index; finished ones are not", arguments: TestBackend.allCases)
    func secondRunningRunIsRefused(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let queue = try await Fixtures.queue(database.store)
            let sql = try database.store.sql()
            let predictor = UUID()
            try await sql.raw("""
                INSERT INTO predictors (id, name, version, kind, created_at_ms) VALUES (\(bind: predictor), 'triage', 'p1', 'llm', 0)
                """).run()
            func insertRun(_ state: String) async throws {
                try await sql.raw("""
                    INSERT INTO llm_runs (id, queue_id, predictor_id, config, state, started_at_ms)
                    VALUES (\(bind: UUID()), \(bind: queue.id), \(bind: predictor), '{}', \(bind: state), 0)
                    """).run()
            }
            try await insertRun("finished")
            try await insertRun("finished")
            try await insertRun("running")
            await #expect(throws: (any Error).self) { try await insertRun("running") }
        }
    }
}

/// A queue's calibration sessions have one name each, as its exams do.
@Suite("Migration 046: unique calibration names")
struct UniqueCalibrationNamesTests {
    @Test("sessions of older versions sharing a name keep the oldest's and get their ids after theirs; a second create is a 409",
          arguments: TestBackend.allCases)
    func duplicatesRenamedThenRefused(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store)
            let other = try await Fixtures.queue(store, name: "other")
            // As an older version could store them: no index, three "Week 48" in one queue, one in another (on the
            // writer: schema changes on SQLite go through the connection that writes).
            let ids = (0..<4).map { _ in UUID() }
            try await store.transaction { [queue, other] sql in
                try await sql.raw("DROP INDEX calibration_sessions_by_name").run()
                for (index, (id, queueID)) in zip(ids, [queue.id, queue.id, queue.id, other.id]).enumerated() {
                    try await sql.raw("""
                        INSERT INTO calibration_sessions (id, queue_id, name, item_ids, participants, opens_at_ms, closes_at_ms, created_at_ms)
                        VALUES (\(bind: id), \(bind: queueID), 'Week 48', '[]', '{}', 0, 1, \(bind: Int64(index)))
                        """).run()
                }
                try await sql.raw("CREATE INDEX calibration_sessions_by_name ON calibration_sessions (queue_id)").run()  // what revert drops
            }
            let sql = try store.sql()

            try await database.rerun([UniqueCalibrationNames()])

            let names = Dictionary(uniqueKeysWithValues: try await sql.raw("SELECT id, name FROM calibration_sessions").all().map {
                (try $0.uuid("id"), try $0.string("name"))
            })
            #expect(names[ids[0]] == "Week 48" && names[ids[3]] == "Week 48", "the oldest in each queue keeps its name")
            for id in ids[1...2] { #expect(names[id] == "Week 48 (\(id.uuidString.lowercased()))" || names[id] == "Week 48 (\(id.uuidString))", "\(names[id] ?? "")") }
            // A create of a taken name is a conflict; the same draft named otherwise is made.
            try await Fixtures.items(store, into: queue, count: 1)
            let admin = try await store.createPerson(PersonDraft(name: "Ada", role: .admin), now: Date())
            let item = try #require(try await store.items(in: queue.id, after: nil, limit: 1).first)
            _ = try await store.setGold(labels: ["spam"], rationale: nil, onItem: item.id, by: admin, now: Date())
            var draft = CalibrationDraft(
                name: "Week 48", items: [item.externalID], participants: .init(people: ["ada"]), closesAt: Date().addingTimeInterval(86_400))
            await #expect(throws: AssayError.conflict("queue '\(queue.name)' has a calibration session named 'Week 48' already; name this one otherwise")) {
                try await store.createCalibration(draft, in: queue, now: Date())
            }
            draft.name = "Week 49"
            #expect(try await store.createCalibration(draft, in: queue, now: Date()).name == "Week 49")
        }
    }
}

/// Ids stored decomposed by older versions are found again under their own spelling.
@Suite("Migration 047: composed external ids")
struct ComposeExternalIDsTests {
    @Test("decomposed item and person ids are composed; one whose composed form is taken is left", arguments: TestBackend.allCases)
    func composesStoredIDs(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store)
            let (composed, decomposed) = ("caf\u{E9}", "cafe\u{301}")
            _ = try await store.importItems(
                [ItemDraft(externalID: "x-1", content: ["text": "a"]), ItemDraft(externalID: "x-2", content: ["text": "b"]),
                 ItemDraft(externalID: "na\u{EF}ve", content: ["text": "c"])],
                into: queue, now: Date())
            let person = try await store.createPerson(PersonDraft(externalID: "p-1", name: "Jo", role: .annotator), now: Date())
            // As an older version stored them: two decomposed ids, one of which composes to a taken one.
            try await store.transaction { sql in
                try await sql.raw("UPDATE items SET external_id = \(bind: decomposed) WHERE external_id = 'x-1'").run()
                try await sql.raw("UPDATE items SET external_id = \(bind: "nai\u{308}ve") WHERE external_id = 'x-2'").run()
                try await sql.raw("UPDATE people SET external_id = \(bind: "jose\u{301}") WHERE id = \(bind: person.id)").run()
            }

            try await database.rerun([ComposeExternalIDs()])

            let ids = try await store.items(in: queue.id, after: nil, limit: 10).map { Array($0.externalID.utf8) }
            #expect(ids.contains(Array(composed.utf8)), "composed")
            #expect(ids.contains(Array("nai\u{308}ve".utf8)), "left decomposed: its composed form is another item's")
            #expect(Array(try await store.person(person.id).externalID.utf8) == Array("jos\u{E9}".utf8))
        }
    }
}
