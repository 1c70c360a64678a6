import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

/// Qualification exams over real HTTP.
@Suite("Qualification exams")
struct ExamTests {
    @Test("a queue that requires qualification admits only those who passed one; passing lifts a suspension; a training exam shows the answers, retires its gold and grants nothing",
          arguments: TestBackend.allCases)
    func qualification(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let queue = try await Fixtures.queue(store)
            try await Fixtures.items(store, into: queue, count: 6, prefix: "exam")
            try await Fixtures.items(store, into: queue, count: 15)
            let arbitrator = try await Fixtures.token(store, role: .arbitrator, name: "Arb")
            let gold = (1...6).map { #"{"external_id": "exam-000\#($0)", "labels": ["\#($0 <= 2 ? "spam" : "none")"], "rationale": "reason \#($0)"}"# }
            let imported = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/gold", token: arbitrator, body: Data(gold.joined(separator: "\n").utf8),
                contentType: "application/x-ndjson")
            #expect(imported.status == .ok)
            _ = try await server.request(.POST, "/api/v1/queues/\(queue.name)/guidelines", json: [
                "markdown": "# Policy", "passages": ["spam": "Unsolicited ads and scams."],
            ])
            #expect(try await server.request(.PUT, "/api/v1/queues/\(queue.name)/quality", json: ["requires_qualification": true]).status == .ok)
            let annotator = try await Fixtures.annotators(store, count: 1)[0]
            let noExam = try await server.request(.POST, "/api/v1/queues/\(queue.name)/next", token: annotator.token)
            #expect(noExam.status == .forbidden && noExam.reason.contains("has no qualification exam yet"), "\(noExam.text)")
            let items: [JSONValue] = (1...4).map { .string("exam-000\($0)") }
            let exam = try await server.request(.POST, "/api/v1/queues/\(queue.name)/exams", token: arbitrator, json: [
                "name": "Spam basics", "items": .array(items), "pass_mark": 0.75, "qualification_days": 30,
            ])
            try #require(exam.status == .created, "\(exam.text)")
            let examID = try #require(try exam.object()["id"]?.stringValue)
            let notGold = try await server.request(.POST, "/api/v1/queues/\(queue.name)/exams", token: arbitrator, json: [
                "name": "Bad", "items": ["item-0001"], "pass_mark": 0.5,
            ])
            #expect(notGold.status == .unprocessableEntity && notGold.reason.contains("not an active gold item"))
            let forever = try await server.request(.POST, "/api/v1/queues/\(queue.name)/exams", token: arbitrator, json: [
                "name": "Forever", "items": ["exam-0001"], "pass_mark": 0.5, "retake_after_hours": 721,
            ])
            #expect(forever.status == .unprocessableEntity && forever.reason.contains("retake_after_hours: must be 0 to 720"),
                    "\(forever.text)")

