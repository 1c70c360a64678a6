import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import SQLKit
import Testing

/// Changes that used to be checked in Swift and then written, made at the same moment. On PostgreSQL (read committed)
/// each of these broke a rule before the database was made to keep it; on SQLite one writer runs at a time, and the
/// same tests say the rules hold there too.
@Suite("Concurrent changes")
struct ConcurrentChangeTests {
    @Test("one arbitrator or QA reviewer asking several times at once holds one case or review", arguments: TestBackend.allCases)
    func oneClaimPerPerson(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            var queue = try await Fixtures.queue(store, overlap: 2, now: now)
            try await Fixtures.items(store, into: queue, count: 6, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            queue = try await store.updateQuality(of: queue, to: QualitySettings(qaRate: 1), by: analyst, now: now)
            // Two annotators disagree on every item: six ties, six open cases, and twelve judgments to review.
            let rows = (1...6).flatMap { number in
                [("vendor-a", "spam"), ("vendor-b", "none")].map { annotator, label in
                    ImportedJudgment(
                        itemExternalID: String(format: "item-%04d", number), annotatorExternalID: annotator, labels: [label],
                        rationale: nil, startedAt: nil, submittedAt: now.addingTimeInterval(-60), line: number)
                }
            }
            _ = try await store.importJudgments(rows, into: queue, now: now)
            let ada = try await store.createPerson(PersonDraft(name: "Ada", role: .arbitrator), now: now)
            let rev = try await store.createPerson(PersonDraft(name: "Rev", role: .qaReviewer), now: now)
            let asked = queue
            let cases = try await withThrowingTaskGroup(of: Int64?.self) { group in
                for _ in 0..<8 { group.addTask { try await store.leaseArbitrationCase(in: asked, for: ada, now: now)?.arbitrationCase.id } }
                return try await group.reduce(into: Set<Int64?>()) { $0.insert($1) }
            }
            #expect(cases.count == 1 && cases.first! != nil, "every call answers the one case she holds: \(cases)")
            let reviews = try await withThrowingTaskGroup(of: Int64?.self) { group in
                for _ in 0..<8 { group.addTask { try await store.nextQAReview(in: asked, for: rev, now: now)?.review.id } }
                return try await group.reduce(into: Set<Int64?>()) { $0.insert($1) }
            }
            #expect(reviews.count == 1 && reviews.first! != nil, "every call answers the one review he holds: \(reviews)")
            let held = try await store.sql().raw("""
                SELECT (SELECT COUNT(*) FROM arbitration_cases WHERE leased_by = \(bind: ada.id)) AS cases,
                       (SELECT COUNT(*) FROM qa_reviews WHERE reviewer_id = \(bind: rev.id) AND state = 'leased') AS reviews
                """).first()!
            #expect(try held.int("cases") == 1 && held.int("reviews") == 1)
        }
    }

