import Foundation

/// How an LLM labels a queue: which OpenAI-compatible endpoint and model, which prompt, which items, and how hard
/// to push the server. Works with vLLM, llama.cpp's server, Ollama and hosted APIs alike: they all answer
/// `POST {base_url}/chat/completions`.
///
/// The API key is never stored: `api_key_env` names the environment variable that holds it (none for servers
/// without keys).
///
/// For example:
/// ```json
/// {"base_url": "http://127.0.0.1:11434/v1", "model": "llama3.1:8b", "concurrency": 4, "requests_per_second": 5,
///  "scope": "gold", "pricing": {"input_per_million": 0.15, "output_per_million": 0.6}}
/// ```
public struct LLMRunConfig: Codable, Sendable, Equatable {
    /// Which of the queue's items the run labels.
    public enum Scope: String, Codable, Sendable, CaseIterable, ClosedChoice {
        /// Every item, gold included.
        case all
        /// The gold items only: for evaluating a prompt or a model before it labels anything.
        case gold
        /// Items without a final label yet, and the active gold: for putting the model to work. A queue that shows
        /// the model's suggestions must show them on gold as on any item, or the missing suggestion would give gold
        /// away; and rubber-stamping is measured on gold.
        case undecided
    }

    /// The endpoint's base, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`.
    public var baseURL: String
    /// The model's name at that endpoint.
    public var model: String
    /// The environment variable holding the API key; nil sends none.
    public var apiKeyEnv: String?
    /// The prompt.
    public var template: PromptTemplate
    /// Sampling temperature (0: the most likely answer).
    public var temperature: Double
    /// The most tokens an answer may take.
    public var maxTokens: Int
    /// Whether to ask for a JSON object (`response_format`); turn off for servers that refuse it.
    public var jsonMode: Bool
    /// Calls in flight at once.
    public var concurrency: Int
    /// Calls started per second at most.
    public var requestsPerSecond: Double
    /// Seconds to wait for one answer.
    public var timeoutSeconds: Double
    /// Calls per item at most, retries included.
    public var maxAttempts: Int
    /// Which items.
    public var scope: Scope
    /// At most this many items (nil: all in scope).
    public var limit: Int?
    /// Prices, for the cost; nil records tokens only.
    public var pricing: ModelPricing?
    /// The version of the queue's guidelines whose passages the prompt quotes (`{{guidelines}}`): set when the run
    /// starts, and kept by a resumed run; nil when the prompt quotes none or none was published.
    public var guidelineVersion: Int?

    /// Makes a configuration with defaults that suit a local server.
    public init(
        baseURL: String, model: String, apiKeyEnv: String? = nil, template: PromptTemplate = .standard,
        temperature: Double = 0, maxTokens: Int = 300, jsonMode: Bool = true, concurrency: Int = 4,
        requestsPerSecond: Double = 5, timeoutSeconds: Double = 60, maxAttempts: Int = 5, scope: Scope = .all,
        limit: Int? = nil, pricing: ModelPricing? = nil
    ) {
        self.baseURL = baseURL
        self.model = model
        self.apiKeyEnv = apiKeyEnv
        self.template = template
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.jsonMode = jsonMode
        self.concurrency = concurrency
        self.requestsPerSecond = requestsPerSecond
        self.timeoutSeconds = timeoutSeconds
        self.maxAttempts = maxAttempts
        self.scope = scope
        self.limit = limit
        self.pricing = pricing
    }

    /// The retry policy the configuration implies.
    public var retryPolicy: RetryPolicy { RetryPolicy(maxAttempts: maxAttempts) }

    /// How this setup would answer differently from `other`: the model, the prompt, the temperature, the answer's
    /// length, its JSON mode or the guidelines the prompt quotes, each named with both values; empty when the two answer alike. The endpoint, pace,
    /// scope and prices change what a run costs and covers, not what it answers.
    ///
    /// A predictor version stands for one setup, so that its evaluation means one thing:
    /// ```swift
    /// earlier.setupDifferences(from: next)  // ["model (gpt-4o-mini, not llama-3.1-8b)"]
    /// ```
    public func setupDifferences(from other: LLMRunConfig) -> [String] {
        var differences: [String] = []
        func compare<T: Equatable>(_ name: String, _ mine: T, _ theirs: T, _ shown: (T) -> String) {
            if mine != theirs { differences.append("\(name) (\(shown(mine)), not \(shown(theirs)))") }
        }
        compare("model", model, other.model) { $0 }
        if template != other.template {
            let (mine, theirs) = ("\(template.name) v\(template.version)", "\(other.template.name) v\(other.template.version)")
            differences.append(mine == theirs ? "prompt (the text of \(mine) differs)" : "prompt (\(mine), not \(theirs))")
        }
        compare("temperature", temperature, other.temperature) { String($0) }
        compare("max_tokens", maxTokens, other.maxTokens) { String($0) }
        compare("json_mode", jsonMode, other.jsonMode) { String($0) }
        compare("guidelines", guidelineVersion, other.guidelineVersion) { $0.map { "version \($0)" } ?? "none" }
        return differences
    }

