import AssayCore
import AssayQuality
import Foundation

/// Six weeks of work on a queue: each item is judged by as many eligible annotators as the overlap asks, at
/// realistic times, with answers drawn from each annotator's skill. The newest items are left as backlog.
struct ActivitySimulator {
    let queue: Queue
    let plan: DemoQueues.Plan
    let workers: [DemoWorkspace.Worker]
    /// Gold items: served to many annotators (up to ten each), as gold is, rather than to `overlap` of them.
    let goldIDs: Set<String>
    let now: Date

    /// The judgments, ready for `Store.importJudgments`.
    mutating func judgments(for items: [DemoContent.Item], rng: inout SplitMix64) -> [ImportedJudgment] {
        var judgments: [ImportedJudgment] = []
        judgments.reserveCapacity(items.count * queue.overlap)
        for (index, item) in items.enumerated() {
            // Items from the last day or so are still waiting, as in any live queue.
            let waiting = now.timeIntervalSince(item.createdAt)
            guard waiting > Double.random(in: 3_600...129_600, using: &rng) else { continue }
            let eligible = workers.filter { worker in
                worker.person.markets.contains(item.draft.market ?? "")
                    && worker.person.languages.contains { Eligibility.speaks($0, item.draft.language ?? "en") }
            }
            let pool = eligible.count >= queue.overlap ? eligible : workers
            guard pool.count >= queue.overlap else { continue }
            let wanted = goldIDs.contains(item.draft.externalID) ? min(pool.count, 10) : queue.overlap
            var chosen = Set<Int>()
            while chosen.count < wanted { chosen.insert(Int.random(in: 0..<pool.count, using: &rng)) }
            for workerIndex in chosen.sorted() {
                let worker = pool[workerIndex]
                let delay = min(waiting - 60, -log(Double.random(in: 0.0001..<1, using: &rng)) * 5 * 3_600)
                let handling = max(3, worker.secondsPerItem * Double.random(in: 0.5...1.8, using: &rng))
                let submitted = item.createdAt.addingTimeInterval(max(60, delay))
                judgments.append(ImportedJudgment(
                    itemExternalID: item.draft.externalID, annotatorExternalID: worker.person.externalID,
                    labels: answer(of: worker, truth: item.truth, rng: &rng),
                    rationale: nil, startedAt: submitted.addingTimeInterval(-handling), submittedAt: submitted,
                    line: index + 1))
            }
        }
        return judgments
    }

    /// A right answer with the worker's accuracy; otherwise a plausible confusion, or noise from a spammer.
    func answer(of worker: DemoWorkspace.Worker, truth: [String], rng: inout SplitMix64) -> [String] {
        let codes = queue.schema.codes
        if worker.isSpammer { return [codes[Int.random(in: 0..<codes.count, using: &rng)]] }
        if Double.random(in: 0..<1, using: &rng) < worker.accuracy { return truth }
        let confusions = plan.confusions[truth[0]] ?? []
        if let first = confusions.first, Double.random(in: 0..<1, using: &rng) < 0.8 {
            return [Double.random(in: 0..<1, using: &rng) < 0.7 ? first : (confusions.last ?? first)]
        }
        return [codes[Int.random(in: 0..<codes.count, using: &rng)]]
    }
}
