import AssayCore
import AssayQuality
import Foundation
import Testing

@Suite("Model assistance: predictors, settings and routing")
struct AssistTests {
    static let schema = LabelSchema.singleChoice([
        LabelOption(code: "hate", name: "Hate"), LabelOption(code: "spam", name: "Spam"), LabelOption(code: "none", name: "None"),
    ])

    @Test("a predictor is named NAME@VERSION; anything else is refused with the form to use")
    func references() throws {
        let reference = try Predictor.Reference(parsing: "toxicity-bert@2026-11")
        #expect(reference.name == "toxicity-bert" && reference.version == "2026-11")
        for bad in ["no-version", "@v1", "name@", "with space@1", "", "team@llm@v3"] {
            #expect(throws: AssayError.self) { try Predictor.Reference(parsing: bad) }
        }
        let encoded = String(decoding: try JSONEncoder().encode(reference), as: UTF8.self)
        #expect(encoded == #""toxicity-bert@2026-11""#)
    }

    @Test("the doc example of AutoAccept routes as it says")
    func docExample() {
        let rule = AutoAccept(threshold: 0.95, labelThresholds: ["spam": 0.9], auditRate: 0.1)
        #expect(rule.route(labels: ["spam"], confidence: 0.92, auditDraw: 0.5) == .autoAccepted)
        #expect(rule.route(labels: ["spam"], confidence: 0.92, auditDraw: 0.05) == .audit)
        #expect(rule.route(labels: ["none"], confidence: 0.92, auditDraw: 0.5) == .human)
    }

    @Test("several labels need the strictest threshold; a human-only label always goes to people")
    func strictest() {
        let rule = AutoAccept(threshold: 0.9, labelThresholds: ["hate": 0.99], auditRate: 0, humanOnlyLabels: ["hate"])
        #expect(rule.threshold(for: ["spam", "hate"]) == 0.99)
        #expect(rule.route(labels: ["hate"], confidence: 1, auditDraw: 0.9) == .human)
        #expect(rule.route(labels: ["spam"], confidence: 0.9, auditDraw: 0.9) == .autoAccepted)
        #expect(rule.route(labels: [], confidence: 1, auditDraw: 0.9) == .human)
    }

    @Test("the audit draws its share: 10% of 20,000 acceptable predictions, within sampling error")
    func auditShare() {
        var rng = SplitMix64(seed: 7)
        let rule = AutoAccept(threshold: 0.5, auditRate: 0.1)
        let audited = (0..<20_000).count(where: { _ in rule.route(labels: ["spam"], confidence: 0.9, using: &rng) == .audit })
        #expect(abs(Double(audited) / 20_000 - 0.1) < 0.01)
    }

    @Test("settings are checked against the queue's labels, naming the field")
    func validation() throws {
        let fine = AssistSettings(
            predictor: Predictor.Reference(name: "m", version: "1"), showPredictions: true,
            autoAccept: AutoAccept(labelThresholds: ["spam": 0.9], humanOnlyLabels: ["hate"]))
        #expect(try fine.validated(for: Self.schema) == fine)
        let cases: [(AssistSettings, String)] = [
            (AssistSettings(showPredictions: true), "predictor"),
            (AssistSettings(predictor: fine.predictor, autoAccept: AutoAccept(threshold: 0.3)), "auto_accept.threshold"),
            (AssistSettings(predictor: fine.predictor, autoAccept: AutoAccept(labelThresholds: ["spamm": 0.9])), "auto_accept"),
            (AssistSettings(predictor: fine.predictor, autoAccept: AutoAccept(auditRate: 1.5)), "auto_accept.audit_rate"),
            (AssistSettings(predictor: fine.predictor, autoAccept: AutoAccept(humanOnlyLabels: ["nope"])), "auto_accept"),
        ]
        for (settings, field) in cases {
            #expect {
                try settings.validated(for: Self.schema)
            } throws: { error in
                guard case AssayError.invalidInput(let named, _, _) = error else { return false }
                return named == field
            }
        }
        let decoded = try JSONDecoder().decode(
            AssistSettings.self, from: Data(#"{"predictor": "m@1", "auto_accept": {"threshold": 0.97}}"#.utf8))
        #expect(decoded.autoAccept == AutoAccept(threshold: 0.97, auditRate: 0.05))
        #expect(decoded.showPredictions == false)
    }

    @Test("prediction rows: confidence is required and 0 to 1, errors name the line")
    func rows() throws {
        let row = ImportRow(line: 2, fields: ["item": "c-1", "label": "spam", "confidence": "0.97"])
        #expect(try PredictionRows.prediction(from: row) == PredictionDraft(itemExternalID: "c-1", labels: ["spam"], confidence: 0.97, line: 2))
        let json = ImportRow(line: 3, fields: ["external_id": "c-2", "labels": ["spam", "hate"], "confidence": 1])
        #expect(try PredictionRows.prediction(from: json).labels == ["spam", "hate"])
        for (fields, field) in [
            (["item": "c-1", "label": "spam"] as [String: JSONValue], "confidence"),
            (["item": "c-1", "label": "spam", "confidence": "1.2"], "confidence"),
            (["item": "c-1", "label": "spam", "confidence": "high"], "confidence"),
            (["label": "spam", "confidence": "0.5"], "external_id"),
        ] {
            #expect {
                try PredictionRows.prediction(from: ImportRow(line: 9, fields: fields))
            } throws: { error in
                guard case AssayError.invalidInput(let named, let line, _) = error else { return false }
                return named == field && line == 9
            }
        }
    }