            let listed = try await server.request(.GET, "/api/v1/queues/\(queue.name)/exams", token: annotator.token)
            #expect(!listed.text.contains("item_ids"), "candidates do not see which items are in the exam")
            let blocked = try await server.request(.POST, "/api/v1/queues/\(queue.name)/next", token: annotator.token)
            #expect(blocked.status == .forbidden && blocked.reason.contains("needs a current qualification")
                    && blocked.reason.contains("pass its qualification exam 'Spam basics' first"), "\(blocked.text)")

            // A training exam on two more gold items: it shows their answers, so they leave the scored gold.
            let practice = try await server.request(.POST, "/api/v1/queues/\(queue.name)/exams", token: arbitrator, json: [
                "name": "Spam practice", "items": ["exam-0005", "exam-0006"], "pass_mark": 0.5, "training": true,
            ])
            try #require(practice.status == .created, "\(practice.text)")
            let practiceID = try #require(try practice.object()["id"]?.stringValue)
            let goldList = try await server.request(.GET, "/api/v1/queues/\(queue.name)/gold", token: arbitrator)
            let states = Dictionary(uniqueKeysWithValues: try #require(try goldList.object()["data"]?.arrayValue).compactMap {
                item -> (String, String)? in
                guard let id = item.objectValue?["item_external_id"]?.stringValue, let state = item.objectValue?["state"]?.stringValue else { return nil }
                return (id, state)
            })
            #expect(states == ["exam-0001": "active", "exam-0002": "active", "exam-0003": "active", "exam-0004": "active",
                               "exam-0005": "retired", "exam-0006": "retired"], "\(goldList.text)")
            let retirements = try await server.request(.GET, "/api/v1/audit?queue=\(queue.name)&action=gold.retired")
            #expect(try #require(try retirements.object()["data"]?.arrayValue).count == 2
                    && retirements.text.contains("shown with its answer in training exam 'Spam practice'"), "\(retirements.text)")
            let created = try await server.request(.GET, "/api/v1/audit?queue=\(queue.name)&action=exam.created")
            #expect(try #require(try created.object()["data"]?.arrayValue).count == 2)
            let reused = try await server.request(.POST, "/api/v1/queues/\(queue.name)/exams", token: arbitrator, json: [
                "name": "Spam practice 2", "items": ["exam-0005"], "pass_mark": 0.5, "training": true,
            ])
            #expect(reused.status == .created, "retired gold may be used again in training: \(reused.text)")
            let shown = try await server.request(.POST, "/api/v1/queues/\(queue.name)/exams", token: arbitrator, json: [
                "name": "Entry 2", "items": ["exam-0005"], "pass_mark": 0.5,
            ])
            #expect(shown.status == .unprocessableEntity && shown.reason.contains("not an active gold item"),
                    "a qualification exam takes no gold whose answer training showed: \(shown.text)")
            let answersGivenAway = try await server.request(.POST, "/api/v1/queues/\(queue.name)/exams", token: arbitrator, json: [
                "name": "Spam practice 3", "items": ["exam-0001"], "pass_mark": 0.5, "training": true,
            ])
            #expect(answersGivenAway.status == .unprocessableEntity
                    && answersGivenAway.reason.contains("in the qualification exam 'Spam basics'"),
                    "a training exam may not show the answers a qualification exam asks for: \(answersGivenAway.text)")
            // Setting a shown item's reference again (the gold file imported once more) leaves it retired.
            let again = try await server.request(
                .POST, "/api/v1/queues/\(queue.name)/gold", token: arbitrator, body: Data(gold.joined(separator: "\n").utf8),
                contentType: "application/x-ndjson")
            #expect(again.status == .ok, "\(again.text)")
            let afterImport = try await server.request(.GET, "/api/v1/queues/\(queue.name)/gold", token: arbitrator)
            #expect(afterImport.text.components(separatedBy: "\"retired\"").count - 1 == 2, "\(afterImport.text)")

            // First attempt: wrong on two of four (50% < 75%): failed, still not qualified.
            func sit(_ examID: String = examID, answers: [String: String] = [
                "exam-0001": "spam", "exam-0002": "spam", "exam-0003": "none", "exam-0004": "none",
            ], training: Bool = false, wrongOn wrong: Set<String>) async throws -> [String: JSONValue] {
                for _ in 0..<answers.count {
                    let next = try await server.request(.POST, "/api/v1/exams/\(examID)/next", token: annotator.token)
                    try #require(next.status == .ok, "\(next.text)")
                    let item = try next.object()
                    let externalID = try #require(item["external_id"]?.stringValue)
                    let right = try #require(answers[externalID])
                    let answer = wrong.contains(externalID) ? (right == "spam" ? "none" : "spam") : right
                    let reply = try await server.request(.POST, "/api/v1/exams/\(examID)/answers", token: annotator.token, json: [
                        "item_id": item["id"]!, "labels": [.string(answer)],
                    ])
                    try #require(reply.status == .ok, "\(reply.text)")
                    let feedback = try reply.object()
                    if training {
                        #expect(feedback["reference"]?.arrayValue == [.string(right)], "training shows the reference")
                        if right == "spam" { #expect(feedback["guideline_passage"]?.stringValue == "Unsolicited ads and scams.") }
                    } else {
                        #expect(feedback["reference"] == nil && feedback["correct"] == nil, "a qualification exam shows no answer")
                    }
                    if feedback["result"] != nil { return feedback }
                }
                Issue.record("\(answers.count) answers did not finish the attempt")
                return [:]
            }
            let failed = try await sit(wrongOn: ["exam-0001", "exam-0003"])
            #expect(failed["result"]?.objectValue?["passed"] == .bool(false))
            #expect(try await server.request(.POST, "/api/v1/queues/\(queue.name)/next", token: annotator.token).status == .forbidden)
            // A failed attempt waits a day (the default) before the next: attempts at once would give the answers away
            // one score at a time.
            let tooSoon = try await server.request(.POST, "/api/v1/exams/\(examID)/next", token: annotator.token)
            #expect(tooSoon.status == .conflict && tooSoon.reason.contains("may be sat again from")
                    && tooSoon.reason.contains("24 h after a failed attempt"), "\(tooSoon.text)")
            let summary = try await server.request(.GET, "/api/v1/queues/\(queue.name)/exams", token: annotator.token)
            #expect(summary.text.contains(#""retake_after_hours":24"#), "\(summary.text)")
            server.clock.advance(by: 23 * 3_600)
            #expect(try await server.request(.POST, "/api/v1/exams/\(examID)/next", token: annotator.token).status == .conflict)
            server.clock.advance(by: 3_600)

            // They label elsewhere meanwhile (a judgment imported from the vendor's tool), so a new guideline version
            // with recertification suspends them; a second attempt at 75% passes and requalifies.
            _ = try await store.importJudgments([
                ImportedJudgment(
                    itemExternalID: "item-0001", annotatorExternalID: annotator.person.externalID, labels: ["none"],
                    rationale: nil, startedAt: nil, submittedAt: server.clock.now, line: 2)
            ], into: queue, now: server.clock.now)
            _ = try await store.publishGuideline(
                GuidelineDraft(markdown: "# Policy v2", passages: ["spam": "Unsolicited ads and scams."], recertify: true),
                for: queue, by: try #require(try await store.person(authenticatedBy: TokenSecret(server.adminToken))), now: server.clock.now)
            // Passing the training exam, whose answers it shows, neither qualifies nor lifts the suspension.
            let practised = try await sit(
                practiceID, answers: ["exam-0005": "none", "exam-0006": "none"], training: true, wrongOn: [])
            #expect(practised["result"]?.objectValue?["passed"] == .bool(true))
            #expect(practised["result"]?.objectValue?["qualified_until"] == nil, "\(practised)")
            let stillOut = try await server.request(.POST, "/api/v1/queues/\(queue.name)/next", token: annotator.token)
            #expect(stillOut.status == .forbidden, "\(stillOut.text)")
            let passed = try await sit(wrongOn: ["exam-0004"])
            let result = try #require(passed["result"]?.objectValue)
            #expect(result["passed"] == .bool(true) && result["score"]?.doubleValue == 0.75)
            #expect(result["qualified_until"]?.stringValue != nil)
            let working = try await server.request(.POST, "/api/v1/queues/\(queue.name)/next", token: annotator.token)
            #expect(working.status == .ok, "qualified and reinstated: \(working.text)")
            // The exam's items are gold, and training showed their answers: at a gold rate of 50% (seeded, so that
            // some leases draw gold), none of them is served to this annotator as gold; the production items are.
            // Gold is served only while ordinary work is left, so there is plenty: about half of these leases draw gold
            // (the draws are seeded), and every one of them must fall back to an ordinary item.
            let client = LoopClient(server: server, token: annotator.token)
            _ = try await client.submit(try #require(try await client.next(queue.name)).assignmentID, labels: ["spam"])
            #expect(try await server.request(.PUT, "/api/v1/queues/\(queue.name)/quality", json: [
                "requires_qualification": true, "gold_rate": 0.5,
            ]).status == .ok)
            var served: [String] = []
            while let lease = try await client.next(queue.name) {
                served.append(lease.externalID)
                _ = try await client.submit(lease.assignmentID, labels: ["spam"])
            }
            #expect(served.count == 13 && served.allSatisfy { $0.hasPrefix("item-") }, "\(served)")
            let audit = try await server.request(.GET, "/api/v1/audit?queue=\(queue.name)&entity=person&entity_id=\(annotator.person.id)")
            let actions = try #require(try audit.object()["data"]?.arrayValue).compactMap { $0.objectValue?["action"]?.stringValue }
            #expect(actions == ["exam.passed", "member.status_changed", "exam.passed", "member.status_changed", "exam.failed"])
        }
    }
}
