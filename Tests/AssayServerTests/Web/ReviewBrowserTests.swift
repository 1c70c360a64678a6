import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

/// The QA review and arbitration screens in a real headless Chromium, driven by keys.
@Suite("Review and arbitration in a browser", .enabled(if: Browser.shouldRun, "needs chromium and chromium-driver"))
struct ReviewBrowserTests {
    @Test("a QA reviewer overturns a judgment and an arbitrator decides a tie, each with the keyboard alone",
          arguments: TestBackend.allCases)
    func overturnAndDecide(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let now = server.clock.now
            // A QA queue where one annotator called a scam "none"; a second queue where two annotators tie on both items.
            var audited = try await Fixtures.queue(store, name: "ads-qa")
            try await Fixtures.items(store, into: audited, count: 2, prefix: "ad")
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            audited = try await store.updateQuality(of: audited, to: QualitySettings(qaRate: 1), by: analyst, now: now)
            let tied = try await Fixtures.queue(store, name: "ads-tie", overlap: 2)
            try await Fixtures.items(store, into: tied, count: 2, prefix: "tie")
            let people = try await Fixtures.annotators(store, count: 2)
            for (queue, answers, items) in [(audited.name, ["none"], 2), (tied.name, ["spam", "none"], 2)] {
                for (person, label) in zip(people, answers) {
                    for _ in 0..<items {
                        let lease = try await server.request(.POST, "/api/v1/queues/\(queue)/next", token: person.token).object()
                        let assignment = Int64(try #require(lease["assignment"]?.objectValue?["id"]?.doubleValue))
                        let submitted = try await server.request(
                            .POST, "/api/v1/assignments/\(assignment)/judgment", token: person.token, json: ["labels": [.string(label)]])
                        #expect(submitted.status == .created, "\(submitted.text)")
                    }
                }
            }
            let reviewer = try await Fixtures.token(store, role: .qaReviewer, name: "Rev")
            let arbitrator = try await Fixtures.token(store, role: .arbitrator, name: "Arbi")
            let otherArbitrator = try await Fixtures.token(store, role: .arbitrator, name: "Otto")

            try await Browser.with { browser in
                try await browser.signIn(at: server.baseURL, token: reviewer)
                try await browser.open(server.baseURL + "/review/\(audited.name)")
                try await browser.waitUntil("the review is shown") { try await browser.text("#item-id") == "ad-0001" }
                #expect(try await browser.text("#judged-labels") == "No violation", "labels are named as the buttons name them")
                // Left open past its lease, the review goes to another reviewer, who answers first: pressing C here
                // says so and moves on to the next review.
                server.clock.advance(by: Double(audited.leaseSeconds) + 1)
                let otherReviewer = try await Fixtures.token(store, role: .qaReviewer, name: "Ola")
                let taken = try await server.request(.POST, "/api/v1/queues/\(audited.name)/qa/next", token: otherReviewer).object()
                #expect(taken["item"]?["external_id"] == "ad-0001", "\(taken)")
                let takenID = Int(try #require(taken["review"]?["id"]?.doubleValue))
                let answered = try await server.request(.POST, "/api/v1/qa/\(takenID)", token: otherReviewer, json: ["correct": true])
                #expect(answered.status == .ok, "\(answered.text)")
                try await browser.press("c")
                try await browser.waitUntil("the next review, and why") {
                    try await browser.text("#status") == "QA review \(takenID) went to another reviewer meanwhile; here is the next one."
                }
                #expect(try await browser.text("#item-id") == "ad-0002")
                #expect(try await browser.text("#tally") == "0")
                #expect(try await browser.text("#review-id") != "–", "the review's number tells two of one item apart")
                try await browser.press("w")
                #expect(try await browser.script("return document.getElementById('correct').disabled") == .bool(true),
                        "Correct cannot be pressed while a correction is open")
                #expect(try await browser.script("return document.querySelectorAll('#correction .label.judged').length") == .number(1),
                        "the annotator's answer stays marked among the choices")
                try await browser.press("3")  // spam
                try await browser.press("k")  // critical
                try await browser.screenshot("qa-review")
                try await browser.press("\n")
                try await browser.waitUntil("the verdict is saved") { try await browser.text("#tally") == "1" }
            }
            let finals = try await store.finalLabels(in: audited.id, after: nil, limit: 2)
            #expect(finals.map(\.externalID) == ["ad-0001", "ad-0002"])
            #expect(finals[0].labels == ["none"] && finals[1].labels == ["spam"] && finals[1].provenance == .qaOverturn)

            try await Browser.with { browser in
                try await browser.signIn(at: server.baseURL, token: arbitrator)
                try await browser.open(server.baseURL + "/arbitration/\(tied.name)")
                try await browser.waitUntil("the case is shown") { try await browser.text("#case-reason").hasPrefix("Tie: ") }
                #expect(try await browser.text("#votes tbody").contains("Spam or scam"))
                // Another arbitrator may not decide the case on screen while Arbi holds it...
                let first = try await browser.text("#case-id")
                let refused = try await server.request(
                    .POST, "/api/v1/arbitration/\(first)/decision", token: otherArbitrator, json: ["labels": ["none"]])
                #expect(refused.status == .conflict && refused.text.contains("being decided by Arbi"), "\(refused.text)")
                // ...but once the page has been left open past the lease, they may: deciding it here then moves on.
                server.clock.advance(by: Store.arbitrationLeaseSeconds + 1)
                let elsewhere = try await server.request(
                    .POST, "/api/v1/arbitration/\(first)/decision", token: otherArbitrator, json: ["labels": ["none"]])
                #expect(elsewhere.status == .ok, "\(elsewhere.text)")
                try await browser.press("3")
                try await browser.press("\n")
                try await browser.waitUntil("the next case, and why") {
                    try await browser.text("#status") == "Case \(first) was closed meanwhile; here is the next open case."
                }
                let second = try await browser.text("#case-id")
                let tally = try await browser.text("#tally")
                #expect(second != first && tally == "0")
                try await browser.press("3")
                try await browser.press("g")
                try await browser.screenshot("arbitration")
                try await browser.press("\n")
                try await browser.waitUntil("the decision is saved") { try await browser.text("#tally") == "1" }
                // The next case is looked up after the decision: wait for the answer rather than racing it.
                try await browser.waitUntil("the queue has no open case left") {
                    try await browser.text("#status") == "No open cases in this queue."
                }
            }
            let decided = try await store.finalLabels(in: tied.id, after: nil, limit: 2)
            #expect(decided.map(\.labels) == [["none"], ["spam"]] && decided.allSatisfy { $0.provenance == .arbitration })
            #expect(try await store.gold(in: tied.id, after: nil, limit: 10).map(\.labels) == [["spam"]], "promoted to gold")
        }
    }
}
