import AssayCore
import AssayStore
import AsyncHTTPClient
import Foundation
import NIOCore

/// Runs an LLM over a queue: renders the prompt for each pending item, calls the model with at most `concurrency`
/// calls in flight and at most `requests_per_second` started, retries what is worth retrying (429, 5xx, timeouts,
/// unusable answers) with exponential backoff and the server's `Retry-After`, parses each answer into the queue's
/// labels (an answer that never parses is recorded as a failure, never guessed), and records every item's outcome
/// with its prediction, tokens, cost and latency as it finishes.
///
/// Because each item is recorded the moment it finishes, a run that crashes is resumed by running it again: the
/// items it finished are not called again. Calls in flight at the crash (at most `concurrency`) are made again,
/// since their answers were never recorded. A wrong key, URL or model (401, 403, 404) stops the run as failed,
/// since every call would meet it; so does a model server that cannot be connected to before it has answered once
/// in this call (nothing listens at the URL). Once it has answered, a lost connection is retried like a 503; but
/// when ten items in a row fail on the server's side (unreachable, 5xx, 429, timeouts), the server is taken to be
/// down and the run stops as failed, to be resumed by running it again.
///
/// For example:
/// ```swift
/// try LLMRunner.apiKey(for: config)   // before the run exists: a missing key leaves nothing behind
/// let run = try await store.startLLMRun(on: queue, as: predictor, config: config, by: analyst, now: Date())
/// let finished = try await LLMRunner(store: store).run(run)
/// finished.succeeded   // items answered
/// ```
public struct LLMRunner: Sendable {
    let store: Store
    let environment: [String: String]

    /// Makes a runner.
    ///
    /// - Parameters:
    ///   - environment: where the API key's variable is looked up (the process's environment by default).
    public init(store: Store, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.store = store
        self.environment = environment
    }

