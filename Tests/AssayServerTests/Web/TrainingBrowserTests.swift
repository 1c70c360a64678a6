import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// Training mode in a real headless Chromium: an exam answered with the keyboard, with feedback after each answer.
@Suite("Training in a browser", .enabled(if: Browser.shouldRun, "needs chromium and chromium-driver"))
struct TrainingBrowserTests {
    @Test("a trainee answers a training exam by keyboard and sees right or wrong, the reference, why, and the passage")
    func trainingFeedback() async throws {
        try await LiveServer.with(.sqlite) { server in
            let store = server.store
            let now = server.clock.now
            let queue = try await Fixtures.queue(store)
            try await Fixtures.items(store, into: queue, count: 2, prefix: "train", now: now)
            let arbitrator = try await store.createPerson(PersonDraft(name: "Rita", role: .arbitrator), now: now)
            _ = try await store.importGold(
                [
                    GoldDraft(itemExternalID: "train-0001", labels: ["spam"], rationale: "A fake giveaway."),
                    GoldDraft(itemExternalID: "train-0002", labels: ["none"], rationale: "An ordinary comment."),
                ],
                into: queue, by: arbitrator, now: now)
            _ = try await store.publishGuideline(
                GuidelineDraft(markdown: "# Policy\n## Spam or scam\nUnsolicited ads and fake giveaways.\n"),
                for: queue, by: arbitrator, now: now.addingTimeInterval(-60))
            _ = try await store.createExam(
                ExamDraft(name: "Spam basics", items: ["train-0001", "train-0002"], passMark: 0.5, training: true),
                in: queue, by: arbitrator, now: now)
            let trainee = try await Fixtures.annotators(store, count: 1, prefix: "tia")[0]

            try await Browser.with { browser in
                try await browser.signIn(at: server.baseURL, token: trainee.token)
                try await browser.open(server.baseURL + "/training/\(queue.name)")
                try await browser.click("button.start")
                #expect(try await browser.text("#exam-name") == "Spam basics")
                var verdicts: [String] = []
                var last = "–"
                for _ in 0..<2 {
                    try await browser.waitUntil("an exam item") {
                        let shown = try await browser.script("return document.getElementById('item').hidden") == .bool(false)
                        guard shown else { return false }
                        let current = try await browser.text("#item-id")
                        return current != "–" && current != last
                    }
                    let item = try await browser.text("#item-id")
                    last = item
                    try await browser.press("3")  // spam, for both: right on the first, wrong on the second
                    try await browser.press("\n")
                    try await browser.waitUntil("feedback on \(item)") {
                        try await browser.script("return document.getElementById('feedback').hidden") == .bool(false)
                    }
                    let verdict = try await browser.text("#verdict")
                    verdicts.append("\(item): \(verdict) \(try await browser.text("#reference")) \(try await browser.text("#rationale-text"))")
                    if item == "train-0001" {
                        #expect(try await browser.text("#passage-text") == "Unsolicited ads and fake giveaways.")
                        try await browser.screenshot("training")
                    }
                    try await browser.press("\n")
                }
                #expect(verdicts.sorted() == [
                    "train-0001: Right Spam or scam A fake giveaway.", "train-0002: Not quite No violation An ordinary comment.",
                ], "references are named as the label buttons name them: \(verdicts)")
                try await browser.waitUntil("the result") {
                    try await browser.script("return document.getElementById('result').hidden") == .bool(false)
                }
                #expect(try await browser.text("#result-title") == "Passed")
                #expect(try await browser.text("#result-text").hasPrefix("Score 50% (1 of 2)"))
                // The attempt is over: Enter starts nothing, and the page offers a retake or the list of exams.
                try await browser.press("\n")
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await browser.text("#answered") == "2")
                #expect(try await browser.script("return document.getElementById('item').hidden") == .bool(true))
                try await browser.click("#back")
                #expect(try await browser.script("return document.getElementById('exam-list').hidden") == .bool(false))
                try await browser.click("button.start")
                try await browser.waitUntil("a new attempt's first item") {
                    try await browser.script("return document.getElementById('item').hidden") == .bool(false)
                }
                #expect(try await browser.text("#answered") == "0")
                // One answer into the new attempt, the page is reloaded: the attempt resumes, and so does the count.
                try await browser.press("3")
                try await browser.press("\n")
                try await browser.waitUntil("feedback on the first answer") {
                    try await browser.script("return document.getElementById('feedback').hidden") == .bool(false)
                }
                try await browser.open(server.baseURL + "/training/\(queue.name)")
                #expect(try await browser.text("button.start") == "Resume Spam basics")
                try await browser.click("button.start")
                try await browser.waitUntil("the attempt's next item") {
                    try await browser.script("return document.getElementById('item').hidden") == .bool(false)
                }
                #expect(try await browser.text("#answered") == "1")
            }
        }
    }
}
