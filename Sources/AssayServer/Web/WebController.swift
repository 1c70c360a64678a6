import AssayCore
import AssayStore
import Vapor

/// The browser pages: sign-in and sign-out, the home page, the annotator workbench, the QA review and the
/// arbitration screens.
///
/// Pages are rendered on the server (Leaf) and their scripts call the JSON API with the session cookie, so a page
/// never holds logic the API lacks. Routes: `GET /`, `GET|POST /sign-in`, `POST /sign-out`, `GET /work/{queue}`,
/// `GET /review/{queue}`, `GET /arbitration/{queue}`.
struct WebController: RouteCollection {
    static let signInCookie = "assay_sign_in"

    func boot(routes: any RoutesBuilder) throws {
        // The sign-in form is a page like the others: never cached, never framed (a framed form takes a token).
        let pages = routes.grouped(WebErrorPages())
        pages.get("sign-in", use: signInForm)
        pages.post("sign-in", use: signIn)
        pages.get(use: home)
        pages.post("sign-out", use: signOut)
        pages.get("work", ":queue", use: workbench)
        pages.get("review", ":queue", use: review)
        pages.get("arbitration", ":queue", use: arbitration)
        pages.get("dashboard", ":queue", use: dashboard)
        pages.get("report", use: report)
        pages.get("training", ":queue", use: training)
    }

    // MARK: - Signing in and out

    @Sendable func signInForm(req: Request) async throws -> Response {
        // Someone signed in already has nothing to do here.
        if req.webPage != nil { return req.redirect(to: Self.returnPath(req.query[String.self, at: "next"]), redirectType: .normal) }
        return try await Self.signInPage(req, error: nil, status: .ok)
    }

    /// The sign-in form's address, remembering the page to go back to.
    static func signInPath(returningTo url: URI) -> String {
        let page = url.path + (url.query.map { "?" + $0 } ?? "")
        guard page != "/" else { return "/sign-in" }
        // Slashes and the unreserved characters stay as they are, so that the address reads `?next=/work/comments-en`.
        let kept = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~/"))
        return "/sign-in?next=" + (page.addingPercentEncoding(withAllowedCharacters: kept) ?? "")
    }

