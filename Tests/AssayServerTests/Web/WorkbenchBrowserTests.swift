import AssayCore
import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing

/// The workbench in a real headless Chromium, driven by keys as an annotator works.
@Suite("Workbench in a browser", .enabled(if: Browser.shouldRun, "needs chromium and chromium-driver"))
struct WorkbenchBrowserTests {
    @Test("an annotator signs in, labels five items with the keyboard alone, and the day's tally counts them",
          arguments: TestBackend.allCases)
    func labelByKeyboard(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let store = server.store
            let now = server.clock.now
            let queue = try await Fixtures.queue(store)
            let texts = [
                "buy followers now, cheap!!! 🚀🚀", "هذا تعليق عادي عن المباراة", "you people should all disappear",
                "Great match yesterday 👏", "שלום, זה בסדר גמור", "free crypto giveaway, click here",
            ]
            _ = try await store.importItems(
                texts.enumerated().map { ItemDraft(externalID: "c-\($0.offset + 1)", content: ["text": .string($0.element)]) },
                into: queue, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            _ = try await store.publishGuideline(
                GuidelineDraft(markdown: "# Policy\n\nWhen two labels fit, choose the more severe.\n\n## Hate speech\nAttacks on people for who they are.\n## Spam or scam\nUnsolicited ads.\n"),
                for: queue, by: analyst, now: now.addingTimeInterval(-60))
            let annotator = try await Fixtures.annotators(store, count: 1, prefix: "maria")[0]

            try await Browser.with { browser in
                try await browser.open(server.baseURL + "/work/\(queue.name)")
                try await browser.waitUntil("signed-out visitors go to the sign-in form, which remembers the page") {
                    try await browser.currentURL().hasSuffix("/sign-in?next=/work/\(queue.name)")
                }
                try await browser.screenshot("sign-in")
                try await browser.type("#token", annotator.token + "\n")
                try await browser.waitUntil("the page asked for, after signing in") {
                    try await browser.currentURL() == server.baseURL + "/work/\(queue.name)"
                }
                try await browser.open(server.baseURL + "/sign-in")
                try await browser.waitUntil("the home page: signed in, there is nothing to sign in to") {
                    try await browser.currentURL() == server.baseURL + "/"
                }
                #expect(try await browser.text("h1") == "Queues")
                try await browser.screenshot("home")

                try await browser.open(server.baseURL + "/work/\(queue.name)")
                var seen: [String] = []
                let keys = ["3", "4", "1", "4", "4"]  // spam, none, hate, none, none
                for key in keys {
                    try await browser.waitUntil("an item is shown") { try await browser.text("#assignment-id") != "–" }
                    let itemID = try await browser.text("#assignment-id")
                    seen.append(itemID)
                    if seen.count == 2 {
                        // Right-to-left text and emoji arrive intact; the focused label shows its passage.
                        let shown = try await browser.text("#item .text")
                        #expect(texts.contains(shown), "\(shown)")
                        try await browser.press("1")
                        #expect(try await browser.text(".passage[data-code='hate']") == "Attacks on people for who they are.")
                        #expect(try await browser.text("#guideline-rules") == "When two labels fit, choose the more severe.",
                                "the rules for every label stand above the passages")
                        try await browser.screenshot("workbench")
                    }
                    try await browser.press(key)
                    try await browser.press("\n")
                    try await browser.waitUntil("the next item replaces \(itemID)") {
                        let current = try await browser.text("#assignment-id")
                        return current != itemID && current != "–"
                    }
                }
                #expect(try await browser.text("#tally") == "5")
                #expect(Set(seen).count == 5, "five different items")
                // The page never reloaded: the tally went up in place. A reload reads the same count from the server.
                try await browser.open(server.baseURL + "/work/\(queue.name)")
                try await browser.waitUntil("the tally after a reload") { try await browser.text("#tally") == "5" }
                // Enter on a focused Skip presses Skip: the last item is skipped, not submitted with the label chosen.
                try await browser.waitUntil("the last item") { try await browser.text("#assignment-id") != "–" }
                // Enter on a focused link is the link's: the brand link leaves the page, and nothing is submitted.
                try await browser.press("3")
                _ = try await browser.script("document.querySelector('a.brand').focus()")
                try await browser.press("\n")
                try await browser.waitUntil("the home page, by the link") { try await browser.currentURL() == server.baseURL + "/" }
                #expect(try await store.stats(of: queue.id).judgments == 5, "Enter on a link submitted nothing")
                try await browser.open(server.baseURL + "/work/\(queue.name)")
                try await browser.waitUntil("the last item, still held") { try await browser.text("#assignment-id") != "–" }
                try await browser.press("3")
                _ = try await browser.script("document.getElementById('skip').focus()")
                try await browser.press("\n")
                try await browser.waitUntil("the queue is done") {
                    try await browser.text("#status").hasPrefix("No more items for you in this queue right now")
                }
                #expect(try await browser.text("#tally") == "5")
            }
            var labels: [String: [String]] = [:]
            for final in try await store.finalLabels(in: queue.id, after: nil, limit: 10) { labels[final.externalID] = final.labels }
            #expect(labels.count == 5)
            #expect(labels.values.filter { $0 == ["none"] }.count == 3 && labels.values.filter { $0 == ["spam"] }.count == 1)
            let judgments = try await store.judgmentCount(by: annotator.person.id, since: now.addingTimeInterval(-3_600))
            #expect(judgments == 5)
        }
    }

    @Test("a queue that shows its model's suggestion shows it beside the labels, never pre-selected")
    func suggestion() async throws {
        try await LiveServer.with(.sqlite) { server in
            let store = server.store
            let now = server.clock.now
            var queue = try await Fixtures.queue(store)
            _ = try await store.importItems(
                [ItemDraft(externalID: "c-1", content: ["text": "free crypto giveaway, click here"])], into: queue, now: now)
            let model = Predictor.Reference(name: "triage", version: "1")
            _ = try await store.importPredictions(
                [PredictionDraft(itemExternalID: "c-1", labels: ["spam"], confidence: 0.87)], from: model, into: queue, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            queue = try await store.updateAssist(
                of: queue, to: AssistSettings(predictor: model, showPredictions: true), by: analyst, now: now)
            let annotator = try await Fixtures.annotators(store, count: 1, prefix: "maria")[0]
            try await Browser.with { browser in
                try await browser.signIn(at: server.baseURL, token: annotator.token)
                try await browser.open(server.baseURL + "/work/\(queue.name)")
                try await browser.waitUntil("the item is shown") { try await browser.text("#item .text") == "free crypto giveaway, click here" }
                #expect(try await browser.text("#suggestion-labels") == "Spam or scam")
                #expect(try await browser.text("#suggestion-confidence") == "(87% sure)")
                let pressed = try await browser.script("return document.querySelectorAll('#labels [aria-pressed=true]').length")
                #expect(pressed == 0, "the suggestion is not pre-selected")
                #expect(try await browser.accessibilityProblems().isEmpty)
                try await browser.screenshot("workbench-suggestion")
            }
        }
    }

    @Test("in a multi-choice queue, the label that stands alone and the others let go of each other when chosen")
    func exclusiveLabel() async throws {
        try await LiveServer.with(.sqlite) { server in
            let store = server.store
            let now = server.clock.now
            let queue = try await store.createQueue(
                QueueDraft(name: "ads", schema: .multiChoice([
                    LabelOption(code: "scam", name: "Scam"), LabelOption(code: "adult", name: "Adult content"),
                    LabelOption(code: "none", name: "Compliant", exclusive: true),
                ]), overlap: 1),
                now: now)
            _ = try await store.importItems([ItemDraft(externalID: "ad-1", content: ["text": "miracle pills"])], into: queue, now: now)
            let annotator = try await Fixtures.annotators(store, count: 1, prefix: "maria")[0]
            try await Browser.with { browser in
                try await browser.signIn(at: server.baseURL, token: annotator.token)
                try await browser.open(server.baseURL + "/work/\(queue.name)")
                try await browser.waitUntil("the item is shown") { try await browser.text("#item .text") == "miracle pills" }
                let pressed = "return Array.from(document.querySelectorAll('#labels [aria-pressed=true]')).map(b => b.dataset.code)"
                try await browser.press("1")
                try await browser.press("2")
                #expect(try await browser.script(pressed) == .array([.string("scam"), .string("adult")]))
                try await browser.press("3")
                #expect(try await browser.script(pressed) == .array([.string("none")]), "Compliant lets go of the violations")
                try await browser.press("1")
                #expect(try await browser.script(pressed) == .array([.string("scam")]), "a violation lets go of Compliant")
            }
        }
    }

    @Test("sensitive media stays blurred until asked for, a long stretch brings a break reminder, severe labels count, E escalates")
    func wellbeing() async throws {
        try await LiveServer.with(.sqlite) { server in
            let store = server.store
            server.clock.freeze()
            let now = server.clock.now
            let schema = LabelSchema.singleChoice([
                LabelOption(code: "gore", name: "Graphic violence", severe: true), LabelOption(code: "spam"), LabelOption(code: "none"),
            ])
            let queue = try await store.createQueue(
                QueueDraft(name: "ads", schema: schema, quality: QualitySettings(exposureLimit: 5, breakAfterMinutes: 5)),
                now: now.addingTimeInterval(-3_600))
            _ = try await store.importItems(
                (1...8).map {
                    ItemDraft(externalID: "ad-\($0)", content: [
                        "headline": .string("Ad number \($0)"), "media_urls": [.string("/assets/demo/ad-1.svg")], "sensitive": .bool(true),
                    ])
                },
                into: queue, now: now.addingTimeInterval(-3_600))
            let annotator = try await Fixtures.annotators(store, count: 1, prefix: "moe")[0]
            // Seven minutes of steady work before the page opens: a judgment every two minutes.
            for minutesAgo in [7, 5, 3, 1] {
                let at = now.addingTimeInterval(Double(-minutesAgo) * 60)
                let lease = try #require(try await store.leaseNextItem(in: queue, for: annotator.person, now: at))
                _ = try await store.submitJudgment(
                    JudgmentSubmission(labels: ["spam"], timeSpentMs: 60_000), on: lease.assignment.id, by: annotator.person, now: at)
            }
            try await Browser.with { browser in
                try await browser.signIn(at: server.baseURL, token: annotator.token)
                try await browser.open(server.baseURL + "/work/\(queue.name)")
                try await browser.waitUntil("the break reminder after seven minutes against a five-minute setting") {
                    try await browser.script("return document.getElementById('break').hidden") == .bool(false)
                }
                let minutes = try await browser.text("#break-minutes")
                #expect(minutes == "7", "\(minutes) minutes")
                try await browser.screenshot("workbench-break")
                try await browser.press("\u{E00C}")  // Escape: remind me later
                #expect(try await browser.script("return document.getElementById('break').hidden") == .bool(true))

                try await browser.waitUntil("an item is shown") { try await browser.text("#assignment-id") != "–" }
                #expect(try await browser.script("return document.querySelectorAll('#item .shield.covered').length") == .number(1))
                let filter = try await browser.script("return getComputedStyle(document.querySelector('#item .shield img')).filter")
                #expect(filter.stringValue?.contains("blur") == true && filter.stringValue?.contains("grayscale") == true, "\(filter)")
                try await browser.screenshot("workbench-sensitive")
                try await browser.press("v")
                #expect(try await browser.script("return document.querySelectorAll('#item .shield.covered').length") == .number(0))

                // A severe label counts toward today's exposure.
                #expect(try await browser.text(".exposure[data-code='gore'] .exposure-count") == "0")
                let first = try await browser.text("#assignment-id")
                try await browser.press("1")
                try await browser.press("\n")
                try await browser.waitUntil("the next item") {
                    let current = try await browser.text("#assignment-id")
                    return current != first && current != "–"
                }
                #expect(try await browser.text(".exposure[data-code='gore'] .exposure-count") == "1")
                #expect(try await store.exposure(of: annotator.person.id, on: now) == ["gore": 1])
                let analyst = try await Fixtures.token(store, role: .analyst, name: "Ana")
                let csv = try await server.request(.GET, "/api/v1/queues/\(queue.name)/exposure?days=1&format=csv", token: analyst).text
                #expect(csv == "team,label,items,people,highest_day,person_days_at_limit\n(in-house) / (no team),gore,1,1,1,0\n", "\(csv)")

                // E escalates, with the reason from the rationale box.
                let escalated = try await browser.text("#assignment-id")
                try await browser.type("#rationale", "Is this a real brand?")
                _ = try await browser.script("document.activeElement.blur(); return 0")
                try await browser.press("e")
                try await browser.waitUntil("the escalation is confirmed") {
                    try await browser.text("#status").contains("Escalated")
                }
                let cases = try await store.arbitrationFiles(in: queue, state: .open, after: nil, limit: 10, now: now)
                let escalatedItem = try await LoopClient.item(ofAssignment: try #require(Int64(escalated)), on: server).externalID
                #expect(cases.map(\.item.externalID) == [escalatedItem])
                #expect(cases.first?.arbitrationCase.note == "Is this a real brand?")
            }
        }
    }
}