    /// Query parameters that carry keys in the URLs of model gateways.
    static let secretParameters: Set<String> = [
        "key", "api-key", "api_key", "apikey", "token", "access_token", "auth", "secret", "password", "sig", "signature",
        "subscription-key", "subscription_key", "code",
    ]

    /// The variable's name as it may be shown: a name as environments write them (capitals, digits, `_`), or a word
    /// in its place, since a key that reads as a name (an `hf_…` token) may have been pasted there.
    public static func shown(variable name: String) -> String {
        let conventional = name.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        return conventional && name.count <= 64 ? name : "named by api_key_env (not shown: it may be a key)"
    }

    /// Checks that `name` reads as an environment variable's name (letters, digits, `_`, not starting with a
    /// digit). A key pasted in its place is refused without being repeated, so that it lands in no terminal or log.
    public static func requireVariableName(_ name: String) throws {
        let isName = !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || CharacterSet.alphanumerics.contains($0)) }
            && !("0"..."9").contains(name.first!)
        guard isName else {
            throw AssayError.invalidInput(
                field: "api_key_env", line: nil,
                reason: "takes the name of the environment variable that holds the key (such as OPENAI_API_KEY), not the key itself; what was given is not a variable's name (not shown, in case it is the key)")
        }
    }

    /// The configuration, checked; throws ``AssayError/invalidInput(field:line:reason:)`` naming the field at fault.
    public func validated() throws -> LLMRunConfig {
        guard let url = URL(string: baseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            // Not repeated: a URL given without its scheme may still carry a key.
            throw AssayError.invalidInput(
                field: "base_url", line: nil, reason: "must be an http(s) URL such as http://127.0.0.1:8000/v1")
        }
        // A key in the URL would be stored with the run and shown wherever the run is (`assay llm runs`, the API,
        // error messages): keys go through the environment, sent as a Bearer token.
        if url.user != nil || url.password != nil {
            throw AssayError.invalidInput(
                field: "base_url", line: nil,
                reason: "must not carry a user or key (it would be stored and shown with the run); put the key in an environment variable and name it with api_key_env")
        }
        if let secret = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems?
            .first(where: { Self.secretParameters.contains($0.name.lowercased()) })
        {
            throw AssayError.invalidInput(
                field: "base_url", line: nil,
                reason: "must not carry a key (the query parameter '\(secret.name)' would be stored and shown with the run); put the key in an environment variable and name it with api_key_env")
        }
        guard !model.trimmingBlanksAndNewlines.isEmpty else {
            throw AssayError.invalidInput(field: "model", line: nil, reason: "name the model")
        }
        if let apiKeyEnv { try Self.requireVariableName(apiKeyEnv) }
        let checks: [(String, Bool, String)] = [
            ("temperature", temperature.isFinite && (0...2).contains(temperature), "must be 0 to 2"),
            ("max_tokens", (1...32_768).contains(maxTokens), "must be 1 to 32768"),
            ("concurrency", (1...64).contains(concurrency), "must be 1 to 64 calls in flight"),
            ("requests_per_second", requestsPerSecond.isFinite && requestsPerSecond > 0 && requestsPerSecond <= 1_000,
             "must be above 0 and at most 1000"),
            ("timeout_seconds", timeoutSeconds.isFinite && (1...600).contains(timeoutSeconds), "must be 1 to 600"),
            ("max_attempts", (1...20).contains(maxAttempts), "must be 1 to 20"),
            ("limit", limit.map { $0 > 0 } ?? true, "must be above 0"),
        ]
        if let failed = checks.first(where: { !$0.1 }) {
            throw AssayError.invalidInput(field: failed.0, line: nil, reason: failed.2)
        }
        _ = try template.validated()
        _ = try pricing?.validated()
        return self
    }

    enum CodingKeys: String, CodingKey {
        case model, template, temperature, concurrency, scope, limit, pricing
        case baseURL = "base_url", apiKeyEnv = "api_key_env", maxTokens = "max_tokens", jsonMode = "json_mode"
        case requestsPerSecond = "requests_per_second", timeoutSeconds = "timeout_seconds", maxAttempts = "max_attempts"
        case guidelineVersion = "guideline_version"
    }

    /// Decodes a configuration; fields other than `base_url` and `model` take their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = LLMRunConfig(baseURL: "", model: "")
        self.init(
            baseURL: try container.decode(String.self, forKey: .baseURL), model: try container.decode(String.self, forKey: .model),
            apiKeyEnv: try container.decodeIfPresent(String.self, forKey: .apiKeyEnv),
            template: try container.decodeIfPresent(PromptTemplate.self, forKey: .template) ?? defaults.template,
            temperature: try container.decodeIfPresent(Double.self, forKey: .temperature) ?? defaults.temperature,
            maxTokens: try container.decodeIfPresent(Int.self, forKey: .maxTokens) ?? defaults.maxTokens,
            jsonMode: try container.decodeIfPresent(Bool.self, forKey: .jsonMode) ?? defaults.jsonMode,
            concurrency: try container.decodeIfPresent(Int.self, forKey: .concurrency) ?? defaults.concurrency,
            requestsPerSecond: try container.decodeIfPresent(Double.self, forKey: .requestsPerSecond) ?? defaults.requestsPerSecond,
            timeoutSeconds: try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? defaults.timeoutSeconds,
            maxAttempts: try container.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? defaults.maxAttempts,
            scope: try container.decodeIfPresent(Scope.self, forKey: .scope) ?? defaults.scope,
            limit: try container.decodeIfPresent(Int.self, forKey: .limit),
            pricing: try container.decodeIfPresent(ModelPricing.self, forKey: .pricing))
        guidelineVersion = try container.decodeIfPresent(Int.self, forKey: .guidelineVersion)
    }
}