    /// Where to go after signing in: the page asked for, when it is a page of this site, else the home page.
    ///
    /// Browsers read `//host`, `/\host`, and either with tabs or line breaks inside (which they drop), as another
    /// site: a path with a second leading slash, a backslash, or any control character or space is refused.
    private static func returnPath(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/sign-"),
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "\\" })
        else { return "/" }
        return next
    }

    /// Checks the token against the form's anti-forgery value (the same random value in a cookie and a hidden
    /// field: another site can make the browser post the form, but cannot read the cookie to fill the field).
    @Sendable func signIn(req: Request) async throws -> Response {
        // A form without its fields (posted by a script, say) is answered like an expired one, with the page.
        let form = (try? req.content.decode(SignInForm.self)) ?? SignInForm(token: "", csrf: "", next: nil)
        guard let expected = req.cookies[Self.signInCookie]?.string, !expected.isEmpty, form.csrf == expected else {
            return try await Self.signInPage(req, error: "The sign-in form expired; please try again.", status: .forbidden)
        }
        let token = form.token.trimmingBlanksAndNewlines
        guard !token.isEmpty else {
            return try await Self.signInPage(req, error: "Paste your API token.", status: .unprocessableEntity)
        }
        let session: WebSession
        do {
            (_, session) = try await req.store.startWebSession(token: TokenSecret(token), now: req.now)
        } catch AssayError.unauthenticated {
            return try await Self.signInPage(req, error: "That token is unknown or was revoked.", status: .unauthorized)
        }
        let response = req.redirect(to: Self.returnPath(form.next), redirectType: .normal)
        response.cookies[WebSessionAuthenticator.cookieName] = HTTPCookies.Value(
            string: session.secret.value, expires: session.expiresAt, maxAge: Int(Store.webSessionLifetime), path: "/",
            isSecure: req.isSecure, isHTTPOnly: true, sameSite: .lax)
        // Expired on the path it was set for: a cookie is only replaced by one of the same name and path.
        response.cookies[Self.signInCookie] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/sign-in", isSecure: req.isSecure,
            isHTTPOnly: true, sameSite: .strict)
        return response
    }

    @Sendable func signOut(req: Request) async throws -> Response {
        if let page = req.webPage { try await req.store.endWebSession(TokenSecret(page.secret), now: req.now) }
        let response = req.redirect(to: "/sign-in", redirectType: .normal)
        response.cookies[WebSessionAuthenticator.cookieName] = .expired
        return response
    }

    private static func signInPage(_ req: Request, error: String?, status: HTTPResponseStatus) async throws -> Response {
        var rng = SystemRandomNumberGenerator()
        let csrf = TokenSecret.generate(using: &rng).value
        // The page to return to comes with the form's address on a first visit, and with the form when it is sent back.
        let next = req.query[String.self, at: "next"] ?? (try? req.content.get(String.self, at: "next"))
        let response = try await req.view.render(
            "sign-in", SignInPage(csrf: csrf, error: error, next: next.map { returnPath($0) }.flatMap { $0 == "/" ? nil : $0 })
        ).encodeResponse(for: req)
        response.status = status
        response.cookies[signInCookie] = HTTPCookies.Value(
            string: csrf, maxAge: 3_600, path: "/sign-in", isSecure: req.isSecure, isHTTPOnly: true, sameSite: .strict)
        return response
    }

    // MARK: - Pages

    @Sendable func home(req: Request) async throws -> View {
        let actor = try req.actor()
        // A vendor lead has figures only where their vendor's people worked lately: those queues are theirs.
        var worked: Set<UUID>?
        if let vendorID = try Policy.vendorScope(of: actor) {
            worked = try await req.store.queuesOfVendorLead(vendorID: vendorID, now: req.now)
        }
        let showsProgress = (try? Policy.requireCanSeeStats(actor)) != nil
        let suspending = actor.role.labels ? try await req.store.queuesSuspending(actor.person) : []
        var queues: [HomePage.QueueRow] = []
        // Progress, as the API's stats, read for every queue at once: for those who may read them (not annotators,
        // who never learn of gold).
        let progress = showsProgress
            ? Dictionary(try await req.store.statsOfEveryQueue().map { ($0.name, $0.stats) }, uniquingKeysWith: { first, _ in first })
            : [:]
        for queue in try await req.store.queues() {
            let actions = Self.actions(on: queue, for: actor, suspended: suspending.contains(queue.id))
            // A queue in languages or markets someone does not cover offers them nothing; it is not listed.
            guard !actions.isEmpty, worked?.contains(queue.id) ?? true else { continue }
            let stats = progress[queue.name]
            queues.append(HomePage.QueueRow(
                name: queue.name, markets: queue.markets.isEmpty ? "any" : queue.markets.joined(separator: ", "),
                languages: queue.languages.isEmpty ? "any" : queue.languages.joined(separator: ", "),
                items: stats?.workItems ?? 0, gold: stats?.goldItems ?? 0, complete: stats?.completedItems ?? 0,
                percent: Int(((stats?.completion ?? 0) * 100).rounded(.down)),
                actions: actions))
        }
        return try await req.view.render(
            "home", HomePage(chrome: try Chrome(req, title: "Queues"), showsProgress: showsProgress, queues: queues))
    }

    /// The screens of a queue a person may open, as the policy and the queue's routing decide. Someone the queue
    /// suspended, someone in training or suspended from labeling altogether, is offered its exams (passing one
    /// lifts a queue's suspension), not its work.
    private static func actions(on queue: Queue, for actor: Actor, suspended: Bool) -> [Chrome.Link] {
        let path = queue.name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? queue.name
        var links: [Chrome.Link] = []
        if actor.role.labels, (try? Eligibility.requireCanWork(actor.person, on: queue)) != nil {
            if !suspended, (try? Policy.requireCanLabel(actor)) != nil { links.append(Chrome.Link(title: "Label", href: "/work/\(path)")) }
            links.append(Chrome.Link(title: "Exams", href: "/training/\(path)"))
        }
        if (try? Policy.requireCanReview(actor)) != nil { links.append(Chrome.Link(title: "Review", href: "/review/\(path)")) }
        if (try? Policy.requireCanArbitrate(actor)) != nil { links.append(Chrome.Link(title: "Arbitrate", href: "/arbitration/\(path)")) }
        if (try? Policy.requireCanSeeScores(actor)) != nil { links.append(Chrome.Link(title: "Dashboard", href: "/dashboard/\(path)")) }
        return links
    }

    @Sendable func workbench(req: Request) async throws -> View {
        let actor = try req.actor()
        try Policy.requireCanLabel(actor)
        let (queue, guideline) = try await Self.queueAndGuideline(req)
        // Someone the queue would refuse every item gets the reason on a page of its own, not a workbench.
        try Eligibility.requireCanWork(actor.person, on: queue)
        try await req.store.requireNotSuspended(actor.person, from: queue)
        let startOfDay = Calendar.utc.startOfDay(for: req.now)
        let exposure = try await req.store.exposure(of: actor.person.id, on: req.now)
        let stretch = try await req.store.workStretchStart(of: actor.person.id, now: req.now)
        return try await req.view.render("workbench", WorkbenchPage(
            chrome: try Chrome(req, title: "Label · \(queue.name)"), queue: queue.name,
            multiple: queue.schema.kind == .multiChoice, rationaleRequired: queue.schema.rationale == .required,
            labels: LabelButton.all(of: queue, guideline: guideline), guidelineVersion: guideline?.version, guidelineRules: guideline?.generalRules(for: queue.schema.labels).map(GuidelineHTML.render),
            tally: try await req.store.judgmentCount(by: actor.person.id, since: startOfDay),
            exposure: queue.schema.severeCodes.map { code in
                WorkbenchPage.Exposure(
                    code: code, name: queue.schema.labels.first { $0.code == code }?.name ?? code, items: exposure[code] ?? 0,
                    limit: queue.quality.exposureLimit)
            },
            breakAfterMinutes: queue.quality.breakAfterMinutes ?? 0,
            stretchStartedAt: stretch.map { Int64($0.timeIntervalSince1970 * 1_000) } ?? 0,
            serverNow: Int64(req.now.timeIntervalSince1970 * 1_000), blurAllMedia: queue.quality.blurAllMedia))
    }

    @Sendable func review(req: Request) async throws -> View {
        try Policy.requireCanReview(try req.actor())
        let (queue, guideline) = try await Self.queueAndGuideline(req)
        return try await req.view.render("review", ReviewPage(
            chrome: try Chrome(req, title: "Review · \(queue.name)"), queue: queue.name,
            multiple: queue.schema.kind == .multiChoice, blind: queue.quality.qaBlind,
            labels: LabelButton.all(of: queue, guideline: guideline), guidelineVersion: guideline?.version, guidelineRules: guideline?.generalRules(for: queue.schema.labels).map(GuidelineHTML.render)))
    }

    @Sendable func arbitration(req: Request) async throws -> View {
        try Policy.requireCanArbitrate(try req.actor())
        let (queue, guideline) = try await Self.queueAndGuideline(req)
        return try await req.view.render("arbitration", ReviewPage(
            chrome: try Chrome(req, title: "Arbitrate · \(queue.name)"), queue: queue.name,
            multiple: queue.schema.kind == .multiChoice, blind: false,
            labels: LabelButton.all(of: queue, guideline: guideline), guidelineVersion: guideline?.version, guidelineRules: guideline?.generalRules(for: queue.schema.labels).map(GuidelineHTML.render)))
    }

    /// A queue's dashboard: volume, handling time, gold accuracy, QA score, agreement, arbitration and SLA by day
    /// as charts, the people ranked by the lower bound of their gold accuracy, a breakdown by `by` (week, day,
    /// vendor, team, annotator, market or label), the gold confusion heat map, and CSV downloads of every table.
    /// A vendor lead sees their own vendor's people and figures, without decision figures.
    @Sendable func dashboard(req: Request) async throws -> View {
        let actor = try req.actor()
        try Policy.requireCanSeeScores(actor)
        let queue = try await req.pathQueue()
        let period = try ActivityPeriod(req)
        let dimension = try req.query.choice("by", default: ReportDimension.week, among: ReportDimension.withinAQueue)
        let vendorScope = try Policy.vendorScope(of: actor)
        // A lead's dashboards are the queues their people worked on lately, as their home page offers: elsewhere
        // every figure of theirs would be empty beside the queue's own progress.
        if let vendorScope, try await !req.store.queuesOfVendorLead(vendorID: vendorScope, now: req.now).contains(queue.id) {
            throw AssayError.forbidden("none of your vendor's people worked on queue '\(queue.name)' in the last 90 days")
        }
        let facts = try await req.store.reportFacts(
            queues: [queue], from: period.from, to: period.to, vendorID: vendorScope, now: req.now)
        let stats = try await req.store.stats(of: queue.id)
        let exposure = try await req.store.exposureByTeam(
            labels: queue.schema.severeCodes, from: period.from, to: period.to, limit: queue.quality.exposureLimit,
            vendorID: vendorScope)
        var model: ModelPanel?
        if queue.assist.predictor != nil, (try? Policy.requireCanManageModels(actor)) != nil {
            model = ModelPanel(
                autoAccept: try await req.store.autoAcceptReport(of: queue), alignment: try await req.store.alignment(of: queue),
                runs: try await req.store.llmRuns(in: queue))
        }
        var vendorName: String?
        if let vendorScope { vendorName = try await req.store.vendor(vendorScope.uuidString).name }
        return try await req.view.render("dashboard", DashboardPage(
            chrome: try Chrome(req, title: "Dashboard · \(queue.name)"), queue: queue, facts: facts, stats: stats,
            period: period, by: dimension, exposure: exposure, statuses: try await req.store.memberStatuses(in: queue),
            model: model, vendor: vendorName, now: req.now))
    }

    /// A queue's exams, to sit in the browser: a training exam shows after each answer whether it was right, the
    /// reference answer, why, and the guideline passage. Anyone who labels, people in training first of all.
    @Sendable func training(req: Request) async throws -> View {
        let actor = try req.actor()
        try Policy.requireCanSitExams(actor)
        let (queue, guideline) = try await Self.queueAndGuideline(req)
        // As the exams API: an exam's items are the queue's gold, for the people the queue serves.
        try Eligibility.requireCanWork(actor.person, on: queue)
        let inProgress = try await req.store.answeredInOpenAttempts(by: actor.person, in: queue.id)
        let exams = try await req.store.exams(in: queue.id).map { exam in
            TrainingPage.ExamRow(
                id: exam.id.uuidString, name: exam.name, items: exam.itemIDs.count,
                passMark: String(format: "%.0f%%", exam.passMark * 100), training: exam.training,
                answered: inProgress[exam.id] ?? 0)
        }
        return try await req.view.render("training", TrainingPage(
            chrome: try Chrome(req, title: "Exams · \(queue.name)"), queue: queue.name,
            multiple: queue.schema.kind == .multiChoice, labels: LabelButton.all(of: queue, guideline: guideline),
            guidelineVersion: guideline?.version, guidelineRules: guideline?.generalRules(for: queue.schema.labels).map(GuidelineHTML.render), exams: exams))
    }

    /// The business review (`?period=week|month&date=YYYY-MM-DD&queues=a,b&vendor=V&market=M`), the page
    /// `assay report` writes to a file. A vendor lead gets their own vendor's review.
    @Sendable func report(req: Request) async throws -> View {
        let actor = try req.actor()
        try Policy.requireCanSeeScores(actor)
        let page = try await BusinessReviewPage.build(
            try ReviewScope(req), vendorScope: try Policy.vendorScope(of: actor), store: req.store, now: req.now, web: true)
        return try await req.view.render("report", page)
    }

    /// The queue the path names and its guidelines in force (nil when it has none).
    private static func queueAndGuideline(_ req: Request) async throws -> (Queue, Guideline?) {
        let queue = try await req.pathQueue()
        do {
            return (queue, try await req.store.guideline(of: queue.id, version: nil, now: req.now))
        } catch AssayError.notFound {
            return (queue, nil)
        }
    }
}

