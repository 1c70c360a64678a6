import AssayCore
import AssayQuality
import AssayStore
import Foundation

/// The demo's six weeks, run day by day: each day's items arrive at its start and its judgments are imported at
/// its end, so items are decided, sampled for QA and sent to arbitration on the day they would have been; then
/// the QA reviewers and arbitrators work through what waits. On Mondays an analyst appeals a few labels; in the
/// middle of last week one vendor's annotators sit a calibration session on each of the first two queues.
struct DemoOperations {
    /// One queue's simulated work.
    struct QueueWork {
        let queue: Queue
        let simulator: ActivitySimulator
        /// The items that arrive during the weeks (gold items arrived before).
        let items: [DemoContent.Item]
        let judgments: [ImportedJudgment]
        /// The true labels, by item external id.
        let truth: [String: [String]]
    }

    let store: Store
    let staff: [(role: Role, person: Person)]
    let workers: [DemoWorkspace.Worker]
    let work: [QueueWork]
    let now: Date

    /// The item ids seen so far, by queue and external id (read as items arrive, for appeals).
    private var itemIDs: [UUID: [String: Int64]] = [:]
    private var lastItemID: [UUID: Int64] = [:]
    /// Items the model's label decided, by queue: nobody judges them.
    private var autoAccepted: [UUID: Set<String>] = [:]

    init(store: Store, staff: [(role: Role, person: Person)], workers: [DemoWorkspace.Worker], work: [QueueWork], now: Date) {
        self.store = store
        self.staff = staff
        self.workers = workers
        self.work = work
        self.now = now
    }

    mutating func run(rng: inout SplitMix64, summary: inout DemoWorkspace.Summary, progress: (Double) -> Void) async throws {
        let calendar = Calendar.utc
        let firstDay = calendar.startOfDay(for: now.addingTimeInterval(-42 * 86_400))
        let today = calendar.startOfDay(for: now)
        let itemsByDay = work.map { Dictionary(grouping: $0.items) { calendar.startOfDay(for: $0.createdAt) } }
        let judgmentsByDay = work.map { Dictionary(grouping: $0.judgments) { calendar.startOfDay(for: $0.submittedAt) } }
        let doubtful = work.map(Self.doubtfulItems)
        let calibrationWeek = BusinessReview.Period.week.lastComplete(before: now)
        let calibrationOpens = calibrationWeek.start.addingTimeInterval(2 * 86_400)

        var day = firstDay
        let dayCount = (today.timeIntervalSince(firstDay) / 86_400).rounded() + 1
        while day <= today {
            let dayEnd = min(day.addingTimeInterval(86_399), now)
            for (index, queueWork) in work.enumerated() {
                let queue = queueWork.queue
                if let items = itemsByDay[index][day] {
                    let before = lastItemID[queue.id]
                    summary.items += try await store.importItems(items.map(\.draft), into: queue, now: day).inserted
                    try await learnItemIDs(of: queue)
                    if queue.assist.autoAccept != nil {
                        try await predict(items, in: queue, after: before, at: day, rng: &rng)
                    }
                }
                let skipped = autoAccepted[queue.id] ?? []
                let judgments = (judgmentsByDay[index][day] ?? []).filter { !skipped.contains($0.itemExternalID) }
                for start in stride(from: 0, to: judgments.count, by: 5_000) {
                    let batch = Array(judgments[start..<min(start + 5_000, judgments.count)])
                    summary.judgments += try await store.importJudgments(batch, into: queue, origin: .assay, now: dayEnd).inserted
                }
                try await review(queueWork, on: day, until: dayEnd, isRecent: day >= today.addingTimeInterval(-86_400))
                try await arbitrate(queueWork, before: day, at: dayEnd)
                if calendar.component(.weekday, from: day) == 2, day != today {
                    try await appeal(in: queueWork, doubtful: doubtful[index], at: dayEnd, rng: &rng)
                }
                if day == calibrationOpens, index < 2 {
                    try await calibrate(queueWork, opens: day, closes: calibrationWeek.end.addingTimeInterval(-86_400), rng: &rng)
                }
            }
            progress(min(1, day.timeIntervalSince(firstDay) / 86_400 / dayCount))
            day = day.addingTimeInterval(86_400)
        }
    }

    /// The day's items get the model's predictions as they arrive; the ones it is sure of are auto-accepted, and
    /// their simulated judgments are dropped (nobody saw those items).
    private mutating func predict(
        _ items: [DemoContent.Item], in queue: Queue, after firstID: Int64?, at day: Date, rng: inout SplitMix64
    ) async throws {
        let predictions = DemoModel.predictions(
            for: items.map { ($0.draft.externalID, $0.truth) }, labels: queue.schema.codes, rng: &rng)
        _ = try await store.importPredictions(
            predictions, from: DemoModel.predictor, into: queue, now: day, auditSeed: rng.next())
        try await store.forEachFinalLabelPage(in: queue.id, after: firstID ?? 0) { page in
            for label in page where label.provenance == .model {
                autoAccepted[queue.id, default: []].insert(label.externalID)
            }
        }
    }