/// One LLM labeling run over a queue, with what it has done so far: it can be resumed after a crash, and every
/// item it finished (answered, or failed for good) is never called again.
public struct LLMRun: Codable, Sendable, Equatable, Identifiable {
    /// Where a run is.
    public enum State: String, Codable, Sendable {
        /// Started and not finished: it may be running, or have crashed; resuming it carries on.
        case running
        /// Every item in scope was answered or failed for good.
        case completed
        /// Stopped by an error that every call would meet (a wrong key, URL or model).
        case failed
    }

    /// The run's identifier.
    public var id: UUID
    /// The queue.
    public var queueID: UUID
    /// The predictor its answers are stored under.
    public var predictor: Predictor.Reference
    /// How it calls the model.
    public var config: LLMRunConfig
    /// Where it is.
    public var state: State
    /// Why it failed.
    public var error: String?
    /// When it started, and finished.
    public var startedAt: Date
    public var finishedAt: Date?
    /// Items answered, and items that failed for good (after retries, or with an unusable answer).
    public var succeeded: Int
    public var failed: Int
    /// Calls made, retries included.
    public var calls: Int
    /// Tokens used.
    public var promptTokens: Int
    public var completionTokens: Int
    /// The cost in USD by the configured prices (0 without prices), of the calls whose tokens the server reported.
    public var cost: Double
    /// Items whose calls the server reported no tokens for: their cost is unknown, not 0.
    public var itemsWithoutTokenCounts: Int
    /// Mean seconds per answered item, retries included.
    public var meanLatency: Double?

    /// Makes a run value.
    public init(
        id: UUID, queueID: UUID, predictor: Predictor.Reference, config: LLMRunConfig, state: State, error: String? = nil,
        startedAt: Date, finishedAt: Date? = nil, succeeded: Int = 0, failed: Int = 0, calls: Int = 0,
        promptTokens: Int = 0, completionTokens: Int = 0, cost: Double = 0, itemsWithoutTokenCounts: Int = 0,
        meanLatency: Double? = nil
    ) {
        self.id = id
        self.queueID = queueID
        self.predictor = predictor
        self.config = config
        self.state = state
        self.error = error
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.succeeded = succeeded
        self.failed = failed
        self.calls = calls
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cost = cost
        self.itemsWithoutTokenCounts = itemsWithoutTokenCounts
        self.meanLatency = meanLatency
    }

    enum CodingKeys: String, CodingKey {
        case id, predictor, config, state, error, succeeded, failed, calls, cost
        case queueID = "queue_id", startedAt = "started_at", finishedAt = "finished_at"
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", meanLatency = "mean_latency"
        case itemsWithoutTokenCounts = "items_without_token_counts"
    }
}

/// What became of one item in an LLM run.
public struct LLMCallOutcome: Sendable, Equatable {
    /// The item.
    public var itemID: Int64
    /// The answer, or nil when the item failed for good.
    public var answer: LLMAnswer?
    /// Why it failed.
    public var error: String?
    /// Calls made for it, retries included.
    public var attempts: Int
    /// Tokens over all its calls.
    public var promptTokens: Int
    public var completionTokens: Int
    /// Its cost.
    public var cost: Double
    /// Seconds from its first call to its last answer.
    public var latency: Double
    /// Whether the server reported the tokens of every reply it sent for the item (else its cost is unknown).
    public var tokensReported: Bool

    /// Makes an outcome.
    public init(
        itemID: Int64, answer: LLMAnswer?, error: String?, attempts: Int, promptTokens: Int, completionTokens: Int,
        cost: Double, latency: Double, tokensReported: Bool = true
    ) {
        self.itemID = itemID
        self.answer = answer
        self.error = error
        self.attempts = attempts
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cost = cost
        self.latency = latency
        self.tokensReported = tokensReported
    }
}