    @Test("the auto-accept report: precision on decided audits with its interval, per label, and the disagreements")
    func autoAcceptReport() throws {
        let audits = (0..<50).map { index in
            AutoAcceptReport.Audit(
                itemExternalID: "c-\(index)", predicted: [index % 2 == 0 ? "spam" : "none"],
                decided: index < 5 ? ["hate"] : [index % 2 == 0 ? "spam" : "none"])
        }
        let report = AutoAcceptReport(
            predictor: try Predictor.Reference(parsing: "m@1"), routed: [.autoAccepted: 900, .audit: 60, .human: 40],
            audits: audits)
        #expect(report.precision == GoldScore(answered: 50, correct: 45))
        #expect(report.precision.interval.lower < 0.9 && report.precision.interval.upper > 0.9)
        #expect(report.byLabel.map(\.label) == ["none", "spam"])
        #expect(report.byLabel[1].precision == GoldScore(answered: 25, correct: 22))
        #expect(report.disagreements.count == 5)
        #expect(abs(report.autoAcceptShare - 0.9) < 1e-12)
        let data = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(AutoAcceptReport.self, from: data) == report)
    }

    @Test("alignment: kappa from grouped pairs equals kappa over the items listed one by one")
    func alignment() throws {
        let day = Date(timeIntervalSince1970: 1_764_000_000)
        let pairs = [
            ModelAlignment.Pair(model: ["spam"], people: ["spam"], decidedAt: day, count: 40),
            ModelAlignment.Pair(model: ["spam"], people: ["none"], decidedAt: day, count: 5),
            ModelAlignment.Pair(model: ["none"], people: ["none"], decidedAt: day.addingTimeInterval(8 * 86_400), count: 50),
            ModelAlignment.Pair(model: ["none"], people: ["spam"], decidedAt: day.addingTimeInterval(8 * 86_400), count: 5),
        ]
        let alignment = ModelAlignment(
            predictor: try Predictor.Reference(parsing: "m@1"), pairs: pairs,
            goldPredictions: [(["spam"], ["spam"]), (["none"], ["spam"])], peopleOnGold: GoldScore(answered: 6, correct: 5),
            suggested: [
                ModelAlignment.SuggestedJudgment(suggested: ["spam"], judged: ["spam"], reference: ["none"], count: 3),
                ModelAlignment.SuggestedJudgment(suggested: ["spam"], judged: ["none"], reference: ["none"], count: 1),
                ModelAlignment.SuggestedJudgment(suggested: ["none"], judged: ["none"], reference: ["none"], count: 4),
                ModelAlignment.SuggestedJudgment(suggested: ["none"], judged: ["spam"], reference: nil, count: 2),
            ])
        let model = pairs.flatMap { Array(repeating: $0.model[0], count: $0.count) }
        let people = pairs.flatMap { Array(repeating: $0.people[0], count: $0.count) }
        let expected = try CohensKappa().measure(model, people).value
        #expect(abs((alignment.kappa ?? 0) - expected) < 1e-12)
        #expect(alignment.agreement == GoldScore(answered: 100, correct: 90))
        #expect(alignment.weeks.count == 2)
        #expect(alignment.weeks[0].agreement == GoldScore(answered: 45, correct: 40))
        let spam = try #require(alignment.byLabel.first { $0.label == "spam" })
        #expect(spam.precision == GoldScore(answered: 45, correct: 40))
        #expect(spam.recall == GoldScore(answered: 45, correct: 40))
        #expect(alignment.gold.model == GoldScore(answered: 2, correct: 1))
        #expect(alignment.rubberStamp.accepted == GoldScore(answered: 10, correct: 7))
        #expect(alignment.rubberStamp.acceptedWhenWrong == GoldScore(answered: 4, correct: 3))
        #expect(alignment.rubberStamp.acceptedWhenRight == GoldScore(answered: 4, correct: 4))
    }

    @Test("kappa from a contingency table matches the paired form, and refuses an empty table")
    func kappaTable() throws {
        let table: [(first: String, second: String, count: Int)] = [("spam", "spam", 40), ("spam", "ham", 5), ("ham", "ham", 55)]
        let first = table.flatMap { Array(repeating: $0.first, count: $0.count) }
        let second = table.flatMap { Array(repeating: $0.second, count: $0.count) }
        #expect(abs(try CohensKappa().measure(table: table).value - CohensKappa().measure(first, second).value) < 1e-12)
        #expect(throws: QualityError.self) { try CohensKappa().measure(table: [("a", "a", 0)]) }
    }
}

