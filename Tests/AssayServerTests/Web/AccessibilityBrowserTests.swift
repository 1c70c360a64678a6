import AssayCore
import AssayStore
import AssayTesting
import Foundation
import Testing

/// Every main page, as each role sees it with content on it, passes the automated accessibility check
/// (``Browser/accessibilityProblems()``: language, headings, names of controls, image text, contrast).
@Suite("Accessibility of the pages", .enabled(if: Browser.shouldRun, "needs chromium and chromium-driver"))
struct AccessibilityBrowserTests {
    @Test("sign-in, home, workbench, review, arbitration, dashboard and business review have no problems")
    func pages() async throws {
        try await LiveServer.with(.sqlite) { server in
            let (queue, _, analyst) = try await DashboardTests.workspace(server)
            let store = server.store
            let now = server.clock.now
            // An open case for the arbitrator, and fresh items for the annotator.
            let arbiter = try await store.createPerson(PersonDraft(name: "Arbi", role: .arbitrator), now: now)
            let decided = try await store.finalLabels(in: queue.id, after: nil, limit: 1)
            let lead = try await store.createPerson(PersonDraft(name: "Ana Lyst", role: .analyst), now: now)
            _ = try await store.appeal(itemID: try #require(decided.first).itemID, note: "Looks wrong", by: lead, now: now)
            try await Fixtures.items(store, into: queue, count: 5, prefix: "fresh", now: now)
            let annotator = try await Fixtures.annotators(store, count: 1, prefix: "amy", now: now)[0].token
            let reviewer = try await Fixtures.token(store, role: .qaReviewer, name: "Rita Review", now: now)
            let arbitrator = try await store.issueToken(for: arbiter.id, now: now).value
            let month = Calendar.utcDayFormatter.string(from: now)

            try await Browser.with { browser in
                try await browser.open(server.baseURL + "/sign-in")
                #expect(try await browser.accessibilityProblems() == [], "sign-in")
                // The check can fail: faint text and an unlabelled field are found.
                _ = try await browser.script("""
                    const faint = document.createElement('p'); faint.textContent = 'faint'; faint.style.color = '#dddddd';
                    const field = document.createElement('input'); field.id = 'unlabelled';
                    document.querySelector('main').append(faint, field); return 0
                    """)
                let found = try await browser.accessibilityProblems()
                #expect(found.count == 2 && found.contains { $0.hasPrefix("contrast") } && found.contains { $0.contains("input#unlabelled") },
                        "\(found)")
                try await browser.signIn(at: server.baseURL, token: analyst)
                let pages = ["/", "/dashboard/\(queue.name)?days=5&by=vendor", "/report?period=month&date=\(month)"]
                for page in pages {
                    try await browser.open(server.baseURL + page)
                    #expect(try await browser.accessibilityProblems() == [], "\(page)")
                }
                // On a phone nothing pushes the page wider than the screen (the top bar wraps; wide tables scroll
                // on their own), so the navigation and Sign out stay in reach.
                try await browser.resize(width: 375, height: 812)
                for page in pages {
                    try await browser.open(server.baseURL + page)
                    let overflow = try await browser.overflowWidth()
                    let widest = overflow == 0 ? "" : try await browser.widestElements()
                    #expect(overflow == 0, "\(page) at 375 px: \(overflow) px too wide; \(widest)")
                }
            }
            for (token, page, ready) in [
                (annotator, "/work/\(queue.name)", "#assignment-id"), (reviewer, "/review/\(queue.name)", "h1"),
                (arbitrator, "/arbitration/\(queue.name)", "h1"), (annotator, "/training/\(queue.name)", "h1"),
            ] {
                try await Browser.with { browser in
                    try await browser.signIn(at: server.baseURL, token: token)
                    try await browser.open(server.baseURL + page)
                    if ready == "#assignment-id" {
                        try await browser.waitUntil("an item is shown") { try await browser.text("#assignment-id") != "–" }
                    } else {
                        try await Task.sleep(for: .milliseconds(500))  // the page's first lookup
                    }
                    #expect(try await browser.accessibilityProblems() == [], "\(page)")
                    try await browser.resize(width: 375, height: 812)
                    let overflow = try await browser.overflowWidth()
                    let widest = overflow == 0 ? "" : try await browser.widestElements()
                    #expect(overflow == 0, "\(page) at 375 px: \(overflow) px too wide; \(widest)")
                }
            }
        }
    }
}
