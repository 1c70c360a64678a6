import AssayCore
@testable import AssayStore
import AssayTesting
import Foundation
import NIOHTTP1
import SQLKit
import Testing

/// Browser sign-in over plain HTTP: the session cookie, its flags, CSRF on every change, sign-out.
@Suite("Web sessions")
struct WebSessionTests {
    /// Signs in through the form as a browser would; returns the session cookie's value.
    static func signIn(_ server: LiveServer, token: String) async throws -> (reply: LiveServer.Reply, cookie: String?) {
        let form = try await server.request(.GET, "/sign-in", token: .some(nil))
        let formCookie = try #require(form.headers["Set-Cookie"].first { $0.hasPrefix("assay_sign_in=") })
        let csrf = String(try #require(form.text.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1))
        let reply = try await server.request(
            .POST, "/sign-in", token: .some(nil), body: Data("token=\(token)&csrf=\(csrf)".utf8),
            contentType: "application/x-www-form-urlencoded",
            headers: ["Cookie": String(formCookie.split(separator: ";")[0])])
        let session = reply.headers["Set-Cookie"].first { $0.hasPrefix("assay_session=") && !$0.hasPrefix("assay_session=;") }
        return (reply, session.map { String($0.split(separator: ";")[0]) })
    }

    @Test("signing in sets an HttpOnly SameSite session cookie; the API then needs the page's CSRF token to change anything",
          arguments: TestBackend.allCases)
    func session(on backend: TestBackend) async throws {
        try await LiveServer.with(backend) { server in
            let queue = try await Fixtures.queue(server.store)
            try await Fixtures.items(server.store, into: queue, count: 2)
            let annotator = try await Fixtures.annotators(server.store, count: 1)[0]

            let wrong = try await Self.signIn(server, token: "assay_nobody")
            #expect(wrong.reply.status == .unauthorized && wrong.cookie == nil)
            #expect(wrong.reply.text.contains("unknown or was revoked"))
            let form = try await server.request(.GET, "/sign-in", token: .some(nil))
            #expect(form.headers["X-Frame-Options"] == ["DENY"] && form.headers["Cache-Control"] == ["no-store"],
                    "the sign-in form is a page like the others: a framed form would take a token")
            #expect(wrong.reply.headers["X-Frame-Options"] == ["DENY"])
            let forged = try await server.request(
                .POST, "/sign-in", token: .some(nil), body: Data("token=\(annotator.token)&csrf=guess".utf8),
                contentType: "application/x-www-form-urlencoded")
            #expect(forged.status == .forbidden, "a sign-in form posted from elsewhere has no matching cookie")
            let bare = try await server.request(
                .POST, "/sign-in", token: .some(nil), body: Data("token=\(annotator.token)".utf8),
                contentType: "application/x-www-form-urlencoded")
            #expect(bare.status == .forbidden && bare.text.contains("The sign-in form expired"), "a form without its csrf field: \(bare.text)")

            let signedIn = try await Self.signIn(server, token: annotator.token)
            #expect(signedIn.reply.status == .seeOther)
            let formCookie = try #require(signedIn.reply.headers["Set-Cookie"].first { $0.hasPrefix("assay_sign_in=") })
            #expect(formCookie.contains("Path=/sign-in") && formCookie.contains("Max-Age=0"),
                    "the form's cookie is removed where it was set: \(formCookie)")
            let setCookie = try #require(signedIn.reply.headers["Set-Cookie"].first { $0.hasPrefix("assay_session=") })
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"), "\(setCookie)")
            let cookie = try #require(signedIn.cookie)
            let home = try await server.request(.GET, "/", token: .some(nil), headers: ["Cookie": cookie])
            #expect(home.status == .ok && home.text.contains("Annotator 1"), "\(home.status)")
            #expect(home.headers["Cache-Control"] == ["no-store"], "Back after signing out must not show it from the cache")
            #expect(home.headers["X-Frame-Options"] == ["DENY"] && home.headers["Content-Security-Policy"] == ["frame-ancestors 'none'; script-src 'self'; object-src 'none'; base-uri 'none'"],
                    "no other site may frame a page")
            #expect(home.headers["X-Content-Type-Options"] == ["nosniff"] && home.headers["Referrer-Policy"] == ["same-origin"])
            let csrf = String(try #require(home.text.firstMatch(of: /data-csrf="([^"]+)"/)?.1))

            // The cookie alone cannot change anything: a request another site triggers carries no token.
            let next = "/api/v1/queues/\(queue.name)/next"
            #expect(try await server.request(.POST, next, token: .some(nil), headers: ["Cookie": cookie]).status == .forbidden)
            #expect(try await server.request(.POST, next, token: .some(nil), headers: ["Cookie": cookie, "X-CSRF-Token": "x"]).status == .forbidden)
            let leased = try await server.request(.POST, next, token: .some(nil), headers: ["Cookie": cookie, "X-CSRF-Token": csrf])
            #expect(leased.status == .ok, "\(leased.text)")
            #expect(try await server.request(.GET, "/api/v1/me", token: .some(nil), headers: ["Cookie": cookie]).status == .ok)

            let out = try await server.request(
                .POST, "/sign-out", token: .some(nil), body: Data("csrf=\(csrf)".utf8),
                contentType: "application/x-www-form-urlencoded", headers: ["Cookie": cookie])
            #expect(out.status == .seeOther)
            let after = try await server.request(.GET, "/", token: .some(nil), headers: ["Cookie": cookie])
            #expect(after.status == .seeOther && after.headers.first(name: "Location") == "/sign-in", "a signed-out cookie is dead")
        }
    }

    @Test("after signing in, a visitor returns to the page they asked for, never to another site")
    func returnsToThePage() async throws {
        try await LiveServer.with(.sqlite) { server in
            let annotator = try await Fixtures.annotators(server.store, count: 1)[0]
            for (next, landing) in [("/dashboard/comments-en?days=7", "/dashboard/comments-en?days=7"), ("//evil.example/x", "/"),
                                    ("https://evil.example/", "/"), ("/sign-out", "/"), ("/\t/evil.example", "/"),
                                    ("/\n/evil.example", "/"), ("/\\evil.example", "/"), ("/ /evil.example", "/")] {
                let query = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let form = try await server.request(.GET, "/sign-in?next=\(query)", token: .some(nil))
                let formCookie = try #require(form.headers["Set-Cookie"].first { $0.hasPrefix("assay_sign_in=") })
                let csrf = String(try #require(form.text.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1))
                let carried = form.text.firstMatch(of: /name="next" value="([^"]+)"/).map { String($0.1) }
                let reply = try await server.request(
                    .POST, "/sign-in", token: .some(nil),
                    body: Data("token=\(annotator.token)&csrf=\(csrf)&next=\(carried.map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! } ?? "")".utf8),
                    contentType: "application/x-www-form-urlencoded",
                    headers: ["Cookie": String(formCookie.split(separator: ";")[0])])
                #expect(reply.status == .seeOther && reply.headers.first(name: "Location") == landing, "\(next): \(reply.headers)")
            }
        }
    }

    @Test("pages answer people who may not use them with an error page, and signed-out visitors go to sign-in")
    func pageErrors() async throws {
        try await LiveServer.with(.sqlite) { server in
            _ = try await Fixtures.queue(server.store)
            let lead = try await server.store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
            let token = try await server.store.issueToken(for: lead.id, now: Date()).value
            let cookie = try #require(try await Self.signIn(server, token: token).cookie)
            let workbench = try await server.request(.GET, "/work/comments-en", token: .some(nil), headers: ["Cookie": cookie])
            #expect(workbench.status == .forbidden && workbench.text.contains("does not label items"), "\(workbench.text)")
            let missing = try await server.request(.GET, "/work/nope", token: .some(nil), headers: ["Cookie": cookie])
            #expect(missing.status == .forbidden || missing.status == .notFound)
            let signedOut = try await server.request(.GET, "/work/comments-en?x=1", token: .some(nil))
            #expect(signedOut.status == .seeOther && signedOut.headers.first(name: "Location") == "/sign-in?next=/work/comments-en%3Fx%3D1")

            // An address with no page, asked for by a browser, is a page too; the API keeps its JSON.
            let html: HTTPHeaders = ["Cookie": cookie, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"]
            let nowhere = try await server.request(.GET, "/work", token: .some(nil), headers: html)
            #expect(nowhere.status == .notFound && nowhere.text.contains("There is no page at /work."), "\(nowhere.text)")
            #expect(nowhere.text.contains("404 · Not Found") && nowhere.text.contains("Sign out"),
                    "signed in, the error page keeps the top bar")
            #expect(nowhere.headers.first(name: "Content-Type")?.hasPrefix("text/html") == true)
            let apiNowhere = try await server.request(.GET, "/api/v1/nowhere", token: .some(nil), headers: html)
            #expect(apiNowhere.status == .notFound && apiNowhere.headers.first(name: "Content-Type")?.hasPrefix("application/json") == true)
            #expect(try await server.request(.GET, "/nowhere", token: .some(nil)).headers.first(name: "Content-Type")?.hasPrefix("application/json") == true,
                    "a client that does not ask for HTML gets JSON")
            // A form that lost its CSRF token gets a page that says so.
            let staleSignOut = try await server.request(
                .POST, "/sign-out", token: .some(nil), body: Data("csrf=stale".utf8), contentType: "application/x-www-form-urlencoded",
                headers: html)
            #expect(staleSignOut.status == .forbidden && staleSignOut.headers.first(name: "Content-Type")?.hasPrefix("text/html") == true)
            #expect(staleSignOut.text.contains("lacks the page&#39;s CSRF token") || staleSignOut.text.contains("lacks the page's CSRF token"),
                    "\(staleSignOut.text)")
            // Signed in, the sign-in page sends you on.
            let again = try await server.request(.GET, "/sign-in", token: .some(nil), headers: ["Cookie": cookie])
            #expect(again.status == .seeOther && again.headers.first(name: "Location") == "/")
            let css = try await server.request(.GET, "/assets/assay.css", token: .some(nil))
            #expect(css.status == .ok && css.text.contains("--accent"))
            #expect(try await server.request(.GET, "/assets/nothing.js", token: .some(nil)).status == .notFound)

            // What the domain did not expect (here a table gone from under the dashboard) is a page too, and, like
            // every page, not kept in the browser's cache.
            try await server.store.sql().raw("ALTER TABLE agreement_days RENAME TO agreement_days_gone").run()
            let broken = try await server.request(.GET, "/dashboard/comments-en", token: .some(nil), headers: html)
            #expect(broken.status == .internalServerError && broken.text.contains("Something went wrong on the server"), "\(broken.text.prefix(300))")
            #expect(broken.headers["Cache-Control"] == ["no-store"] && broken.text.contains("Sign out"))
        }
    }

    @Test("an annotator's home lists the queues they can work, not those in languages they do not cover")
    func homeListsWorkableQueues() async throws {
        try await LiveServer.with(.sqlite) { server in
            _ = try await Fixtures.queue(server.store, name: "reviews-en", languages: ["en"])
            _ = try await Fixtures.queue(server.store, name: "reviews-de", languages: ["de"])
            let annotator = try await Fixtures.annotators(server.store, count: 1, languages: ["en"])[0]
            let cookie = try #require(try await Self.signIn(server, token: annotator.token).cookie)
            let home = try await server.request(.GET, "/", token: .some(nil), headers: ["Cookie": cookie])
            #expect(home.status == .ok)
            #expect(home.text.contains("href=\"/work/reviews-en\""), "\(home.text)")
            #expect(!home.text.contains("reviews-de"), "a queue that would answer 403 is not offered")
            #expect(!home.text.contains(">Gold<") && !home.text.contains("percent complete"),
                    "an annotator sees no progress figures (the API's stats are not theirs), and nothing of gold")
            let analyst = try await Fixtures.token(server.store, role: .analyst, name: "Ana")
            let analystCookie = try #require(try await Self.signIn(server, token: analyst).cookie)
            let all = try await server.request(.GET, "/", token: .some(nil), headers: ["Cookie": analystCookie])
            #expect(all.text.contains("reviews-de") && all.text.contains("reviews-en"), "an analyst sees every queue")
            #expect(all.text.contains(">Gold<") && all.text.contains("percent complete"), "with their progress")

            // A vendor lead is offered the queues their vendor's people worked on, where they have figures.
            let now = server.clock.now
            let acme = try await server.store.createVendor(named: "Acme", now: now)
            let lead = try await server.store.createPerson(PersonDraft(name: "Lea", role: .vendorLead, vendorID: acme.id), now: now)
            let leadCookie = try #require(try await Self.signIn(server, token: try await server.store.issueToken(for: lead.id, now: now).value).cookie)
            let before = try await server.request(.GET, "/", token: .some(nil), headers: ["Cookie": leadCookie])
            #expect(!before.text.contains("reviews-en") && !before.text.contains("reviews-de"), "no work yet, no queue")
            let reviews = try #require(try await server.store.queues().first { $0.name == "reviews-en" })
            try await Fixtures.items(server.store, into: reviews, count: 1, language: "en")
            let worker = try await server.store.createPerson(PersonDraft(externalID: "acme-1", name: "Ace", role: .annotator, vendorID: acme.id), now: now)
            _ = try await server.store.importJudgments([
                ImportedJudgment(itemExternalID: "item-0001", annotatorExternalID: worker.externalID, labels: ["spam"],
                                 rationale: nil, startedAt: nil, submittedAt: now, line: 2),
            ], into: reviews, now: now)
            let after = try await server.request(.GET, "/", token: .some(nil), headers: ["Cookie": leadCookie])
            #expect(after.text.contains("href=\"/dashboard/reviews-en\"") && !after.text.contains("reviews-de"), "\(after.text)")
            let elsewhere = try await server.request(
                .GET, "/dashboard/reviews-de", token: .some(nil), headers: ["Cookie": leadCookie, "Accept": "text/html"])
            #expect(elsewhere.status == .forbidden, "\(elsewhere.status)")
            #expect(["none of your vendor&#39;s people worked", "none of your vendor's people worked"].contains { elsewhere.text.contains($0) },
                    "\(elsewhere.text.prefix(400))")

            // The workbench of a queue in another language is an error page with the reason, not a workbench.
            let html: HTTPHeaders = ["Cookie": cookie, "Accept": "text/html"]
            let german = try await server.request(.GET, "/work/reviews-de", token: .some(nil), headers: html)
            #expect(german.status == .forbidden && german.text.contains("does not review de"), "\(german.text.prefix(300))")
            // Nor are its exams, whose items are the queue's gold with their answers: not on the page, nor by the API.
            let germanExams = try await server.request(.GET, "/training/reviews-de", token: .some(nil), headers: html)
            #expect(germanExams.status == .forbidden && germanExams.text.contains("does not review de"), "\(germanExams.text.prefix(300))")
            let germanQueue = try await server.store.queue("reviews-de")
            try await Fixtures.items(server.store, into: germanQueue, count: 1, prefix: "de")
            let admin = try #require(try await server.store.person(authenticatedBy: TokenSecret(server.adminToken)))
            let deItem = try #require(try await server.store.items(in: germanQueue.id, after: nil, limit: 1).first)
            _ = try await server.store.setGold(labels: ["spam"], rationale: "why", onItem: deItem.id, by: admin, now: now)
            let exam = try await server.request(.POST, "/api/v1/queues/reviews-de/exams", json: [
                "name": "Grundlagen", "items": [.string(deItem.externalID)], "pass_mark": 1, "training": true,
            ])
            let examID = try #require(try exam.object()["id"]?.stringValue, "\(exam.text)")
            let sit = try await server.request(.POST, "/api/v1/exams/\(examID)/next", token: annotator.token)
            #expect(sit.status == .forbidden && sit.reason.contains("does not review de"), "\(sit.text)")
            let answer = try await server.request(
                .POST, "/api/v1/exams/\(examID)/answers", token: annotator.token, json: ["item_id": .number(Double(deItem.id)), "labels": ["spam"]])
            #expect(answer.status == .forbidden, "\(answer.text)")
            // Suspended from a queue (here, until they requalify under a new guideline), its work is no longer
            // offered; its exams are, as passing one lifts the suspension.
            _ = try await server.store.importJudgments([
                ImportedJudgment(itemExternalID: "item-0001", annotatorExternalID: annotator.person.externalID, labels: ["none"],
                                 rationale: nil, startedAt: nil, submittedAt: now, line: 2),
            ], into: reviews, now: now)
            let ana = try await server.store.person(authenticatedBy: TokenSecret(analyst))!
            _ = try await server.store.publishGuideline(
                GuidelineDraft(markdown: "# Policy", recertify: true), for: reviews, by: ana, now: now)
            // Someone in training is offered the exams of the queues they will work, not the work.
            let trainee = try await Fixtures.annotators(server.store, count: 1, prefix: "trainee", languages: ["en"])[0]
            #expect(try await server.request(.PUT, "/api/v1/people/\(trainee.person.id)/status", json: ["status": "in_training"]).status == .ok)
            let traineeCookie = try #require(try await Self.signIn(server, token: trainee.token).cookie)
            let traineeHome = try await server.request(.GET, "/", token: .some(nil), headers: ["Cookie": traineeCookie])
            #expect(!traineeHome.text.contains("href=\"/work/") && traineeHome.text.contains("href=\"/training/reviews-en\""),
                    "\(traineeHome.text)")
            let suspendedHome = try await server.request(.GET, "/", token: .some(nil), headers: ["Cookie": cookie])
            #expect(!suspendedHome.text.contains("href=\"/work/reviews-en\"") && suspendedHome.text.contains("href=\"/training/reviews-en\""),
                    "\(suspendedHome.text)")
            let workbench = try await server.request(.GET, "/work/reviews-en", token: .some(nil), headers: html)
            #expect(workbench.status == .forbidden && workbench.text.contains("you are suspended from queue"), "\(workbench.text.prefix(300))")
            // The queue's dashboard shows them as suspended there.
            let dashboard = try await server.request(.GET, "/dashboard/reviews-en", token: .some(nil), headers: ["Cookie": analystCookie])
            #expect(dashboard.text.contains("<td>\(annotator.person.name)</td><td><strong>suspended</strong></td>"), "\(dashboard.text)")
        }
    }
}
