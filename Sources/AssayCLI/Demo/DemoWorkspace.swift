import AssayCore
import AssayQuality
import AssayStore
import Foundation

/// A realistic workspace to explore Assay with: three BPO vendors, about sixty annotators of varied skill and
/// speed, five queues across markets and languages (one of them RLHF preference pairs), ~20k items, and six weeks of
/// simulated work.
///
/// Everything is drawn from one seeded generator, so the same seed builds the same workspace.
///
/// For example:
/// ```swift
/// let summary = try await DemoWorkspace(itemCount: 2_000, seed: 7).build(in: store, now: Date()) { _ in }
/// ```
struct DemoWorkspace {
    let itemCount: Int
    let seed: UInt64

    /// The people whose tokens the demo prints, and what was built.
    struct Summary {
        var queues: [String] = []
        var items = 0
        var judgments = 0
        var goldItems = 0
        var staff: [(role: Role, person: Person)] = []
        var sampleAnnotators: [Person] = []
    }

    /// One simulated annotator: who they are and how they work.
    struct Worker {
        let person: Person
        /// Probability of giving the true label.
        let accuracy: Double
        /// Mean seconds per item.
        let secondsPerItem: Double
        /// A spammer answers at random, fast.
        let isSpammer: Bool
    }

    /// Builds the workspace; `progress` receives the fraction done.
    ///
    /// Time runs day by day, as it would have: each day's items arrive at its start, its judgments are imported at
    /// its end (so items are decided, sampled for QA and sent to arbitration on the day it happened), then the QA
    /// reviewers and arbitrators work through what is waiting, and once a week an analyst appeals a few doubtful
    /// labels. A calibration session runs in the middle of last week.
    func build(in store: Store, now: Date, progress: (Double) -> Void) async throws -> Summary {
        var rng = SplitMix64(seed: seed)
        var summary = Summary()
        let (workers, staff) = try await makePeople(in: store, now: now, rng: &rng)
        summary.staff = staff
        summary.sampleAnnotators = [workers[0].person, workers[20].person, workers[40].person]
        progress(0.05)
        let arbitrator = staff.first { $0.role == .arbitrator }!.person
        var simulated: [DemoOperations.QueueWork] = []
        for plan in DemoQueues.all(totalItems: itemCount) {
            var queue = try await store.createQueue(plan.draft, now: now.addingTimeInterval(-43 * 86_400))
            summary.queues.append(queue.name)
            let items = DemoContent.items(for: plan, now: now, rng: &rng)
            // The policy team's reference answers on one item in forty (at least 20), set before the work began:
            // those items arrive first.
            var goldIndices = Set<Int>()
            while goldIndices.count < min(items.count, max(20, items.count / 40)) {
                goldIndices.insert(Int.random(in: 0..<items.count, using: &rng))
            }
            let goldItems = goldIndices.sorted().map { items[$0] }
            let start = now.addingTimeInterval(-42 * 86_400)
            summary.items += try await store.importItems(goldItems.map(\.draft), into: queue, now: start).inserted
            let gold = goldItems.map {
                GoldDraft(itemExternalID: $0.draft.externalID, labels: $0.truth, rationale: "Reference answer agreed by the policy team.")
            }
            _ = try await store.importGold(gold, into: queue, by: arbitrator, now: start)
            summary.goldItems += gold.count
            // A training exam on ten of them, for new people to practise on (/training/{queue}). It shows their
            // answers, so they leave the gold people are scored on.
            let trainingIDs = gold.prefix(10).map(\.itemExternalID)
            _ = try await store.createExam(
                ExamDraft(name: "Policy basics (training)", items: trainingIDs, passMark: 0.8, training: true),
                in: queue, by: arbitrator, now: start)
            // The policy in force from the start: the workbench shows the focused label's passage beside the item,
            // and every judgment records the version it was made under.
            let analyst = staff.first { $0.role == .analyst }!.person
            _ = try await store.publishGuideline(
                GuidelineDraft(markdown: DemoQueues.guidelines(for: queue), effectiveAt: start), for: queue, by: analyst,
                now: start)
            if queue.name == DemoQueues.firstName {
                // The triage model predicts the gold items too (which measures it), then the queue starts using it.
                _ = try await store.importPredictions(
                    DemoModel.predictions(
                        for: goldItems.map { ($0.draft.externalID, $0.truth) }, labels: queue.schema.codes, rng: &rng),
                    from: DemoModel.predictor, into: queue, now: start, auditSeed: rng.next())
                queue = try await store.updateAssist(of: queue, to: DemoModel.settings, by: analyst, now: start)
            }
            let eligible = workers.filter { (try? Eligibility.requireCanWork($0.person, on: queue)) != nil }
            // The training exam's items are retired gold: served to nobody.
            let served = items.filter { !trainingIDs.contains($0.draft.externalID) }
            let goldIDs = Set(gold.map(\.itemExternalID)).subtracting(trainingIDs)
            var simulator = ActivitySimulator(queue: queue, plan: plan, workers: eligible, goldIDs: goldIDs, now: now)
            let judgments = simulator.judgments(for: served, rng: &rng)
            simulated.append(DemoOperations.QueueWork(
                queue: queue, simulator: simulator, items: served.filter { !goldIDs.contains($0.draft.externalID) },
                judgments: judgments,
                truth: Dictionary(uniqueKeysWithValues: items.map { ($0.draft.externalID, $0.truth) })))
        }
        var operations = DemoOperations(store: store, staff: staff, workers: workers, work: simulated, now: now)
        try await operations.run(rng: &rng, summary: &summary) { progress(0.05 + 0.95 * $0) }
        progress(1)
        return summary
    }