    @Test("a QA verdict at the moment of an appeal leaves the appeal's case on an unresolved item; counters match the table",
          arguments: TestBackend.allCases)
    func verdictBesideAppeal(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            var queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 40, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            queue = try await store.updateQuality(of: queue, to: QualitySettings(qaRate: 1), by: analyst, now: now)
            let rows = (1...40).map { number in
                ImportedJudgment(
                    itemExternalID: String(format: "item-%04d", number), annotatorExternalID: "vendor-a", labels: ["spam"],
                    rationale: nil, startedAt: nil, submittedAt: now.addingTimeInterval(-60), line: number)
            }
            _ = try await store.importJudgments(rows, into: queue, now: now)
            let rev = try await store.createPerson(PersonDraft(name: "Rev", role: .qaReviewer), now: now)
            while let task = try await store.nextQAReview(in: queue, for: rev, now: now) {
                async let verdict = store.submitQAReview(
                    task.review.id, verdict: QAVerdict(correct: false, labels: ["none"], severity: .minor), by: rev, now: now)
                async let appeal = store.appeal(itemID: task.review.itemID, note: "looks fine", by: analyst, now: now)
                _ = try await (verdict, appeal)
            }
            let sql = try store.sql()
            let wrong = try await sql.raw("""
                SELECT COUNT(*) AS n FROM arbitration_cases c JOIN final_labels f ON f.item_id = c.item_id
                WHERE c.queue_id = \(bind: queue.id) AND c.state = 'open' AND f.provenance <> 'unresolved'
                """).first()!.int("n")
            #expect(wrong == 0, "an open appeal sits on a resolved label \(wrong) times")
            let table = try await sql.raw("""
                SELECT CAST(SUM(CASE WHEN provenance = 'unresolved' THEN 0 ELSE 1 END) AS BIGINT) AS resolved,
                       CAST(SUM(CASE WHEN provenance = 'unresolved' THEN 1 ELSE 0 END) AS BIGINT) AS unresolved
                FROM final_labels WHERE queue_id = \(bind: queue.id)
                """).first()!
            let stats = try await store.stats(of: queue.id)
            let (resolved, unresolved) = (try table.int("resolved"), try table.int("unresolved"))
            #expect(stats.resolvedItems == resolved && stats.unresolvedItems == unresolved,
                    "counters \(stats.resolvedItems)/\(stats.unresolvedItems), table \(resolved)/\(unresolved)")
        }
    }

    @Test("two changes of different quality settings at once both stay, and each logs what it replaced",
          arguments: TestBackend.allCases)
    func settingsChangedTogether(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            for round in 1...5 {
                let rate = Double(round) / 100
                async let gold = store.updateQuality(of: queue, by: analyst, now: now) { var s = $0; s.goldRate = rate; return s }
                async let qa = store.updateQuality(of: queue, by: analyst, now: now) { var s = $0; s.qaRate = rate; return s }
                _ = try await (gold, qa)
                let stored = try await store.sql().raw("SELECT quality FROM queues WHERE id = \(bind: queue.id)").first()!
                let settings = try JSONDecoder().decode(QualitySettings.self, from: Data(try stored.string("quality").utf8))
                #expect(settings.goldRate == rate && settings.qaRate == rate, "round \(round): \(settings)")
            }
            // Oldest first, each change's `before` is the `after` of the one it followed.
            let changes = try await store.auditEvents(AuditFilter(action: .queueQualityChanged)).reversed()
            #expect(changes.count == 10)
            for (earlier, later) in zip(changes, changes.dropFirst()) {
                #expect(later.before == earlier.after)
            }
        }
    }

    /// Auto-accept's claim on an item was a conditional update whose "no final label yet" was a subquery: PostgreSQL
    /// does not re-read it after waiting for a decision's lock on the item, so the model's label overwrote the
    /// arbitrator's and the item was counted completed twice.
    @Test("auto-accept switched on while arbitrators decide: no decision is overwritten, counters match the table",
          arguments: TestBackend.allCases)
    func autoAcceptBesideDecisions(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 300, now: now)
            // Each item escalated by the one who leased it: an open case, no judgment, every place open.
            let annotator = try await Fixtures.annotators(store, count: 1, now: now)[0].person
            while let lease = try await store.leaseNextItem(in: queue, for: annotator, now: now) {
                _ = try await store.escalate(lease.assignment.id, note: "unsure", by: annotator, now: now)
            }
            let model = Predictor.Reference(name: "triage", version: "1")
            let sure = (1...300).map { PredictionDraft(itemExternalID: String(format: "item-%04d", $0), labels: ["spam"], confidence: 0.99) }
            _ = try await store.importPredictions(sure, from: model, into: queue, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            // The predictor is the queue's already (its suggestions shown): turning auto-accept on changes nothing else.
            let shown = try await store.updateAssist(
                of: queue, to: AssistSettings(predictor: model, showPredictions: true), by: analyst, now: now)
            var arbitrators: [Person] = []
            for name in ["Ada", "Bo", "Cy", "Di"] {
                arbitrators.append(try await store.createPerson(PersonDraft(name: name, role: .arbitrator), now: now))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for arbitrator in arbitrators {
                    group.addTask {
                        while let file = try await store.leaseArbitrationCase(in: queue, for: arbitrator, now: now) {
                            _ = try await store.decide(
                                file.arbitrationCase.id, labels: ["none"], rationale: nil, promoteToGold: false, by: arbitrator, now: now)
                        }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(100))
                    _ = try await store.updateAssist(
                        of: shown,
                        to: AssistSettings(predictor: model, showPredictions: true, autoAccept: AutoAccept(threshold: 0.9, auditRate: 0)),
                        by: analyst, now: now)
                }
                try await group.waitForAll()
            }
            let sql = try store.sql()
            let overwritten = try await sql.raw("""
                SELECT COUNT(*) AS n FROM arbitration_cases c JOIN final_labels f ON f.item_id = c.item_id
                WHERE c.queue_id = \(bind: queue.id) AND c.state = 'decided' AND f.provenance <> 'arbitration'
                """).first()!.int("n")
            #expect(overwritten == 0, "decisions overwritten by the model: \(overwritten)")
            // An item someone sent to an arbitrator is the arbitrator's: the model takes none of them.
            let taken = try await sql.raw("""
                SELECT COUNT(*) AS n FROM final_labels WHERE queue_id = \(bind: queue.id) AND provenance = 'model'
                """).first()!.int("n")
            #expect(taken == 0, "escalated items auto-accepted: \(taken)")
            let labelled = try await sql.raw("SELECT COUNT(*) AS n FROM final_labels WHERE queue_id = \(bind: queue.id)").first()!.int("n")
            let stats = try await store.stats(of: queue.id)
            #expect(labelled == 300 && stats.completedItems == 300 && stats.resolvedItems == 300, "\(stats)")
        }
    }

    @Test("a training exam and a qualification exam over the same gold, made at once: one of them is refused",
          arguments: TestBackend.allCases)
    func examsOverTheSameGold(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            let queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 80, now: now)
            let ada = try await store.createPerson(PersonDraft(name: "Ada", role: .arbitrator), now: now)
            for item in try await store.items(in: queue.id, after: nil, limit: 80) {
                _ = try await store.setGold(labels: ["spam"], rationale: nil, onItem: item.id, by: ada, now: now)
            }
            // Four rounds, each over twenty gold items of its own.
            for round in 0..<4 {
                let items = (1...20).map { String(format: "item-%04d", round * 20 + $0) }
                async let training = outcome {
                    try await store.createExam(
                        ExamDraft(name: "training-\(round)", items: items, passMark: 0.8, training: true), in: queue, by: ada, now: now)
                }
                async let qualification = outcome {
                    try await store.createExam(ExamDraft(name: "entry-\(round)", items: items, passMark: 0.8), in: queue, by: ada, now: now)
                }
                let made = await [training, qualification].filter { (try? $0.get()) != nil }
                #expect(made.count == 1, "round \(round): exactly one exam is made")
            }
        }
    }
}

/// The result of an async throwing body, success or failure.
private func outcome<Value>(_ body: () async throws -> Value) async -> Result<Value, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