@Suite("Predictor evaluation on gold")
struct PredictorEvaluationTests {
    @Test("the doc example, and accuracy, per-label scores, confusions with examples, latency percentiles and cost")
    func evaluation() throws {
        let doc = PredictorEvaluation(
            predictor: try Predictor.Reference(parsing: "triage@p2"),
            gold: [.init(itemExternalID: "c-1", text: "win a free phone", reference: ["spam"], predicted: ["spam"])],
            calls: [], people: GoldScore(answered: 12, correct: 10))
        #expect(doc.accuracy == GoldScore(answered: 1, correct: 1) && doc.usage == nil)

        var gold: [PredictorEvaluation.GoldItem] = []
        for index in 0..<10 { gold.append(.init(itemExternalID: "s\(index)", text: "spam \(index)", reference: ["spam"], predicted: ["spam"])) }
        for index in 0..<3 { gold.append(.init(itemExternalID: "m\(index)", text: "missed \(index)", reference: ["spam"], predicted: ["none"], rationale: "looks fine")) }
        for index in 0..<7 { gold.append(.init(itemExternalID: "n\(index)", text: "fine \(index)", reference: ["none"], predicted: ["none"])) }
        gold.append(.init(itemExternalID: "u0", text: "not answered", reference: ["none"], predicted: nil))
        // Item 21 failed for good; item 3 failed once and was answered by a later run.
        let calls = (1...20).map { PredictorEvaluation.Call(itemID: Int64($0), succeeded: true, latency: Double($0) / 10, cost: 0.001, tokens: 120) }
            + [PredictorEvaluation.Call(itemID: 21, succeeded: false, latency: 5, cost: 0.001, tokens: 0),
               PredictorEvaluation.Call(itemID: 3, succeeded: false, latency: 5, cost: 0, tokens: 0)]
        let evaluation = PredictorEvaluation(
            predictor: Predictor.Reference(name: "m", version: "1"), gold: gold, calls: calls, people: GoldScore(answered: 0, correct: 0))
        #expect(evaluation.goldItems == 21 && evaluation.unanswered == 1)
        #expect(evaluation.accuracy == GoldScore(answered: 20, correct: 17))
        #expect(evaluation.accuracyOverGold == GoldScore(answered: 21, correct: 17), "the unanswered item counts as wrong")
        let spam = try #require(evaluation.byLabel.first { $0.label == "spam" })
        #expect(spam.precision == GoldScore(answered: 10, correct: 10) && spam.recall == GoldScore(answered: 13, correct: 10))
        #expect(abs((spam.f1 ?? 0) - 2 * 1 * (10.0 / 13) / (1 + 10.0 / 13)) < 1e-12)
        let largest = try #require(evaluation.confusion.first)
        #expect(largest.reference == "spam" && largest.predicted == "spam" && largest.count == 10 && largest.examples.isEmpty)
        let missed = try #require(evaluation.confusion.first { $0.reference == "spam" && $0.predicted == "none" })
        #expect(missed.count == 3 && missed.examples.map(\.itemExternalID) == ["m0", "m1", "m2"])
        #expect(missed.examples.first?.rationale == "looks fine")
        let usage = try #require(evaluation.usage)
        #expect(usage.failed == 1 && usage.tokens == 2_400)
        #expect(abs(usage.cost - 0.021) < 1e-12 && abs((usage.costPerItem ?? 0) - 0.021 / 20) < 1e-12)
        #expect(usage.medianLatency == 1.0 && usage.p95Latency == 1.9)
        #expect(abs((usage.meanLatency ?? 0) - 1.05) < 1e-12)
        #expect(usage.itemsWithoutTokenCounts == 0)

        // Two answers whose replies carried no token counts: unknown cost, not free, so cost/item is of the other 18.
        var unreported = calls
        for index in [0, 1] { unreported[index] = .init(itemID: Int64(index + 1), succeeded: true, latency: 0.1, cost: 0, tokens: 0, tokensReported: false) }
        let partly = try #require(PredictorEvaluation(
            predictor: Predictor.Reference(name: "m", version: "1"), gold: gold, calls: unreported,
            people: GoldScore(answered: 0, correct: 0)).usage)
        #expect(partly.itemsWithoutTokenCounts == 2)
        #expect(abs((partly.costPerItem ?? 0) - 0.019 / 18) < 1e-12, "\(partly.costPerItem ?? -1)")
    }
}