// MARK: - Forms and page contexts

extension ReviewScope {
    /// From a review page's query: `period` (week by default), `date`, `queues` (comma-separated), `vendor`, `market`.
    init(_ req: Request) throws {
        let period = try req.query.choice("period", default: BusinessReview.Period.week)
        let date = try req.query.day("date")
        let queues = req.query.list("queues")
        func optional(_ name: String) -> String? {
            req.query[String.self, at: name].map(\.trimmingBlanksAndNewlines).flatMap { $0.isEmpty ? nil : $0 }
        }
        self.init(queues: queues, vendor: optional("vendor"), market: optional("market"), period: period, date: date)
    }
}

struct SignInForm: Content {
    let token: String
    let csrf: String
    /// The page to go back to after signing in.
    let next: String?
}

struct SignInPage: Encodable {
    let csrf: String
    let error: String?
    let next: String?
}

/// What every signed-in page shows around its content: who is signed in, the navigation their role gets, the
/// CSRF token for forms and scripts.
struct Chrome: Encodable {
    struct Link: Encodable {
        let title: String
        let href: String
    }

    let title: String
    let person: String
    let role: String
    let csrf: String
    let navigation: [Link]

    init(_ req: Request, title: String) throws {
        let actor = try req.actor()
        self.title = title
        person = actor.person.name
        role = actor.role.rawValue.replacingOccurrences(of: "_", with: " ")
        csrf = req.webPage?.csrfToken ?? ""
        var links = [Link(title: "Queues", href: "/")]
        if (try? Policy.requireCanSeeScores(actor)) != nil { links.append(Link(title: "Business review", href: "/report")) }
        if actor.role != .annotator { links.append(Link(title: "API reference", href: "/openapi.yaml")) }
        navigation = links
    }
}

