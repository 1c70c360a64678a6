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
