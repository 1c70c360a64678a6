import AssayCore
import AssayQuality
@testable import AssayStore
import AssayTesting
import Foundation
import SQLKit
import Testing

/// Predictions, auto-accept and its audit on a simulated queue whose true labels are known.
@Suite("Predictions and auto-accept")
struct AutoAcceptTests {
    static let labels = ["hate", "harassment", "spam", "none"]
    static let model = Predictor.Reference(name: "triage", version: "1")

    /// A calibrated model: confidence c drawn from [0.6, 1), right with probability c, else a random wrong label.
    static func simulate(count: Int, seed: UInt64) -> (truth: [String: String], predictions: [PredictionDraft]) {
        var rng = SplitMix64(seed: seed)
        var truth: [String: String] = [:]
        var predictions: [PredictionDraft] = []
        for index in 1...count {
            let item = String(format: "item-%04d", index)
            let label = labels[Int.random(in: 0..<labels.count, using: &rng)]
            truth[item] = label
            let confidence = Double.random(in: 0.6..<1, using: &rng)
            let right = Double.random(in: 0..<1, using: &rng) < confidence
            let predicted = right ? label : labels.filter { $0 != label }.randomElement(using: &rng)!
            predictions.append(PredictionDraft(itemExternalID: item, labels: [predicted], confidence: confidence, line: index + 1))
        }
        return (truth, predictions)
    }

