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
/// since every call would meet it.
///
/// For example:
/// ```swift
/// let run = try await store.startLLMRun(on: queue, as: predictor, config: config, by: analyst, now: Date())
/// let finished = try await LLMRunner(store: store, http: .shared).run(run)
/// finished.succeeded   // items answered
/// ```
public struct LLMRunner: Sendable {
    let store: Store
    let http: HTTPClient
    let environment: [String: String]

    /// Makes a runner.
    ///
    /// - Parameters:
    ///   - environment: where the API key's variable is looked up (the process's environment by default).
    public init(store: Store, http: HTTPClient, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.store = store
        self.http = http
        self.environment = environment
    }

    /// Runs (or resumes) a run to its end and returns it with its figures.
    ///
    /// - Parameter progress: told the number of items finished in this call, after each one.
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` when the API key's variable is not set; store errors.
    public func run(_ run: LLMRun, progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> LLMRun {
        let config = run.config
        var apiKey: String?
        if let variable = config.apiKeyEnv {
            guard let value = environment[variable], !value.isEmpty else {
                throw AssayError.invalidInput(field: "api_key_env", line: nil, reason: "the environment variable \(variable) is not set")
            }
            apiKey = value
        }
        let queue = try await store.queue(run.queueID.uuidString)
        let guidelines = (try? await store.guideline(of: queue.id, version: nil, now: Date()))?.passages ?? [:]
        let labeler = ItemLabeler(
            client: ChatCompletionClient(
                baseURL: config.baseURL, apiKey: apiKey, timeout: .milliseconds(Int64(config.timeoutSeconds * 1000)), http: http),
            config: config, schema: queue.schema, guidelines: guidelines,
            gate: RateGate(ratePerSecond: config.requestsPerSecond, burst: config.concurrency))
        var remaining = config.limit.map { max(0, $0 - run.succeeded - run.failed) } ?? Int.max
        var after: Int64?
        let finished = Counter()
        do {
            while remaining > 0 {
                let page = try await store.pendingItems(of: run, after: after, limit: min(200, remaining))
                guard let last = page.last else { break }
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

    func label(_ item: Item) async throws -> LLMCallOutcome {
        let request = ChatCompletionRequest(
            model: config.model, messages: config.template.render(item: item.content, schema: schema, guidelines: guidelines),
            temperature: config.temperature, maxTokens: config.maxTokens, responseFormat: config.jsonMode ? .jsonObject : nil)
        let policy = config.retryPolicy
        var rng = SystemRandomNumberGenerator()
        var attempts = 0
        var invalidOutputs = 0
        var usage = ChatCompletionResponse.Usage.zero
        let started = ContinuousClock.now
        func outcome(_ answer: LLMAnswer?, _ error: String?) -> LLMCallOutcome {
            let elapsed = ContinuousClock.now - started
            return LLMCallOutcome(
                itemID: item.id, answer: answer, error: error, attempts: attempts, promptTokens: usage.promptTokens,
                completionTokens: usage.completionTokens,
                cost: config.pricing?.cost(promptTokens: usage.promptTokens, completionTokens: usage.completionTokens) ?? 0,
                latency: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        while true {
            try await gate.wait()
            attempts += 1
            let failure: CallFailure
            var retryAfter: Double?
            do {
                let reply = try await client.complete(request)
                usage.promptTokens += reply.usage.promptTokens
                usage.completionTokens += reply.usage.completionTokens
                guard let content = reply.content, !content.trimmingBlanksAndNewlines.isEmpty else {
                    throw LLMOutputError(reason: "the answer is empty")
                }
                return outcome(try LLMAnswer.parse(content, schema: schema), nil)
            } catch let error as ChatCompletionClient.CallError {
                failure = error.failure
                retryAfter = error.retryAfter
            } catch let error as LLMOutputError {
                failure = .invalidOutput(error.reason)
            }
            if case .invalidOutput = failure { invalidOutputs += 1 }
            if case .status(let code) = failure, [401, 403, 404].contains(code) { throw RunStopped(reason: failure.description) }
            guard policy.allowsRetry(after: failure, attempts: attempts, invalidOutputs: invalidOutputs) else {
                return outcome(nil, failure.description)
            }
            try await Task.sleep(for: .seconds(policy.delay(afterAttempt: attempts, retryAfter: retryAfter, using: &rng)))
        }
    }
}

/// The run's shared rate limit: each call reserves a start time from one token bucket and sleeps until then.
actor RateGate {
    private var bucket: TokenBucket
    private let origin = ContinuousClock.now

    init(ratePerSecond: Double, burst: Int) {
        bucket = TokenBucket(ratePerSecond: ratePerSecond, burst: burst)
    }

    private func reserve() -> Double {
        let elapsed = ContinuousClock.now - origin
        return bucket.reserve(now: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    nonisolated func wait() async throws {
        let delay = await reserve()
        if delay > 0 { try await Task.sleep(for: .seconds(delay)) }
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