@Suite("Review routing by risk and people's reliability")
struct ReviewRoutingTests {
    @Test("the doc example: one review, two reviews, an expert")
    func docExample() {
        let routing = ReviewRouting()
        #expect(routing.plan(confidence: 0.7, autoAcceptable: false, tier: .low, peopleAccuracy: 0.9) == .oneReview)
        #expect(routing.plan(confidence: 0.7, autoAcceptable: false, tier: .medium, peopleAccuracy: 0.9) == .twoReviews)
        #expect(routing.plan(confidence: 0.7, autoAcceptable: false, tier: .high, peopleAccuracy: 0.7) == .expert)
    }

    @Test("the model decides alone only when auto-accept allows it and its error fits the tier")
    func autoDecide() {
        let routing = ReviewRouting()
        #expect(routing.plan(confidence: 0.97, autoAcceptable: true, tier: .medium, peopleAccuracy: 0.9) == .autoDecide)
        #expect(routing.plan(confidence: 0.97, autoAcceptable: true, tier: .high, peopleAccuracy: 0.99) == .oneReview)
        #expect(routing.plan(confidence: 0.99, autoAcceptable: false, tier: .low, peopleAccuracy: 0.95) == .oneReview)
    }

    @Test("tiers come from the item's field, raised by a severe predicted label; bad tolerances are refused")
    func tiers() throws {
        let schema = LabelSchema.singleChoice([LabelOption(code: "csam", severe: true), LabelOption(code: "none")])
        let routing = ReviewRouting()
        #expect(routing.tier(of: ["risk_tier": "Medium"], predicted: ["none"], schema: schema) == .medium)
        #expect(routing.tier(of: [:], predicted: ["none"], schema: schema) == .low)
        #expect(routing.tier(of: ["risk_tier": "low"], predicted: ["csam"], schema: schema) == .high)
        #expect(abs(ReviewRouting.peopleAccuracy(correct: 0, answered: 0) - 0.8) < 1e-12)
        #expect(throws: AssayError.self) { try ReviewRouting(tolerance: [.low: 0.1, .medium: 0.6, .high: 0.02]).validated() }
        let decoded = try JSONDecoder().decode(ReviewRouting.self, from: Data(#"{"tolerance": {"high": 0.01}}"#.utf8))
        #expect(decoded.tolerance[.high] == 0.01 && decoded.tolerance[.low] == 0.10)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ReviewRouting.self, from: Data(#"{"tolerance": {"extreme": 0.01}}"#.utf8))
        }
    }
}