    @Test("confident predictions become final labels and leave the pool; the audit measures their precision",
          arguments: TestBackend.allCases)
    func autoAcceptWithAudit(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            var queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 600, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            let (truth, predictions) = Self.simulate(count: 600, seed: 42)
            // One item is already in someone's hands when the predictions arrive: it must stay theirs.
            let early = try await store.createPerson(PersonDraft(externalID: "early", name: "Early", role: .annotator), now: now)
            let held = try #require(try await store.leaseNextItem(in: queue, for: early, now: now))

            // Predictions stored before auto-accept is on are not routed; turning it on routes them.
            let first = try await store.importPredictions(predictions, from: Self.model, into: queue, now: now, auditSeed: 1)
            #expect(first.inserted == 600 && first.replaced == 0 && first.routed.isEmpty)
            queue = try await store.updateAssist(
                of: queue, to: AssistSettings(predictor: Self.model, autoAccept: AutoAccept(threshold: 0.9, auditRate: 0.2)),
                by: analyst, now: now, auditSeed: 1)
            let report = try await store.autoAcceptReport(of: queue)
            let confident = predictions.filter { $0.confidence >= 0.9 }
            let heldConfident = confident.contains(where: { $0.itemExternalID == held.item.externalID })
            #expect(report.autoAccepted + report.audited + report.sentToPeople == 600)
            #expect(report.autoAccepted + report.audited == confident.count - (heldConfident ? 1 : 0))
            let auditShare = Double(report.audited) / Double(report.autoAccepted + report.audited)
            #expect(auditShare > 0.12 && auditShare < 0.28, "audit share \(auditShare) near 0.2")

            // Every auto-accepted item has the model's label as its final label, with provenance and confidence.
            var finals: [String: FinalLabel] = [:]
            try await store.forEachFinalLabelPage(in: queue.id) { page in for label in page { finals[label.externalID] = label } }
            #expect(finals.count == report.autoAccepted)
            let byItem = Dictionary(uniqueKeysWithValues: predictions.map { ($0.itemExternalID, $0) })
            for (item, label) in finals {
                #expect(label.provenance == .model && label.labels == byItem[item]?.labels && label.judgmentCount == 0)
                #expect(label.confidence == byItem[item]?.confidence)
            }
            #expect(finals[held.item.externalID] == nil, "the item already leased stays with its annotator")

            // People label everything the pool still holds, correctly; no auto-accepted item reaches them.
            _ = try await store.submitJudgment(JudgmentSubmission(labels: [truth[held.item.externalID]!]), on: held.assignment.id, by: early, now: now)
            let reviewer = try await store.createPerson(PersonDraft(externalID: "rev", name: "Rev", role: .annotator), now: now)
            var labelled = 1
            while let lease = try await store.leaseNextItem(in: queue, for: reviewer, now: now) {
                #expect(finals[lease.item.externalID] == nil, "\(lease.item.externalID) was auto-accepted but leased")
                _ = try await store.submitJudgment(
                    JudgmentSubmission(labels: [truth[lease.item.externalID]!]), on: lease.assignment.id, by: reviewer, now: now)
                labelled += 1
            }
            #expect(labelled == 600 - report.autoAccepted)
            let stats = try await store.stats(of: queue.id)
            #expect(stats.completedItems == 600 && stats.resolvedItems == 600)

            // The week's figures count the model's decisions among the items resolved, and say how many it made.
            let facts = try await store.reportFacts(queues: [queue], from: now, to: now)
            let decisions = try #require(facts.total.decisions)
            #expect(decisions.modelDecided == report.autoAccepted)
            #expect(decisions.decided == 600 - report.autoAccepted, "the rule decided the rest")
            #expect(decisions.firstResolved == 600)
            #expect(facts.total.modelDecisions == GoldScore(answered: 600, correct: report.autoAccepted))
            // Filling the sums from scratch, as migrations 024 and 035 do on an existing workspace, gives the same.
            let sql = try store.sql()
            try await sql.raw("DELETE FROM agreement_days").run()
            try await sql.raw("DELETE FROM decision_days").run()
            try await CreateDecisionDays.backfill(sql)
            try await AddModelDecided.backfill(sql)
            let refilled = try #require(try await store.reportFacts(queues: [queue], from: now, to: now).total.decisions)
            #expect(refilled.modelDecided == decisions.modelDecided && refilled.decided == decisions.decided)
            #expect(refilled.firstResolved == decisions.firstResolved && refilled.waitMs == decisions.waitMs)

            // The audit's precision is exactly the audited predictions that were right, and the interval holds the
            // precision of the auto-accepted labels themselves, which the simulation knows.
            let after = try await store.autoAcceptReport(of: queue)
            #expect(after.precision.answered == report.audited)
            let audited = Set(after.disagreements.map(\.itemExternalID))
            for item in audited { #expect(truth[item] != byItem[item]?.labels.first) }
            let acceptedRight = finals.keys.count(where: { truth[$0] == byItem[$0]?.labels.first })
            let truePrecision = Double(acceptedRight) / Double(finals.count)
            #expect(after.precision.interval.lower <= truePrecision && truePrecision <= after.precision.interval.upper,
                    "true precision \(truePrecision) in \(after.precision.interval)")
            #expect(truePrecision > 0.85, "a calibrated model above 0.9 confidence is right about 95% of the time")

            // Alignment with people on the items both labelled: the humans here are the truth.
            let alignment = try await store.alignment(of: queue)
            let both = predictions.filter { finals[$0.itemExternalID] == nil }
            let agreeing = both.count(where: { truth[$0.itemExternalID] == $0.labels.first })
            #expect(alignment.agreement == GoldScore(answered: both.count, correct: agreeing))
            #expect((alignment.kappa ?? 0) > 0.4)

            let routed = try await store.auditEvents(AuditFilter(queueID: queue.id, action: .predictionsRouted))
            #expect(routed.count == 1)
        }
    }

    @Test("every bad row of a predictions import is named in one answer: an unknown item, a repeat, a confidence, a label",
          arguments: TestBackend.allCases)
    func everyBadRowAtOnce(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store)
            try await Fixtures.items(store, into: queue, count: 3)
            let rows = [
                PredictionDraft(itemExternalID: "item-0001", labels: ["spam"], confidence: 0.9, line: 2),
                PredictionDraft(itemExternalID: "item-0404", labels: ["spam"], confidence: 0.9, line: 3),
                PredictionDraft(itemExternalID: "item-0001", labels: ["spam"], confidence: 0.8, line: 4),
                PredictionDraft(itemExternalID: "item-0002", labels: ["spam"], confidence: 1.5, line: 5),
                PredictionDraft(itemExternalID: "item-0003", labels: ["spamm"], confidence: 0.9, line: 6),
            ]
            await #expect {
                try await store.importPredictions(rows, from: Self.model, into: queue, now: Date())
            } throws: { error in
                let text = String(describing: error)
                return ["line 3: external_id: no item 'item-0404'", "line 4: external_id:", "line 5: confidence:", "line 6:"]
                    .allSatisfy(text.contains)
            }
            #expect(try await store.predictors().isEmpty, "nothing was stored")
        }
    }

    @Test("a re-imported prediction that went to people is routed again; one that was accepted may only repeat itself",
          arguments: TestBackend.allCases)
    func reimportedPredictions(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            var queue = try await Fixtures.queue(store)
            try await Fixtures.items(store, into: queue, count: 3)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
            let first = [
                PredictionDraft(itemExternalID: "item-0001", labels: ["spam"], confidence: 0.99, line: 2),
                PredictionDraft(itemExternalID: "item-0002", labels: ["spam"], confidence: 0.5, line: 3),
            ]
            _ = try await store.importPredictions(first, from: Self.model, into: queue, now: Date())
            queue = try await store.updateAssist(
                of: queue, to: AssistSettings(predictor: Self.model, autoAccept: AutoAccept(threshold: 0.9, auditRate: 0)),
                by: analyst, now: Date())
            #expect(try await store.finalLabels(in: queue.id, after: nil, limit: 10).map(\.externalID) == ["item-0001"])

            // item-0002 went to people; now confident, and still free, it is accepted.
            let raised = try await store.importPredictions(
                [PredictionDraft(itemExternalID: "item-0002", labels: ["none"], confidence: 0.99, line: 2)], from: Self.model,
                into: queue, now: Date())
            #expect(raised.replaced == 1 && raised.routed == [.autoAccepted: 1], "\(raised)")
            let finals = try await store.finalLabels(in: queue.id, after: nil, limit: 10)
            #expect(finals.map(\.externalID) == ["item-0001", "item-0002"] && finals[1].labels == ["none"])

            // item-0001 was accepted on its prediction: the same prediction again is fine, another one is refused.
            let repeated = try await store.importPredictions([first[0]], from: Self.model, into: queue, now: Date())
            #expect(repeated.replaced == 1)
            await #expect {
                try await store.importPredictions(
                    [PredictionDraft(itemExternalID: "item-0001", labels: ["none"], confidence: 0.99, line: 7)], from: Self.model,
                    into: queue, now: Date())
            } throws: { error in
                guard case AssayError.invalidInput(_, let line, let reason) = error else { return false }
                return line == 7 && reason.contains("already routed (auto_accepted)") && reason.contains("new version")
            }
            #expect(try await store.finalLabels(in: queue.id, after: nil, limit: 10)[0].labels == ["spam"])
        }
    }

    @Test("a bad predictions file changes nothing, and says which line is wrong", arguments: TestBackend.allCases)
    func badFiles(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let queue = try await Fixtures.queue(store)
            try await Fixtures.items(store, into: queue, count: 3)
            let good = PredictionDraft(itemExternalID: "item-0001", labels: ["spam"], confidence: 0.9, line: 2)
            let cases: [(PredictionDraft, String, Int)] = [
                (PredictionDraft(itemExternalID: "item-0404", labels: ["spam"], confidence: 0.9, line: 3), "external_id", 3),
                (PredictionDraft(itemExternalID: "item-0002", labels: ["spamm"], confidence: 0.9, line: 3), "labels", 3),
                (PredictionDraft(itemExternalID: "item-0002", labels: ["spam", "none"], confidence: 0.9, line: 3), "labels", 3),
                (PredictionDraft(itemExternalID: "item-0001", labels: ["none"], confidence: 0.9, line: 3), "external_id", 3),
                (PredictionDraft(itemExternalID: "item-0002", labels: ["none"], confidence: 1.5, line: 3), "confidence", 3),
            ]
            for (bad, field, line) in cases {
                await #expect {
                    try await store.importPredictions([good, bad], from: Self.model, into: queue, now: Date())
                } throws: { error in
                    guard case AssayError.invalidInput(let named, let at, _) = error else { return false }
                    return named == field && at == line
                }
            }
            #expect(try await store.predictors().isEmpty, "no predictor was registered by a refused file")
            // A replaced prediction counts as replaced, and the predictor lists its items once.
            _ = try await store.importPredictions([good], from: Self.model, into: queue, now: Date())
            let again = try await store.importPredictions(
                [PredictionDraft(itemExternalID: "item-0001", labels: ["none"], confidence: 0.6)], from: Self.model, into: queue,
                now: Date())
            #expect(again.replaced == 1 && again.inserted == 0)
            #expect(try await store.predictors().map(\.predictions) == [1])
            // Settings naming a predictor with no predictions are refused.
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
            await #expect(throws: AssayError.self) {
                try await store.updateAssist(
                    of: queue, to: AssistSettings(predictor: Predictor.Reference(name: "ghost", version: "1"), showPredictions: true),
                    by: analyst, now: Date())
            }
        }
    }

    @Test("suggestions: shown only when the queue says so; taking wrong ones on gold is measured", arguments: TestBackend.allCases)
    func suggestionsAndRubberStamping(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            var queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 20, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            // Items 1–10 are gold with reference `none`; the model says `spam` (wrong) on 1–6 and `none` on 7–10.
            _ = try await store.importGold(
                (1...10).map { GoldDraft(itemExternalID: String(format: "item-%04d", $0), labels: ["none"]) }, into: queue,
                by: analyst, now: now)
            let predictions = (1...20).map { index in
                PredictionDraft(
                    itemExternalID: String(format: "item-%04d", index), labels: [index <= 6 ? "spam" : "none"], confidence: 0.8)
            }
            _ = try await store.importPredictions(predictions, from: Self.model, into: queue, now: now)
            let plain = try await store.createPerson(PersonDraft(externalID: "p", name: "Plain", role: .annotator), now: now)
            let lease = try #require(try await store.leaseNextItem(in: queue, for: plain, now: now))
            #expect(lease.suggestion == nil, "suggestions are off by default")
            _ = try await store.submitJudgment(JudgmentSubmission(labels: ["none"]), on: lease.assignment.id, by: plain, now: now)

            queue = try await store.updateAssist(
                of: queue, to: AssistSettings(predictor: Self.model, showPredictions: true), by: analyst, now: now)
            queue = try await store.updateQuality(of: queue, to: QualitySettings(goldRate: 0.5), by: analyst, now: now)
            // A rubber-stamper takes every suggestion; every gold item reaches them within a bounded number of calls.
            let stamper = try await store.createPerson(PersonDraft(externalID: "s", name: "Stamper", role: .annotator), now: now)
            var goldSeen = 0
            for _ in 0..<400 where goldSeen < 10 {
                guard let lease = try await store.leaseNextItem(in: queue, for: stamper, now: now) else { continue }
                let suggestion = try #require(lease.suggestion, "every item has a prediction, so every lease shows one")
                #expect(suggestion.predictor == Self.model)
                if Int(lease.item.externalID.suffix(4))! <= 10 { goldSeen += 1 }
                _ = try await store.submitJudgment(JudgmentSubmission(labels: suggestion.labels), on: lease.assignment.id, by: stamper, now: now)
            }
            #expect(goldSeen == 10)
            let alignment = try await store.alignment(of: queue)
            #expect(alignment.rubberStamp.acceptedWhenWrong == GoldScore(answered: 6, correct: 6))
            #expect(alignment.rubberStamp.acceptedWhenRight == GoldScore(answered: 4, correct: 4))
            #expect(alignment.rubberStamp.accepted.answered == alignment.rubberStamp.accepted.correct)
            #expect(alignment.gold.model == GoldScore(answered: 10, correct: 4))
            #expect(alignment.gold.people == GoldScore(answered: 10, correct: 4), "the stamper's gold answers copy the model")
        }
    }

    @Test("review routing: the model decides the safe items, one or two people the others by risk, an expert the riskiest",
          arguments: TestBackend.allCases)
    func reviewRouting(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            var queue = try await Fixtures.queue(store, overlap: 3, now: now)
            // Four items of each tier; the model is sure (0.99) of the first two of each, unsure (0.7) of the others.
            var drafts: [ItemDraft] = []
            var predictions: [PredictionDraft] = []
            for tier in ["low", "medium", "high"] {
                for index in 1...4 {
                    let id = "\(tier)-\(index)"
                    drafts.append(ItemDraft(externalID: id, content: ["text": .string(id), "risk_tier": .string(tier)]))
                    predictions.append(PredictionDraft(itemExternalID: id, labels: ["spam"], confidence: index <= 2 ? 0.99 : 0.7))
                }
            }
            _ = try await store.importItems(drafts, into: queue, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            _ = try await store.importPredictions(predictions, from: Self.model, into: queue, now: now)
            // People at the default 80% (no gold yet): one review meets no tolerance; two reviews meet 10% and 5%
            // (0.04/0.68 = 5.9% > 5%: medium goes to an expert), and high goes to an expert.
            queue = try await store.updateAssist(
                of: queue,
                to: AssistSettings(
                    predictor: Self.model, autoAccept: AutoAccept(threshold: 0.95, auditRate: 0),
                    reviewRouting: ReviewRouting(tolerance: [.low: 0.10, .medium: 0.05, .high: 0.02])),
                by: analyst, now: now, auditSeed: 1)
            let report = try await store.autoAcceptReport(of: queue)
            #expect(report.autoAccepted == 6, "the sure predictions on every tier: 1% error fits even 2%")
            #expect(report.reviewPlans == ["one_review": 0, "two_reviews": 2, "expert": 4], "\(report.reviewPlans)")
            // Two reviews decide a low-risk item; nobody is asked a third time.
            let people = try await Fixtures.annotators(store, count: 3)
            var leased: [String] = []
            for person in people {
                while let lease = try await store.leaseNextItem(in: queue, for: person.person, now: now) {
                    leased.append(lease.item.externalID)
                    _ = try await store.submitJudgment(JudgmentSubmission(labels: ["spam"]), on: lease.assignment.id, by: person.person, now: now)
                }
            }
            #expect(leased.sorted() == ["low-3", "low-3", "low-4", "low-4"], "\(leased)")
            let finals = try await store.finalLabels(in: queue.id, after: nil, limit: 100)
            #expect(finals.filter { $0.externalID.hasPrefix("low-3") }.first?.judgmentCount == 2)
            let cases = try await store.arbitrationFiles(in: queue, state: .open, after: nil, limit: 100, now: now)
            #expect(Set(cases.map(\.item.externalID)) == ["medium-3", "medium-4", "high-3", "high-4"])
            #expect(cases.allSatisfy { $0.arbitrationCase.reason == "expert_review" })
        }
    }

    @Test("items drawn to audit auto-accept are labelled blind; the rest show the model's suggestion",
          arguments: TestBackend.allCases)
    func auditsAreBlind(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            var queue = try await Fixtures.queue(store, now: now)
            try await Fixtures.items(store, into: queue, count: 200, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            _ = try await store.importPredictions(Self.simulate(count: 200, seed: 7).predictions, from: Self.model, into: queue, now: now)
            queue = try await store.updateAssist(
                of: queue,
                to: AssistSettings(predictor: Self.model, showPredictions: true, autoAccept: AutoAccept(threshold: 0.9, auditRate: 0.5)),
                by: analyst, now: now, auditSeed: 1)
            var routes: [String: String] = [:]
            for row in try await store.sql().raw("""
                SELECT i.external_id, p.route FROM predictions p JOIN items i ON i.id = p.item_id
                """).all() {
                routes[try row.decode(column: "external_id", as: String.self)] = try row.decode(column: "route", as: String?.self)
            }
            let annotator = try await store.createPerson(PersonDraft(name: "Ann", role: .annotator), now: now)
            var shown: [String: Bool] = [:]
            while let lease = try await store.leaseNextItem(in: queue, for: annotator, now: now) {
                shown[lease.item.externalID] = lease.suggestion != nil
                try await store.skip(lease.assignment.id, by: annotator, now: now)
            }
            let audited = shown.filter { routes[$0.key] == ModelRoute.audit.rawValue }
            let others = shown.filter { routes[$0.key] == ModelRoute.human.rawValue }
            #expect(audited.count > 5 && audited.values.allSatisfy { !$0 }, "audits show no suggestion: \(audited.count)")
            #expect(others.count > 50 && others.values.allSatisfy { $0 }, "the rest show one")
        }
    }

    /// Gold is never routed; shown its suggestion whatever it said, a gold item stood out by a confidence no ordinary
    /// item reaching a person had (those are auto-accepted). Nor may it stand out by having none. Gold that an
    /// ordinary item's route would auto-accept is not served; the rest is served as ordinary items are.
    @Test("gold is served with suggestions only as ordinary items are: none whose prediction would auto-accept",
          arguments: TestBackend.allCases)
    func goldSuggestionsLookOrdinary(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            var queue = try await Fixtures.queue(store, now: now)
            _ = try await Fixtures.items(store, into: queue, count: 2, prefix: "gold", now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            for item in try await store.items(in: queue.id, after: nil, limit: 10) {
                _ = try await store.setGold(labels: ["spam"], rationale: nil, onItem: item.id, by: analyst, now: now)
            }
            _ = try await Fixtures.items(store, into: queue, count: 40, now: now)
            // Half the ordinary items, and gold-0001, are predicted sure enough to auto-accept; the rest not.
            var predictions = [
                PredictionDraft(itemExternalID: "gold-0001", labels: ["spam"], confidence: 0.99, line: 2),
                PredictionDraft(itemExternalID: "gold-0002", labels: ["spam"], confidence: 0.55, line: 3),
            ]
            for index in 1...40 {
                predictions.append(PredictionDraft(
                    itemExternalID: String(format: "item-%04d", index), labels: ["none"],
                    confidence: index.isMultiple(of: 2) ? 0.99 : 0.55, line: index + 3))
            }
            _ = try await store.importPredictions(predictions, from: Self.model, into: queue, now: now, auditSeed: 1)
            queue = try await store.updateAssist(
                of: queue, to: AssistSettings(
                    predictor: Self.model, showPredictions: true, autoAccept: AutoAccept(threshold: 0.9, auditRate: 0)),
                by: analyst, now: now, auditSeed: 1)
            var quality = queue.quality
            quality.goldRate = 0.5
            queue = try await store.updateQuality(of: queue, to: quality, by: analyst, now: now)

            var served: [String: Suggestion?] = [:]
            for (person, _) in try await Fixtures.annotators(store, count: 6, now: now) {
                while let lease = try await store.leaseNextItem(in: queue, for: person, now: now) {
                    served[lease.item.externalID] = .some(lease.suggestion)
                    _ = try await store.submitJudgment(JudgmentSubmission(labels: ["none"]), on: lease.assignment.id, by: person, now: now)
                }
            }
            #expect(served["gold-0002"]??.confidence == 0.55, "gold is served as ordinary unsure items are")
            #expect(served["gold-0001"] == nil, "an ordinary item this sure never reaches a person: nor does this gold")
            #expect(served.values.allSatisfy { $0 != nil }, "no lease without a suggestion to tell gold by")
            #expect(served.keys.filter { $0.hasPrefix("item-") }.count == 20, "the unsure half of the ordinary items")
        }
    }

    /// Review routing sends an ordinary risky item the model is unsure of to an expert: people never see one with its
    /// suggestion. A gold item like it, served with its suggestion, would be gold for anyone who knew that.
    @Test("gold that review routing would send to an expert is not served; gold it would give two people is",
          arguments: TestBackend.allCases)
    func goldFollowsReviewRouting(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            let now = Date()
            var queue = try await Fixtures.queue(store, now: now)
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: now)
            var drafts: [ItemDraft] = []
            var predictions: [PredictionDraft] = []
            for (id, tier) in [("gold-high", "high"), ("gold-low", "low"), ("item-high", "high"), ("item-low", "low")] {
                drafts.append(ItemDraft(externalID: id, content: ["text": .string(id), "risk_tier": .string(tier)]))
                predictions.append(PredictionDraft(itemExternalID: id, labels: ["none"], confidence: 0.7))
            }
            _ = try await store.importItems(drafts, into: queue, now: now)
            for item in try await store.items(in: queue.id, after: nil, limit: 10) where item.externalID.hasPrefix("gold") {
                _ = try await store.setGold(labels: ["none"], rationale: nil, onItem: item.id, by: analyst, now: now)
            }
            _ = try await store.importPredictions(predictions, from: Self.model, into: queue, now: now, auditSeed: 1)
            // People at the default 80%: a low-risk item needs two reviews (5.9% ≤ 10%), a high-risk one an expert.
            queue = try await store.updateAssist(
                of: queue, to: AssistSettings(
                    predictor: Self.model, showPredictions: true, reviewRouting: ReviewRouting()),
                by: analyst, now: now, auditSeed: 1)
            var quality = queue.quality
            quality.goldRate = 0.5
            queue = try await store.updateQuality(of: queue, to: quality, by: analyst, now: now)

            var served: [String: Suggestion?] = [:]
            for (person, _) in try await Fixtures.annotators(store, count: 4, now: now) {
                while let lease = try await store.leaseNextItem(in: queue, for: person, now: now) {
                    served[lease.item.externalID] = .some(lease.suggestion)
                    _ = try await store.submitJudgment(JudgmentSubmission(labels: ["none"]), on: lease.assignment.id, by: person, now: now)
                }
            }
            #expect(served["item-high"] == nil, "the ordinary risky item went to an expert")
            #expect(served["gold-high"] == nil, "so the gold like it is not served to people")
            #expect(served["item-low"]??.confidence == 0.7 && served["gold-low"]??.confidence == 0.7,
                    "gold two people would check is served with its suggestion, as the ordinary item is: \(served)")
        }
    }
}