    /// Reviewers take turns on the day's waiting QA reviews. They run a day and a half behind: what yesterday and
    /// today sampled waits, so that a QA reviewer signing in to the demo has work (at 3,000 items, 1 review was left
    /// when only today's waited).
    private func review(_ queueWork: QueueWork, on day: Date, until dayEnd: Date, isRecent: Bool) async throws {
        let reviewers = staff.filter { $0.role == .qaReviewer }.map(\.person)
        var done = 0
        let cap = isRecent ? 0 : 400
        while done < cap, let task = try await store.nextQAReview(
            in: queueWork.queue, for: reviewers[done % reviewers.count], now: dayEnd)
        {
            let truth = queueWork.truth[task.item.externalID] ?? []
            let correct = LabelMatch.isSame(task.judgedLabels ?? [], as: truth)
            let verdict = queueWork.queue.quality.qaBlind
                ? QAVerdict(labels: truth, errorCategory: correct ? nil : "policy_misread", severity: correct ? nil : .minor)
                : QAVerdict(
                    correct: correct, labels: correct ? nil : truth, errorCategory: correct ? nil : "policy_misread",
                    severity: correct ? nil : (truth.contains("minor_safety") || truth.contains("self_harm") ? .critical : .minor))
            _ = try await store.submitQAReview(
                task.review.id, verdict: verdict, by: reviewers[done % reviewers.count], now: dayEnd)
            done += 1
        }
    }

    /// Arbitrators decide the cases opened before today, with the true label (a day's lag, as in a real team).
    private func arbitrate(_ queueWork: QueueWork, before day: Date, at dayEnd: Date) async throws {
        let arbitrators = staff.filter { $0.role == .arbitrator }.map(\.person)
        var after: Int64?
        var decided = 0
        while true {
            let files = try await store.arbitrationFiles(in: queueWork.queue, state: .open, after: after, limit: 200, now: dayEnd)
            guard let last = files.last else { return }
            for file in files where file.arbitrationCase.openedAt < day {
                let truth = queueWork.truth[file.item.externalID] ?? []
                guard !truth.isEmpty else { continue }
                _ = try await store.decide(
                    file.arbitrationCase.id, labels: truth, rationale: "Decided against the policy text.", promoteToGold: false,
                    by: arbitrators[decided % arbitrators.count], now: dayEnd)
                decided += 1
            }
            after = last.arbitrationCase.id
        }
    }

    /// An analyst appeals up to three labels the crowd probably got wrong, and one it got right (an appeal that
    /// will be upheld), among the items that have arrived.
    private mutating func appeal(
        in queueWork: QueueWork, doubtful: (wrong: [String], right: [String]), at dayEnd: Date, rng: inout SplitMix64
    ) async throws {
        guard let analyst = staff.first(where: { $0.role == .analyst })?.person else { return }
        let known = itemIDs[queueWork.queue.id] ?? [:]
        var appealed = 0
        for (candidates, wanted) in [(doubtful.wrong, 3), (doubtful.right, 1)] {
            var taken = 0
            for externalID in candidates.shuffled(using: &rng) where taken < wanted {
                guard let itemID = known[externalID] else { continue }
                do {
                    _ = try await store.appeal(
                        itemID: itemID, note: "The vendor disputes this label.", by: analyst, now: dayEnd)
                    taken += 1
                    appealed += 1
                } catch AssayError.notFound, AssayError.conflict {
                    continue  // not decided yet, or already before an arbitrator
                }
            }
        }
    }

    /// The annotators of one vendor working on the queue answer ten of its gold items in a session that runs to the
    /// end of the week.
    private func calibrate(_ queueWork: QueueWork, opens: Date, closes: Date, rng: inout SplitMix64) async throws {
        let references = try await store.gold(in: queueWork.queue.id, after: nil, limit: 10)
        let eligible = workers.filter { (try? Eligibility.requireCanWork($0.person, on: queueWork.queue)) != nil }
        guard let vendorID = eligible.first?.person.vendorID, !references.isEmpty else { return }
        let session = try await store.createCalibration(
            CalibrationDraft(
                name: "Week calibration · \(queueWork.queue.name)", items: references.map(\.itemExternalID),
                participants: .init(CalibrationSession.Participants(vendors: [vendorID])), opensAt: opens, closesAt: closes),
            in: queueWork.queue, now: opens)
        let simulator = queueWork.simulator
        for worker in eligible where worker.person.vendorID == vendorID {
            for reference in references {
                try await store.answerCalibration(
                    session, item: reference.itemID,
                    labels: simulator.answer(of: worker, truth: reference.labels, rng: &rng), by: worker.person,
                    now: opens.addingTimeInterval(3_600))
            }
        }
    }

    /// Reads the ids of the items that arrived since the last call.
    private mutating func learnItemIDs(of queue: Queue) async throws {
        while true {
            let page = try await store.items(in: queue.id, after: lastItemID[queue.id], limit: 5_000)
            guard let last = page.last else { return }
            for item in page { itemIDs[queue.id, default: [:]][item.externalID] = item.id }
            lastItemID[queue.id] = last.id
        }
    }

    /// Items whose simulated judgments' clear majority missed the truth (appeals that will overturn), and some it hit.
    private static func doubtfulItems(_ work: QueueWork) -> (wrong: [String], right: [String]) {
        var votes: [String: [String: Int]] = [:]
        for judgment in work.judgments {
            votes[judgment.itemExternalID, default: [:]][judgment.labels.joined(separator: "+"), default: 0] += 1
        }
        var wrong: [String] = []
        var right: [String] = []
        for (item, counts) in votes.sorted(by: { $0.key < $1.key }) {
            let ranked = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            // A clear majority only: a tie goes to an arbitrator, who already gives the true label.
            guard let top = ranked.first, ranked.count == 1 || ranked[1].value < top.value else { continue }
            if top.key == (work.truth[item] ?? []).joined(separator: "+") { right.append(item) } else { wrong.append(item) }
        }
        return (wrong, Array(right.prefix(200)))
    }
}