    /// The API key the run's configuration names, read from `environment`; nil when it names none.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` when the variable is not set.
    public static func apiKey(
        for config: LLMRunConfig, in environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> String? {
        guard let variable = config.apiKeyEnv else { return nil }
        try LLMRunConfig.requireVariableName(variable)
        guard let value = environment[variable], !value.isEmpty else {
            throw AssayError.invalidInput(
                field: "api_key_env", line: nil, reason: "the environment variable \(LLMRunConfig.shown(variable: variable)) is not set")
        }
        return value
    }

    /// Runs (or resumes) a run to its end and returns it with its figures.
    ///
    /// - Parameter progress: told the number of items finished in this call, after each one.
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` when the API key's variable is not set (the run is
    ///   left as it was, to resume once it is); store errors.
    public func run(_ run: LLMRun, progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> LLMRun {
        let config = run.config
        let apiKey = try Self.apiKey(for: config, in: environment)
        let queue = try await store.queue(run.queueID.uuidString)
        // The guidelines the run started with (``LLMRunConfig/guidelineVersion``), not those published since: one
        // predictor version asks one way.
        var guidelines: [String: String] = [:]
        if let version = config.guidelineVersion {
            guidelines = try await store.guideline(of: queue.id, version: version, now: Date()).passages
        }
        // A client of its own that does not retry a failed connection: AsyncHTTPClient would try again until each
        // call's deadline, so a server that is down would cost every attempt its whole timeout. The retry policy
        // decides instead.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        // As many connections as calls in flight: the pool's default of 8 per host held `--concurrency 16` to 8 calls,
        // and the time the others waited for a connection counted as latency and against the timeout.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(8, config.concurrency)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { http.shutdown { _ in } }
        let labeler = ItemLabeler(
            client: ChatCompletionClient(
                baseURL: config.baseURL, apiKey: apiKey, timeout: .milliseconds(Int64(config.timeoutSeconds * 1000)), http: http),
            config: config, schema: queue.schema, guidelines: guidelines,
            // No burst: calls are spaced 1/rate apart from the first, so no second ever sees more than the rate
            // (a burst of `concurrency` let 9 calls start in the first second at 5 per second).
            gate: RateGate(ratePerSecond: config.requestsPerSecond, burst: 1), contact: ServerContact())
        var remaining = config.limit.map { max(0, $0 - run.succeeded - run.failed) } ?? Int.max
        var after: Int64?
        let finished = Counter()
        do {
            while remaining > 0 {
                let page = try await store.pendingItems(of: run, after: after, limit: min(200, remaining))
                guard let last = page.last else { break }
                if after == nil, !page.contains(where: { config.template.quotesSomething(of: $0.content) }) {
                    throw RunStopped(reason: ItemLabeler.nothingToQuote(page[0], template: config.template, among: page.count))
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    var inFlight = 0
                    for item in page {
                        if inFlight == config.concurrency {
                            try await group.next()
                            inFlight -= 1
                        }
                        group.addTask {
                            let outcome = try await labeler.label(item)
                            try await store.recordLLMCall(outcome, in: run, queue: queue, now: Date())
                            progress(await finished.increment())
                        }
                        inFlight += 1
                    }
                    try await group.waitForAll()
                }
                remaining -= page.count
                after = last.id
            }
        } catch let stop as RunStopped {
            try await store.finishLLMRun(run.id, state: .failed, error: stop.reason, now: Date())
            return try await store.llmRun(run.id)
        }
        try await store.finishLLMRun(run.id, state: .completed, now: Date())
        return try await store.llmRun(run.id)
    }
}

/// A failure every call of the run would meet.
struct RunStopped: Error {
    let reason: String
}

/// Calls the model for one item until it answers in the schema or the retry policy gives up.
struct ItemLabeler: Sendable {
    let client: ChatCompletionClient
    let config: LLMRunConfig
    let schema: LabelSchema
    let guidelines: [String: String]
    let gate: RateGate
    let contact: ServerContact

    func label(_ item: Item) async throws -> LLMCallOutcome {
        // An item the prompt would quote nothing of is not sent: the model would be paid to label an empty prompt.
        guard config.template.quotesSomething(of: item.content) else {
            return LLMCallOutcome(
                itemID: item.id, answer: nil, error: Self.nothingToQuote(item, template: config.template), attempts: 0,
                promptTokens: 0, completionTokens: 0, cost: 0, latency: 0)
        }
        let request = ChatCompletionRequest(
            model: config.model, messages: config.template.render(item: item.content, schema: schema, guidelines: guidelines),
            temperature: config.temperature, maxTokens: config.maxTokens, responseFormat: config.jsonMode ? .jsonObject : nil)
        let policy = config.retryPolicy
        var rng = SystemRandomNumberGenerator()
        var attempts = 0
        var invalidOutputs = 0
        var usage = ChatCompletionResponse.Usage.zero
        var everyReplyCounted = true
        // The time spent waiting on the model server, over every attempt; not the rate limit's waits before the
        // calls, nor the backoff between them, which are the run's own doing.
        var waited = Duration.zero
        func outcome(_ answer: LLMAnswer?, _ error: String?) -> LLMCallOutcome {
            LLMCallOutcome(
                itemID: item.id, answer: answer, error: error, attempts: attempts, promptTokens: usage.promptTokens,
                completionTokens: usage.completionTokens,
                cost: config.pricing?.cost(promptTokens: usage.promptTokens, completionTokens: usage.completionTokens) ?? 0,
                latency: Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18,
                tokensReported: everyReplyCounted)
        }
        func call() async throws -> ChatCompletionResponse {
            let sent = ContinuousClock.now
            defer { waited += ContinuousClock.now - sent }
            return try await client.complete(request)
        }
        while true {
            try await gate.wait()
            attempts += 1
            let failure: CallFailure
            var retryAfter: Double?
            do {
                let reply = try await call()
                await contact.answered()
                usage.promptTokens += reply.usage.promptTokens
                usage.completionTokens += reply.usage.completionTokens
                if !reply.reportsUsage { everyReplyCounted = false }
                guard let content = reply.content, !content.trimmingBlanksAndNewlines.isEmpty else {
                    throw LLMOutputError(reason: "the answer is empty")
                }
                let answer = try LLMAnswer.parse(content, schema: schema)
                await contact.itemAnswered()
                return outcome(answer, nil)
            } catch let error as ChatCompletionClient.CallError {
                failure = error.failure
                retryAfter = error.retryAfter
                if case .status = failure { await contact.answered() }
            } catch let error as LLMOutputError {
                failure = .invalidOutput(error.reason)
            }
            if case .invalidOutput = failure { invalidOutputs += 1 }
            if case .status(let code) = failure, [401, 403, 404].contains(code) { throw RunStopped(reason: failure.description) }
            if case .unreachable = failure, await !contact.hasAnswered {
                throw RunStopped(reason: "\(failure.description) (\(config.baseURL))")
            }
            guard policy.allowsRetry(after: failure, attempts: attempts, invalidOutputs: invalidOutputs) else {
                // An item the content filter refused says nothing about the others; any other failure of each of the
                // first items says the setup is wrong (a request the server refuses, a prompt it never answers in the
                // schema, a confidence on another scale), and every item to come would fail, each paid for.
                if failure != .contentFiltered, let stop = await contact.itemFailed(failure) { throw RunStopped(reason: stop) }
                return outcome(nil, failure.description)
            }
            let delay = policy.delay(afterAttempt: attempts, retryAfter: retryAfter, using: &rng)
            // A 429 is about the whole run's pace, not this item: every other item waits too.
            if case .status(429) = failure { await gate.holdOff(seconds: delay) }
            try await Task.sleep(for: .seconds(delay))
        }
    }
}

extension ItemLabeler {
    /// Why an item (or the first `count` items) was not sent: the fields the prompt quotes, the fields the item
    /// has, and what to do.
    static func nothingToQuote(_ item: Item, template: PromptTemplate, among count: Int = 1) -> String {
        let quoted = template.itemFields.map { "'\($0)'" }.joined(separator: ", ")
        let fields = item.content.keys.sorted()
        let who = count == 1 ? "item '\(item.externalID)' has nothing there" : "none of the first \(count) items has anything there"
        let advice = fields.first.map { "; write a --template that quotes its fields, such as {{item.\($0)}}" } ?? ""
        return "not sent: the prompt quotes \(quoted) and \(who) (item '\(item.externalID)' has "
            + (fields.isEmpty ? "no content fields" : fields.joined(separator: ", ")) + ")" + advice
    }
}

/// The run's shared rate limit: each call takes a turn from one token bucket and sleeps until it; a 429 that came
/// meanwhile voids the turn, and the call takes a new one, so that calls held back resume one at a time at the rate
/// (waking together at the pause's end, seven calls went in 8 ms at 5 per second, and three met another 429).
actor RateGate {
    private var bucket: TokenBucket
    private let origin = ContinuousClock.now

    init(ratePerSecond: Double, burst: Int) {
        bucket = TokenBucket(ratePerSecond: ratePerSecond, burst: burst)
    }

    private var now: Double {
        let elapsed = ContinuousClock.now - origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private func takeTurn() -> TokenBucket.Turn { bucket.takeTurn(now: now) }

    private func isVoid(_ turn: TokenBucket.Turn) -> Bool { bucket.isVoid(turn) }

    nonisolated func wait() async throws {
        while true {
            let turn = await takeTurn()
            if turn.delay > 0 { try await Task.sleep(for: .seconds(turn.delay)) }
            if await !isVoid(turn) { return }
        }
    }

    /// Holds every item's next call back (``TokenBucket/holdOff(seconds:now:)``), those already waiting their turn
    /// too.
    func holdOff(seconds: Double) {
        bucket.holdOff(seconds: seconds, now: now)
    }
}

/// What the model server has done so far in this call of the run, to stop a run every call of which would fail:
/// whether it has answered anything (a reply, or an HTTP error status), whether the first items all failed (the setup
/// is wrong), and how many items in a row it failed itself (it went down mid-run: killed, a dead server took every
/// item left 2 minutes of retries and recorded all 125 as failed, and the run said "completed").
actor ServerContact {
    private(set) var hasAnswered = false
    /// Items that ended failed, while no item has had an answer.
    private var failedItems = 0
    private var anItemAnswered = false
    /// Items that ended failed in a row on the server's side (unreachable, 5xx, 429, no answer in time).
    private var serverFailuresInARow = 0
    /// How many of the first items, or how many items in a row on the server's side, must fail to stop the run.
    static let failuresBeforeStopping = 10

    func answered() {
        hasAnswered = true
    }

    /// An item got an answer in the schema.
    func itemAnswered() {
        anItemAnswered = true
        serverFailuresInARow = 0
    }

    /// An item ended failed; why the run should stop, if it should: the first ``failuresBeforeStopping`` items all
    /// failed, or as many in a row failed on the server's side.
    func itemFailed(_ failure: CallFailure) -> String? {
        serverFailuresInARow = failure.isServerFailure ? serverFailuresInARow + 1 : 0
        let limit = Self.failuresBeforeStopping
        if !anItemAnswered {
            failedItems += 1
            if failedItems >= limit {
                return "the first \(limit) items all failed (the last: \(failure.description)); fix the setup (model, prompt, --no-json-mode) and run again"
            }
        }
        if serverFailuresInARow >= limit {
            return "the model server failed the last \(limit) items in a row (the last: \(failure.description)); the run stopped rather than spend the items left on it: run the same command again once the server is back, and the items not answered are asked again"
        }
        return nil
    }
}

/// Items finished in this call, counted across the concurrent tasks.
actor Counter {
    private var value = 0

    func increment() -> Int {
        value += 1
        return value
    }
}