struct HomePage: Encodable {
    struct QueueRow: Encodable {
        let name: String
        let markets: String
        let languages: String
        /// Items to be labelled: gold items are counted apart, since they never get a final label.
        let items: Int
        let gold: Int
        let complete: Int
        let percent: Int
        let actions: [Chrome.Link]
    }

    let chrome: Chrome
    /// Whether the person may see the queues' progress (``Policy/requireCanSeeStats(_:)``).
    let showsProgress: Bool
    let queues: [QueueRow]
}

/// A label as a button: its number key (1–9) and the guideline passage shown when it has the focus, as HTML
/// (``MarkdownHTML``: escaped, then marked up).
struct LabelButton: Encodable {
    let code: String
    let name: String
    let description: String?
    let key: String?
    let passage: String?
    let exclusive: Bool

    static func all(of queue: Queue, guideline: Guideline?) -> [LabelButton] {
        queue.schema.labels.enumerated().map { index, label in
            LabelButton(
                code: label.code, name: label.name, description: label.description, key: index < 9 ? String(index + 1) : nil,
                passage: guideline?.passages[label.code].map(GuidelineHTML.render), exclusive: label.exclusive)
        }
    }
}

/// The QA review and arbitration screens.
struct ReviewPage: Encodable {
    let chrome: Chrome
    let queue: String
    let multiple: Bool
    let blind: Bool
    let labels: [LabelButton]
    let guidelineVersion: Int?
    /// The guidelines' rules for every label, shown above the passages.
    let guidelineRules: String?
}

