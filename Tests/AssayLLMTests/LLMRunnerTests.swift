import AssayCore
import AssayLLM
import SQLKit
import AssayTesting
import AsyncHTTPClient
import Foundation
import Testing

@testable import AssayStore

/// The LLM runner against an OpenAI-compatible test server on 127.0.0.1 that answers well, badly, slowly, with 429
/// and 500.
@Suite("LLM labeling runs")
struct LLMRunnerTests {
    static let predictor = Predictor.Reference(name: "triage-llm", version: "p1")

    static func queue(_ store: Store, texts: [String: String]) async throws -> Queue {
        let queue = try await Fixtures.queue(store, name: "llm-queue")
        _ = try await store.importItems(
            texts.sorted { $0.key < $1.key }.map { ItemDraft(externalID: $0.key, content: ["text": .string($0.value)]) },
            into: queue, now: Date())
        return queue
    }

    @Test("sixteen calls at once at --concurrency 16: the HTTP client's pool does not hold them to 8", arguments: [TestBackend.sqlite])
    func concurrencyAboveEight(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            try await FakeChatServer.with { server in
                server.setDelay(0.5)
                let texts = Dictionary(uniqueKeysWithValues: (1...16).map { ("c-\($0)", "[id:c-\($0)] [answer:spam] text \($0)") })
                let queue = try await Self.queue(store, texts: texts)
                let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
                let config = LLMRunConfig(
                    baseURL: server.baseURL, model: "test-model", apiKeyEnv: "TEST_LLM_KEY", concurrency: 16,
                    requestsPerSecond: 1_000, timeoutSeconds: 20)
                let run = try await store.startLLMRun(on: queue, as: Self.predictor, config: config, by: analyst, now: Date())
                let finished = try await LLMRunner(store: store, environment: ["TEST_LLM_KEY": "k"]).run(run)
                #expect(finished.succeeded == 16)
                #expect(server.mostInFlight > 8, "\(server.mostInFlight) calls at once")
            }
        }
    }

    @Test("an answer recorded after auto-accept was turned off is not accepted, though the run started with it on",
          arguments: TestBackend.allCases)
    func autoAcceptTurnedOffMidRun(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            var queue = try await Self.queue(store, texts: ["c-0": "hello", "c-1": "buy followers", "c-2": "click here"])
            let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
            let config = LLMRunConfig(baseURL: "http://127.0.0.1:9/v1", model: "m", apiKeyEnv: "KEY")
            let run = try await store.startLLMRun(on: queue, as: Self.predictor, config: config, by: analyst, now: Date())
            let ids = try await store.itemIDs(forExternalIDs: ["c-0", "c-1", "c-2"], in: queue.id)
            func record(_ externalID: String) async throws {
                try await store.recordLLMCall(
                    LLMCallOutcome(
                        itemID: ids[externalID]!, answer: LLMAnswer(labels: ["spam"], confidence: 0.99), error: nil, attempts: 1,
                        promptTokens: 10, completionTokens: 2, cost: 0, latency: 0.1),
                    in: run, queue: queue, now: Date())
            }
            try await record("c-0")  // the predictor's first answer, before the queue accepts with it
            queue = try await store.updateAssist(
                of: queue, to: AssistSettings(predictor: Self.predictor, autoAccept: AutoAccept(threshold: 0.9, auditRate: 0)),
                by: analyst, now: Date())
            try await record("c-1")
            _ = try await store.updateAssist(of: queue, to: AssistSettings(predictor: Self.predictor), by: analyst, now: Date())
            try await record("c-2")  // with the queue as the run found it
            let finals = try await store.finalLabels(in: queue.id, after: nil, limit: 10)
            // c-0's answer was routed when auto-accept was turned on, c-1's as it came; c-2's came after it was off.
            #expect(finals.map(\.externalID) == ["c-0", "c-1"] && finals.allSatisfy { $0.provenance == .model }, "\(finals)")
        }
    }

    @Test("valid, malformed, slow, 429 and 500 answers: retried as they should be, parsed into the schema, never guessed",
          arguments: TestBackend.allCases)
    func answersAndRetries(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            try await FakeChatServer.with { server in
                let texts = [
                    "c-1": "[id:c-1] [answer:spam] [confidence:0.97] buy followers", "c-2": "[id:c-2] [answer:hate] [malformed-once] vermin",
                    "c-3": "[id:c-3] [answer:none] [429-once] nice match", "c-4": "[id:c-4] [answer:harassment] [500-once] you again",
                    "c-5": "[id:c-5] [answer:spam] [slow-once] click here", "c-6": "[id:c-6] [invalid-always] who knows",
                    "c-7": "[id:c-7] [answer:Spam or scam] [confidence:\"85%\"] name, not code",
                ]
                let queue = try await Self.queue(store, texts: texts)
                let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
                let config = LLMRunConfig(
                    baseURL: server.baseURL, model: "test-model", apiKeyEnv: "TEST_LLM_KEY", concurrency: 3,
                    requestsPerSecond: 200, timeoutSeconds: 4, maxAttempts: 4,
                    pricing: ModelPricing(inputPerMillion: 1, outputPerMillion: 10))
                let run = try await store.startLLMRun(on: queue, as: Self.predictor, config: config, by: analyst, now: Date())
                await #expect(throws: AssayError.self, "a key variable that is not set is refused before any call") {
                    try await LLMRunner(store: store, environment: [:]).run(run)
                }
                #expect(server.totalCalls == 0)
                let finished = try await LLMRunner(store: store, environment: ["TEST_LLM_KEY": "sk-test"]).run(run)
                #expect(finished.state == .completed)
                #expect(finished.succeeded == 6 && finished.failed == 1, "c-6 never answers in the schema")
                #expect(server.calls(for: "c-1") == 1)
                for id in ["c-2", "c-3", "c-4", "c-5"] { #expect(server.calls(for: id) == 2, "\(id) retried once") }
                #expect(server.calls(for: "c-6") == 3, "an unusable answer is retried twice, then recorded as a failure")
                #expect(finished.calls == server.totalCalls)
                #expect(server.authorizations.allSatisfy { $0 == "Bearer sk-test" } && !server.authorizations.isEmpty)
                #expect(server.lastRequest?.responseFormat == .jsonObject && server.lastRequest?.model == "test-model")
                // Tokens and cost: every answered call reported 100 + 20 tokens (the 429, the 500 and the timeout did not).
                let answered = server.totalCalls - 3
                #expect(finished.promptTokens == 100 * answered && finished.completionTokens == 20 * answered)
                #expect(abs(finished.cost - Double(finished.promptTokens * 1 + finished.completionTokens * 10) / 1_000_000) < 1e-12)
                #expect((finished.meanLatency ?? 0) > 0)

                // The answers are predictions of the queue, labels in the schema; the failure is none.
                let alignmentQueue = try await store.updateAssist(
                    of: queue, to: AssistSettings(predictor: Self.predictor, showPredictions: true), by: analyst, now: Date())
                let annotator = try await store.createPerson(PersonDraft(externalID: "al", name: "Al", role: .annotator), now: Date())
                var suggested: [String: [String]] = [:]
                while let lease = try await store.leaseNextItem(in: alignmentQueue, for: annotator, now: Date()) {
                    if let suggestion = lease.suggestion { suggested[lease.item.externalID] = suggestion.labels }
                    try await store.skip(lease.assignment.id, by: annotator, now: Date())
                }
                #expect(suggested == [
                    "c-1": ["spam"], "c-2": ["hate"], "c-3": ["none"], "c-4": ["harassment"], "c-5": ["spam"], "c-7": ["spam"],
                ])
                // Running it again calls nobody: every item is finished.
                let again = try await LLMRunner(store: store, environment: ["TEST_LLM_KEY": "sk-test"]).run(finished)
                #expect(again.succeeded == 6 && server.totalCalls == finished.calls)
                // A new run of the same version asks only about the item it has no answer for...
                let second = try await store.startLLMRun(on: queue, as: Self.predictor, config: config, by: analyst, now: Date())
                let extended = try await LLMRunner(store: store, environment: ["TEST_LLM_KEY": "sk-test"]).run(second)
                #expect(extended.succeeded == 0 && extended.failed == 1 && server.calls(for: "c-6") == 6, "\(extended)")
                #expect(server.totalCalls == finished.calls + 3)
                // ...and the same version with another model or prompt is refused: its figures stand for one setup.
                var otherModel = config
                otherModel.model = "other-model"
                otherModel.template.user += " Be brief."
                do {
                    _ = try await store.startLLMRun(on: queue, as: Self.predictor, config: otherModel, by: analyst, now: Date())
                    Issue.record("a second setup under one version was accepted")
                } catch AssayError.conflict(let message) {
                    #expect(message.contains("model (test-model, not other-model)") && message.contains("prompt (the text of"), "\(message)")
                }
                // The prompt quotes the guidelines: once a version is published, the same setup asks another way.
                _ = try await store.publishGuideline(
                    GuidelineDraft(markdown: "# Policy", passages: ["spam": "Unsolicited ads and scams."]), for: queue,
                    by: analyst, now: Date())
                do {
                    _ = try await store.startLLMRun(on: queue, as: Self.predictor, config: config, by: analyst, now: Date())
                    Issue.record("a run quoting other guidelines under one version was accepted")
                } catch AssayError.conflict(let message) {
                    #expect(message.contains("guidelines (none, not version 1)"), "\(message)")
                }
                let quoting = try await store.startLLMRun(
                    on: queue, as: Predictor.Reference(name: "triage-llm", version: "p2"), config: config, by: analyst, now: Date())
                #expect(quoting.config.guidelineVersion == 1)
            }
        }
    }

    @Test("an item the prompt would quote nothing of is neither sent nor paid for; a run whose first items all lack the fields stops before any call",
          arguments: TestBackend.allCases)
    func itemsWithoutTheQuotedFields(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            try await FakeChatServer.with { server in
                let queue = try await Self.queue(store, texts: ["c-1": "[id:c-1] [answer:spam] buy followers"])
                _ = try await store.importItems([
                    ItemDraft(externalID: "q-1", content: ["query": "cheap flights", "result": "Lisbon from $89"]),
                    ItemDraft(externalID: "q-2", content: ["text": .null, "query": "hotels"]),
                    ItemDraft(externalID: "q-3", content: ["text": "  \n"]),
                ], into: queue, now: Date())
                let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
                let config = LLMRunConfig(
                    baseURL: server.baseURL, model: "test-model", apiKeyEnv: "TEST_LLM_KEY", concurrency: 2,
                    requestsPerSecond: 200, timeoutSeconds: 4, maxAttempts: 2,
                    pricing: ModelPricing(inputPerMillion: 1, outputPerMillion: 10))
                let runner = LLMRunner(store: store, environment: ["TEST_LLM_KEY": "sk-test"])
                let run = try await store.startLLMRun(on: queue, as: Self.predictor, config: config, by: analyst, now: Date())
                let finished = try await runner.run(run)
                #expect(finished.state == .completed)
                #expect(finished.succeeded == 1 && finished.failed == 3, "\(finished)")
                let reasons = try await store.sql().raw("SELECT error FROM llm_calls WHERE error IS NOT NULL ORDER BY error").all()
                    .map { try $0.string("error") }
                #expect(reasons.contains("not sent: the prompt quotes 'text' and item 'q-1' has nothing there (item 'q-1' has query, result); write a --template that quotes its fields, such as {{item.query}}"),
                        "\(reasons)")
                #expect(server.totalCalls == 1 && finished.calls == 1, "only c-1 was sent")
                #expect(abs(finished.cost - (100.0 * 1 + 20.0 * 10) / 1_000_000) < 1e-12, "one call paid for")

                // A queue whose items have none of the quoted fields: the run stops before its first call, saying why.
                let search = try await Fixtures.queue(store, name: "search-relevance")
                _ = try await store.importItems(
                    (1...3).map { ItemDraft(externalID: "s-\($0)", content: ["query": .string("q\($0)"), "result": .string("r\($0)")]) }, into: search,
                    now: Date())
                let stopped = try await runner.run(
                    try await store.startLLMRun(on: search, as: Self.predictor, config: config, by: analyst, now: Date()))
                #expect(stopped.state == .failed && stopped.calls == 0 && server.totalCalls == 1)
                let reason = stopped.error ?? ""
                #expect(reason.contains("the prompt quotes 'text' and none of the first 3 items has anything there"), "\(reason)")
                #expect(reason.contains("item 's-1' has query, result") && reason.contains("{{item.query}}"), "\(reason)")
            }
        }
    }

    @Test("a wrong key stops the run as failed after one call per worker at most, and a second run of it is refused while unfinished",
          arguments: TestBackend.allCases)
    func wrongKeyStops(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            try await FakeChatServer.with { server in
                let texts = Dictionary(uniqueKeysWithValues: (1...20).map { ("c-\($0)", "[id:c-\($0)] text \($0)") })
                let queue = try await Self.queue(store, texts: texts)
                let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
                server.setStatus(401)
                let config = LLMRunConfig(baseURL: server.baseURL, model: "m", concurrency: 2, requestsPerSecond: 100)
                let run = try await store.startLLMRun(on: queue, as: Self.predictor, config: config, by: analyst, now: Date())
                await #expect(throws: AssayError.self) {
                    try await store.startLLMRun(on: queue, as: Self.predictor, config: config, by: analyst, now: Date())
                }
                let finished = try await LLMRunner(store: store).run(run)
                #expect(finished.state == .failed)
                #expect(finished.error?.contains("check the API key") == true, "\(finished.error ?? "")")
                #expect(server.totalCalls <= 2)
                await #expect(throws: AssayError.self, "a bad configuration is refused") {
                    try await store.startLLMRun(
                        on: queue, as: Predictor.Reference(name: "x", version: "1"),
                        config: LLMRunConfig(baseURL: "ftp://nowhere", model: "m"), by: analyst, now: Date())
                }
            }
        }
    }

    @Test("a server that refuses every request (400) stops the run after the first ten items, not after every item",
          arguments: [TestBackend.sqlite])
    func refusedRequestsStop(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            try await FakeChatServer.with { server in
                let texts = Dictionary(uniqueKeysWithValues: (1...60).map { ("c-\($0)", "[id:c-\($0)] text \($0)") })
                let queue = try await Self.queue(store, texts: texts)
                let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
                server.setStatus(400)
                let config = LLMRunConfig(baseURL: server.baseURL, model: "m", concurrency: 2, requestsPerSecond: 200)
                let run = try await store.startLLMRun(on: queue, as: Self.predictor, config: config, by: analyst, now: Date())
                let finished = try await LLMRunner(store: store).run(run)
                #expect(finished.state == .failed)
                #expect(finished.error?.contains("the first 10 items all failed") == true && finished.error?.contains("HTTP 400") == true,
                        "\(finished.error ?? "")")
                #expect(server.totalCalls <= 12, "\(server.totalCalls) calls")
            }
        }
    }

    @Test("a server that goes down mid-run stops the run after ten items in a row fail on it; the items answered are kept",
          arguments: [TestBackend.sqlite])
    func outageMidRun(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            try await FakeChatServer.with { server in
                let texts = Dictionary(uniqueKeysWithValues: (1...60).map { (String(format: "c-%02d", $0), "[id:c-\($0)] [answer:spam] text") })
                let queue = try await Self.queue(store, texts: texts)
                let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
                let config = LLMRunConfig(baseURL: server.baseURL, model: "m", concurrency: 1, requestsPerSecond: 200, maxAttempts: 1)
                let run = try await store.startLLMRun(on: queue, as: Self.predictor, config: config, by: analyst, now: Date())
                let finished = try await LLMRunner(store: store).run(run) { done in
                    if done == 5 { server.setStatus(503) }
                }
                #expect(finished.state == .failed, "\(finished)")
                #expect(finished.error?.contains("failed the last 10 items in a row") == true && finished.error?.contains("HTTP 503") == true,
                        "\(finished.error ?? "")")
                #expect(finished.succeeded == 5 && finished.failed == 9, "the tenth is left to ask again: \(finished)")
                #expect(server.totalCalls == 15, "the 45 items left were not called: \(server.totalCalls) calls")
            }
        }
    }

    @Test("items a content filter refuses fail alone, once each, and do not stop the run however many come first",
          arguments: [TestBackend.sqlite])
    func contentFilter(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            try await FakeChatServer.with { server in
                var texts = Dictionary(uniqueKeysWithValues: (1...15).map { (String(format: "c-%02d", $0), "[id:f\($0)] [filtered] severe \($0)") })
                texts["c-99"] = "[id:ok] [answer:spam] fine"
                let queue = try await Self.queue(store, texts: texts)
                let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
                let config = LLMRunConfig(baseURL: server.baseURL, model: "m", concurrency: 4, requestsPerSecond: 200)
                let run = try await store.startLLMRun(on: queue, as: Self.predictor, config: config, by: analyst, now: Date())
                let finished = try await LLMRunner(store: store).run(run)
                #expect(finished.state == .completed && finished.failed == 15 && finished.succeeded == 1, "\(finished)")
                #expect(server.totalCalls == 16, "a filtered item is not asked again: \(server.totalCalls)")
            }
        }
    }

    @Test("items whose replies carry no token counts are counted apart: their cost is unknown, not 0", arguments: [TestBackend.sqlite])
    func unreportedTokens(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            try await FakeChatServer.with { server in
                let queue = try await Self.queue(store, texts: ["c-1": "[id:c-1] [answer:spam] [no-usage] a", "c-2": "[id:c-2] [answer:spam] b"])
                let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
                let config = LLMRunConfig(
                    baseURL: server.baseURL, model: "m", requestsPerSecond: 200, pricing: ModelPricing(inputPerMillion: 1, outputPerMillion: 10))
                let run = try await store.startLLMRun(on: queue, as: Self.predictor, config: config, by: analyst, now: Date())
                let finished = try await LLMRunner(store: store).run(run)
                #expect(finished.succeeded == 2 && finished.itemsWithoutTokenCounts == 1, "\(finished)")
                #expect(finished.promptTokens == 100 && abs(finished.cost - 0.0003) < 1e-12, "only c-2's tokens are counted")
            }
        }
    }

    @Test("a reply over 16 MiB is an unusable answer, asked again as such, not a connection that failed to the last attempt",
          arguments: [TestBackend.sqlite])
    func hugeReply(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            try await FakeChatServer.with { server in
                let queue = try await Self.queue(store, texts: ["c-1": "[id:c-1] [huge] text"])
                let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
                let config = LLMRunConfig(baseURL: server.baseURL, model: "m", requestsPerSecond: 200, maxAttempts: 5)
                let run = try await store.startLLMRun(on: queue, as: Self.predictor, config: config, by: analyst, now: Date())
                let finished = try await LLMRunner(store: store).run(run)
                #expect(finished.failed == 1)
                #expect(server.calls(for: "c-1") == 3, "asked again twice, as any unusable answer: \(server.calls(for: "c-1"))")
            }
        }
    }

    @Test("two prompt versions run on the gold and compared side by side: accuracy, confusions with examples, cost",
          arguments: TestBackend.allCases)
    func promptVersionsOnGold(on backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = database.store
            try await FakeChatServer.with { server in
                let truth = (1...10).map { ("g-\($0)", $0 <= 6 ? "spam" : "none") } + (1...5).map { ("o-\($0)", "spam") }
                let queue = try await Self.queue(
                    store, texts: Dictionary(uniqueKeysWithValues: truth.map { ($0.0, "[id:\($0.0)] [answer:\($0.1)] post") }))
                let analyst = try await store.createPerson(PersonDraft(name: "Ana", role: .analyst), now: Date())
                _ = try await store.importGold(
                    truth.prefix(10).map { GoldDraft(itemExternalID: $0.0, labels: [$0.1]) }, into: queue, by: analyst, now: Date())
                // Version 2 of the prompt puts its own (bad) instruction before the item: the test server follows it.
                var careless = PromptTemplate.standard
                careless.version = "2"
                careless.user = "[answer:none]\n" + careless.user
                let versions = [
                    (Predictor.Reference(name: "triage", version: "p1"), PromptTemplate.standard),
                    (Predictor.Reference(name: "triage", version: "p2"), careless),
                ]
                for (predictor, template) in versions {
                    let config = LLMRunConfig(
                        baseURL: server.baseURL, model: "m", template: template, requestsPerSecond: 500, scope: .gold,
                        pricing: ModelPricing(inputPerMillion: 1, outputPerMillion: 1))
                    let run = try await store.startLLMRun(on: queue, as: predictor, config: config, by: analyst, now: Date())
                    let finished = try await LLMRunner(store: store).run(run)
                    #expect(finished.succeeded == 10, "the gold scope is the ten gold items")
                }
                #expect(server.calls(for: "o-1") == 0, "items outside the gold were not called")

                // Putting the model to work: the undecided scope takes the gold too (a suggestion missing only on
                // gold would give it away), even gold promoted from a decided item, and leaves out what people
                // already decided.
                let person = try await store.createPerson(PersonDraft(externalID: "w", name: "W", role: .annotator), now: Date())
                var decidedItems: [String] = []
                for _ in 0..<2 {
                    let lease = try #require(try await store.leaseNextItem(in: queue, for: person, now: Date()))
                    _ = try await store.submitJudgment(
                        JudgmentSubmission(labels: ["spam"]), on: lease.assignment.id, by: person, now: Date())
                    decidedItems.append(lease.item.externalID)
                }
                let (decided, promoted) = (decidedItems[0], decidedItems[1])
                _ = try await store.importGold([GoldDraft(itemExternalID: promoted, labels: ["spam"])], into: queue, by: analyst, now: Date())
                let worker = Predictor.Reference(name: "triage", version: "p3")
                let run = try await store.startLLMRun(
                    on: queue, as: worker,
                    config: LLMRunConfig(baseURL: server.baseURL, model: "m", requestsPerSecond: 500, scope: .undecided),
                    by: analyst, now: Date())
                let before = Dictionary(uniqueKeysWithValues: truth.map { ($0.0, server.calls(for: $0.0)) })
                let finished = try await LLMRunner(store: store).run(run)
                #expect(finished.succeeded == 14, "eleven gold (one promoted) and three of the five others")
                #expect(server.calls(for: decided) == before[decided], "the item people decided was not called")
                #expect(server.calls(for: promoted) == before[promoted]! + 1, "gold promoted from a decided item was")
                #expect(server.calls(for: "g-1") == before["g-1"]! + 1)
                let evaluations = try await store.evaluations(of: queue, predictors: versions.map(\.0))
                #expect(evaluations.map(\.predictor) == versions.map(\.0))
                #expect(evaluations[0].accuracy == GoldScore(answered: 10, correct: 10) && evaluations[0].macroF1 == 1)
                #expect(evaluations[1].accuracy == GoldScore(answered: 10, correct: 4))
                let missed = try #require(evaluations[1].confusion.first { $0.reference == "spam" && $0.predicted == "none" })
                #expect(missed.count == 6 && missed.examples.count == 5)
                #expect(missed.examples.first?.rationale == "as the marker says")
                #expect(abs((evaluations[1].usage?.cost ?? 0) - 10 * 120 / 1_000_000) < 1e-12)
                #expect(evaluations[1].usage?.medianLatency != nil)
                await #expect(throws: AssayError.self) {
                    try await store.evaluations(of: queue, predictors: Array(repeating: versions[0].0, count: 11))
                }
            }
        }
    }
}
