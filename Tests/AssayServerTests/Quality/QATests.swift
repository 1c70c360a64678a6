import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

/// QA review over real HTTP: sampling, verdicts, overturns, blind review, and the report.
@Suite("QA review")
struct QATests {
    private func qaQueue(_ server: LiveServer, blind: Bool) async throws -> Queue {
        let queue = try await Fixtures.queue(server.store, overlap: 1)
        try await Fixtures.items(server.store, into: queue, count: 6)
        let updated = try await server.request(
            .PUT, "/api/v1/queues/\(queue.name)/quality", json: ["qa_rate": 1, "qa_blind": .bool(blind)])
        try #require(updated.status == .ok, "\(updated.text)")
        return try await server.store.queue(queue.name)
    }

    @Test("every sampled judgment is reviewed once; a wrong one overturns the final label and shows in the report and the QA score",
          arguments: TestBackend.allCases)
    func reviewAndOverturn(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await qaQueue(server, blind: false)
            let annotator = try await Fixtures.annotators(server.store, count: 1)[0]
            let client = LoopClient(server: server, token: annotator.token)
            while let lease = try await client.next(queue.name) {
                _ = try await client.submit(lease.assignmentID, labels: ["none"])
            }
            let reviewer = try await Fixtures.token(server.store, role: .qaReviewer, name: "Rev")
            #expect(try await server.request(.POST, "/api/v1/queues/\(queue.name)/qa/next", token: annotator.token).status == .forbidden)
            var reviewed = 0
            while true {
                let next = try await server.request(.POST, "/api/v1/queues/\(queue.name)/qa/next", token: reviewer)
                if next.status == .noContent { break }
                try #require(next.status == .ok, "\(next.text)")
                let task = try next.object()
                #expect(task["judged_labels"]?.arrayValue == ["none"])
                let reviewID = Int64(try #require(task["review"]?.objectValue?["id"]?.doubleValue))
                let externalID = try #require(task["item"]?.objectValue?["external_id"]?.stringValue)
                let wrong = ["item-0001", "item-0002", "item-0003"].contains(externalID)
                if wrong {
                    let missingSeverity = try await server.request(
                        .POST, "/api/v1/qa/\(reviewID)", token: reviewer, json: ["correct": false, "labels": ["spam"]])
                    #expect(missingSeverity.status == .unprocessableEntity && missingSeverity.reason.contains("severity"))
                } else {
                    // "Correct" beside other labels says two things: refused rather than one of them dropped.
                    let contradictory = try await server.request(
                        .POST, "/api/v1/qa/\(reviewID)", token: reviewer, json: ["correct": true, "labels": ["spam"]])
                    #expect(contradictory.status == .unprocessableEntity && contradictory.reason.hasPrefix("labels: differ from the annotator's"),
                            "\(contradictory.reason)")
                    let typo = try await server.request(
                        .POST, "/api/v1/qa/\(reviewID)", token: reviewer, json: ["correct": true, "error_categry": "x"])
                    #expect(typo.status == .unprocessableEntity && typo.reason.hasPrefix("error_categry: not a field here"), "\(typo.reason)")
                }
                let verdict: JSONValue = wrong
                    ? ["correct": false, "labels": ["spam"], "severity": "critical", "error_category": "missed_scam"]
                    : ["correct": true]
                let done = try await server.request(.POST, "/api/v1/qa/\(reviewID)", token: reviewer, json: verdict)
                #expect(done.status == .ok, "\(done.text)")
                let again = try await server.request(.POST, "/api/v1/qa/\(reviewID)", token: reviewer, json: verdict)
                #expect(again.status == .conflict)
                reviewed += 1
            }
            #expect(reviewed == 6, "qa_rate 1 samples every judgment once")
            let finals = try await server.store.finalLabels(in: queue.id, after: nil, limit: 10)
            for final in finals {
                let wrong = ["item-0001", "item-0002", "item-0003"].contains(final.externalID)
                #expect(final.labels == (wrong ? ["spam"] : ["none"]))
                #expect(final.provenance == (wrong ? .qaOverturn : .unanimous))
            }
            let report = try await server.request(.GET, "/api/v1/queues/\(queue.name)/qa/report")
            let overall = try #require(try report.object()["overall"]?.objectValue)
            #expect(overall["reviewed"]?.doubleValue == 6 && overall["errors"]?.doubleValue == 3)
            #expect(overall["critical_errors"]?.doubleValue == 3)
            #expect(overall["false_negatives"]?.objectValue?["spam"]?.doubleValue == 3, "missed scams")
            #expect(overall["false_positives"]?.objectValue?["none"]?.doubleValue == 3)
            let rate = try #require(overall["error_rate"]?.doubleValue)
            #expect(rate == 0.5 && overall["error_lower"]!.doubleValue! < 0.5 && overall["error_upper"]!.doubleValue! > 0.5)
            let annotators = try #require(try report.object()["annotators"]?.arrayValue).compactMap(\.objectValue)
            #expect(annotators.count == 1 && annotators[0]["key"]?.stringValue == annotator.person.externalID)
            #expect(try report.object()["pending"]?.doubleValue == 0)
            // The overturns count in the annotator's running QA score, next to their gold accuracy.
            let scores = try #require(try await server.request(.GET, "/api/v1/queues/\(queue.name)/scores").object()["annotators"]?.arrayValue)
            let qa = try #require(scores.first?.objectValue?["qa"]?.objectValue)
            #expect(qa["answered"]?.doubleValue == 6 && qa["correct"]?.doubleValue == 3 && qa["accuracy"]?.doubleValue == 0.5)
            let recent = try await server.request(.GET, "/api/v1/queues/\(queue.name)/scores?window=2").object()["annotators"]?.arrayValue
            #expect(recent?.first?.objectValue?["qa"]?.objectValue?["answered"]?.doubleValue == 2, "the window counts the last reviews")
            let audit = try await server.request(.GET, "/api/v1/audit?queue=\(queue.name)&action=final_label.overturned")
            #expect(try audit.object()["data"]?.arrayValue?.count == 3)
            let typo = try await server.request(.GET, "/api/v1/audit?queue=\(queue.name)&action=final_label.overturnd")
            #expect(typo.status == .unprocessableEntity && typo.reason.contains("'final_label.overturnd' is not an action the audit log records"),
                    "\(typo.text)")
        }
    }

    @Test("blind review hides the annotator's answer and decides the verdict from the reviewer's own labels",
          arguments: TestBackend.allCases)
    func blindReview(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await qaQueue(server, blind: true)
            let annotator = try await Fixtures.annotators(server.store, count: 1)[0]
            let client = LoopClient(server: server, token: annotator.token)
            let lease = try #require(try await client.next(queue.name))
            _ = try await client.submit(lease.assignmentID, labels: ["hate"])
            let reviewer = try await Fixtures.token(server.store, role: .qaReviewer, name: "Rev")
            let next = try await server.request(.POST, "/api/v1/queues/\(queue.name)/qa/next", token: reviewer)
            try #require(next.status == .ok, "\(next.text)")
            #expect(!next.text.contains("hate"), "nothing in a blind task gives the answer away: \(next.text)")
            #expect(try next.object()["judged_labels"] == nil)
            let reviewID = Int64(try #require(try next.object()["review"]?.objectValue?["id"]?.doubleValue))
            let withoutLabels = try await server.request(.POST, "/api/v1/qa/\(reviewID)", token: reviewer, json: ["correct": true])
            #expect(withoutLabels.status == .unprocessableEntity && withoutLabels.reason.contains("own labels"))
            let done = try await server.request(
                .POST, "/api/v1/qa/\(reviewID)", token: reviewer, json: ["labels": ["harassment"], "severity": "minor"])
            #expect(done.status == .ok, "\(done.text)")
            #expect(try done.object()["correct"] == .bool(false))
            #expect(try done.object()["errors"]?.arrayValue?.count == 2, "missed harassment, over-enforced hate")
        }
    }

    @Test("a wrong judgment on a tied item leaves it to its arbitrator: still unresolved, its case open, no resolution counted",
          arguments: TestBackend.allCases)
    func tieWaitsForArbitration(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store, overlap: 2)
            try await Fixtures.items(server.store, into: queue, count: 1)
            #expect(try await server.request(.PUT, "/api/v1/queues/\(queue.name)/quality", json: ["qa_rate": 1]).status == .ok)
            for (annotator, label) in zip(try await Fixtures.annotators(server.store, count: 2), ["spam", "none"]) {
                let client = LoopClient(server: server, token: annotator.token)
                _ = try await client.submit(try #require(try await client.next(queue.name)).assignmentID, labels: [label])
            }
            let reviewer = try await Fixtures.token(server.store, role: .qaReviewer, name: "Rev")
            let next = try await server.request(.POST, "/api/v1/queues/\(queue.name)/qa/next", token: reviewer)
            try #require(next.status == .ok, "\(next.text)")
            let reviewID = Int64(try #require(try next.object()["review"]?.objectValue?["id"]?.doubleValue))
            let judged = try #require(try next.object()["judged_labels"]?.arrayValue?.first?.stringValue)
            let right = judged == "spam" ? "none" : "spam"
            let done = try await server.request(
                .POST, "/api/v1/qa/\(reviewID)", token: reviewer, json: ["correct": false, "labels": [.string(right)], "severity": "minor"])
            #expect(done.status == .ok, "\(done.text)")
            let final = try #require(try await server.store.finalLabels(in: queue.id, after: nil, limit: 1).first)
            #expect(final.provenance == .unresolved, "a QA reviewer does not settle a tie: \(final)")
            let open = try await server.store.arbitrationFiles(in: queue, state: .open, after: nil, limit: 10, now: server.clock.now)
            #expect(open.count == 1, "the case waits for its arbitrator")
            #expect(try await server.store.stats(of: queue.id).resolvedItems == 0)
            // The arbitrator settles it, and the resolution counts once, alike in the stats and the KPIs.
            let arbitrator = try await Fixtures.token(server.store, role: .arbitrator, name: "Arb")
            let decided = try await server.request(
                .POST, "/api/v1/arbitration/\(try #require(open.first).arbitrationCase.id)/decision", token: arbitrator,
                json: ["labels": [.string(right)]])
            #expect(decided.status == .ok, "\(decided.text)")
            #expect(try await server.store.stats(of: queue.id).resolvedItems == 1)
            let kpis = try await server.request(.GET, "/api/v1/kpis?by=queue&queues=\(queue.name)&days=1")
            // (The queue has no SLA; resolved items are the denominator of the model-decided share.)
            #expect(try kpis.object()["total"]?.objectValue?["model_decided"]?.objectValue?["answered"]?.doubleValue == 1, "\(kpis.text)")
        }
    }

    @Test("a reviewer is never given their own judgment", arguments: TestBackend.allCases)
    func notOwnJudgment(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await qaQueue(server, blind: false)
            let person = try await server.store.createPerson(PersonDraft(name: "Rev", role: .qaReviewer), now: server.clock.now)
            let token = try await server.store.issueToken(for: person.id, now: server.clock.now).value
            let client = LoopClient(server: server, token: token)
            let lease = try #require(try await client.next(queue.name))
            _ = try await client.submit(lease.assignmentID, labels: ["none"])
            #expect(try await server.request(.POST, "/api/v1/queues/\(queue.name)/qa/next", token: token).status == .noContent)
        }
    }
}