    // MARK: - People

    private func makePeople(in store: Store, now: Date, rng: inout SplitMix64) async throws
        -> ([Worker], [(role: Role, person: Person)])
    {
        var workers: [Worker] = []
        var staff: [(role: Role, person: Person)] = []
        let joined = now.addingTimeInterval(-60 * 86_400)
        for vendorPlan in DemoVendors.all {
            let vendor = try await store.createVendor(named: vendorPlan.name, now: joined)
            var teams: [Team] = []
            for teamName in vendorPlan.teams {
                teams.append(try await store.createTeam(named: teamName, in: vendor.id, now: joined))
            }
            let lead = try await store.createPerson(
                PersonDraft(
                    externalID: "\(vendorPlan.slug)-lead", name: vendorPlan.leadName, role: .vendorLead, vendorID: vendor.id),
                now: joined)
            staff.append((.vendorLead, lead))
            for index in 0..<20 {
                let name = vendorPlan.annotatorName(index)
                let person = try await store.createPerson(
                    PersonDraft(
                        externalID: String(format: "%@-%03d", vendorPlan.slug, index + 1), name: name, role: .annotator,
                        vendorID: vendor.id, teamID: teams[index % teams.count].id,
                        languages: vendorPlan.languages(index), markets: vendorPlan.markets),
                    now: joined)
                // Skill varies widely; two people per vendor are careless, and one in thirty answers at random.
                let isSpammer = index == 13
                let accuracy = isSpammer ? 0.25 : (index % 7 == 3 ? Double.random(in: 0.55...0.7, using: &rng)
                    : Double.random(in: 0.78...0.97, using: &rng))
                let speed = isSpammer ? 6 : Double.random(in: 14...70, using: &rng)
                workers.append(Worker(person: person, accuracy: accuracy, secondsPerItem: speed, isSpammer: isSpammer))
            }
        }
        for (role, name) in [
            (Role.admin, "Dana Admin"), (.analyst, "Priya Raman"), (.arbitrator, "Tomás Ortega"),
            (.arbitrator, "Amara Okafor"), (.qaReviewer, "Lena Fischer"), (.qaReviewer, "Kenji Watanabe"),
        ] {
            let person = try await store.createPerson(PersonDraft(name: name, role: role), now: joined)
            staff.append((role, person))
        }
        return (workers, staff)
    }
}

/// The three demo vendors: where they are, which languages and markets they cover.
enum DemoVendors {
    struct Plan: Sendable {
        let name: String
        let slug: String
        let teams: [String]
        let leadName: String
        let markets: [String]
        let names: [String]
        let languages: @Sendable (Int) -> [String]

        /// The `index`th annotator's name: the ten full names first, then the same first names with other surnames,
        /// so that twenty people per vendor have twenty different names.
        func annotatorName(_ index: Int) -> String {
            let first = names[index % names.count].split(separator: " ", maxSplits: 1)[0]
            let last = names[(index + 3 * (index / names.count)) % names.count].split(separator: " ", maxSplits: 1)[1]
            return "\(first) \(last)"
        }
    }

    static let all: [Plan] = [
        Plan(
            name: "Northwind BPO", slug: "northwind", teams: ["Manila A", "Manila B"], leadName: "Marites Santos",
            markets: ["US", "GB", "PH"],
            names: ["Angelica Reyes", "Paolo Cruz", "Jasmine Bautista", "Mark Villanueva", "Kristine Ramos",
                    "Joshua Mendoza", "Camille Garcia", "Carlo Aquino", "Patricia Dizon", "Miguel Navarro"],
            languages: { $0 % 4 == 0 ? ["en", "tl"] : ["en"] }),
        Plan(
            name: "Atlas Review", slug: "atlas", teams: ["São Paulo", "Mexico City"], leadName: "Renata Alves",
            markets: ["BR", "MX", "AR", "ES"],
            names: ["Beatriz Souza", "Lucas Oliveira", "Mariana Costa", "Diego Hernández", "Valentina López",
                    "Gabriel Lima", "Sofía Martínez", "Rafael Pereira", "Camila Rodríguez", "Thiago Santos"],
            languages: { $0 % 2 == 0 ? ["pt-BR", "es"] : ($0 % 3 == 0 ? ["pt-BR"] : ["es"]) }),
        Plan(
            name: "Kestrel Trust", slug: "kestrel", teams: ["Hyderabad 1", "Hyderabad 2"], leadName: "Arjun Mehta",
            markets: ["IN", "US", "GB"],
            names: ["Ananya Reddy", "Rohan Sharma", "Sneha Iyer", "Vikram Nair", "Pooja Gupta", "Aditya Rao",
                    "Kavya Menon", "Rahul Verma", "Divya Pillai", "Siddharth Joshi"],
            languages: { $0 % 3 == 0 ? ["en", "hi"] : ["en"] }),
    ]
}