/// The exams page: the queue's exams to choose from, and the labels to answer with.
struct TrainingPage: Encodable {
    struct ExamRow: Encodable {
        let id: String
        let name: String
        let items: Int
        let passMark: String
        let training: Bool
        /// Items already answered in the person's attempt in progress (0 when none): the attempt resumes there.
        let answered: Int
    }

    let chrome: Chrome
    let queue: String
    let multiple: Bool
    let labels: [LabelButton]
    let guidelineVersion: Int?
    /// The guidelines' rules for every label, shown above the passages.
    let guidelineRules: String?
    let exams: [ExamRow]
}

struct WorkbenchPage: Encodable {
    /// Today's exposure to one severe label of the queue.
    struct Exposure: Encodable {
        let code: String
        let name: String
        let items: Int
        let limit: Int?
        /// Whether today's items reached the limit: the badge is drawn so from the start, as the page's script
        /// draws it once a submit reaches it.
        let atLimit: Bool

        init(code: String, name: String, items: Int, limit: Int?) {
            (self.code, self.name, self.items, self.limit) = (code, name, items, limit)
            atLimit = limit.map { items >= $0 } ?? false
        }
    }

    let chrome: Chrome
    let queue: String
    let multiple: Bool
    let rationaleRequired: Bool
    let labels: [LabelButton]
    let guidelineVersion: Int?
    /// The guidelines' rules for every label, shown above the passages.
    let guidelineRules: String?
    let tally: Int
    let exposure: [Exposure]
    /// 0: no break reminders.
    let breakAfterMinutes: Int
    /// When the current stretch of work began (ms since 1970), 0 for a rested person.
    let stretchStartedAt: Int64
    /// The server's clock (ms), so the page measures the stretch on the server's time.
    let serverNow: Int64
    let blurAllMedia: Bool
}

extension Request {
    /// Whether the client reached the server over HTTPS (directly or through a proxy that says so), so that
    /// cookies are marked Secure exactly when the browser would send them back.
    var isSecure: Bool {
        url.scheme == "https" || headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
    }
}
