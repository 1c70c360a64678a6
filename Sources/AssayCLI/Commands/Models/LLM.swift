import ArgumentParser
import AssayCore
import AssayLLM
import AssayStore
import AsyncHTTPClient
import ConsoleKitTerminal
import Foundation

/// `assay llm`: label a queue with a large language model behind an OpenAI-compatible endpoint, and list the runs.
struct LLM: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm",
        abstract: "Label a queue's items with an LLM (any OpenAI-compatible chat-completions endpoint), and list the runs.",
        subcommands: [Run.self, Runs.self], defaultSubcommand: Runs.self)

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run an LLM over a queue's items and store its answers as predictions; resumes an unfinished run.",
            discussion: """
                Works with vLLM, llama.cpp's server, Ollama and hosted APIs. The prompt is a versioned template (see \
                `--template`; the default shows the labels, their guideline passages and the item's text). Each \
                answer is parsed into the queue's labels; one that never parses is recorded as a failure, never \
                guessed. An item with nothing in any field the prompt quotes is not sent (nor paid for) and is \
                recorded as a failure naming the fields; a run whose first items all lack them stops before its \
                first call (queues without text, such as search relevance, need a --template quoting their \
                fields, such as {{item.query}}). Calls are retried on 429, 5xx and timeouts with backoff; ten items \
                in a row failed by the server stop the run. Every item is recorded as it finishes, so after a crash \
                or a stop the same command carries on where it stopped (after a stop, as a new run with the last \
                one's setup, whose --limit counts afresh): options given then move it to another endpoint, key, pace, \
                scope, limit or price, and one that would change the answers (model, template, temperature, JSON mode) \
                is refused.

                Examples:
                  assay llm run --queue comments-en --predictor triage-llama@p1 \\
                      --by priya-raman --base-url http://127.0.0.1:11434/v1 \\
                      --model llama3.1:8b --scope gold
                  OPENAI_API_KEY=… assay llm run --queue ads-policy --predictor ads-gpt@p2 \\
                      --by priya-raman --base-url https://api.openai.com/v1 \\
                      --model gpt-4o-mini --api-key-env OPENAI_API_KEY \\
                      --price-in 0.15 --price-out 0.6 --template ads-prompt.json
                """)

        @Option(help: "The queue, by name or id.")
        var queue: String

        @Option(help: "The predictor its answers are stored under, NAME@VERSION (say, the prompt and model).")
        var predictor: String

        @OptionGroup var acting: ActingPerson

        @Option(help: "The endpoint's base URL, such as http://127.0.0.1:8000/v1.")
        var baseURL: String?

        @Option(help: "The model's name at that endpoint.")
        var model: String?

        @Option(help: "The environment variable holding the API key (none: send no key).")
        var apiKeyEnv: String?

        @Option(help: "A JSON file with the prompt template: {\"name\", \"version\", \"system\", \"user\"}.")
        var template: String?

        @Option(help: "Which items: all, gold (to evaluate the prompt) or undecided (default: all).")
        var scope: LLMRunConfig.Scope?

        @Option(help: "At most this many items.")
        var limit: Int?

        @Option(help: "Calls in flight at once (default: 4).")
        var concurrency: Int?

        @Option(help: "Calls started per second at most (default: 5).")
        var rate: Double?

        @Option(help: "Seconds to wait for one answer (default: 60).")
        var timeout: Double?

        @Option(help: "Calls per item at most, retries included (default: 5).")
        var maxAttempts: Int?

        @Option(help: "Sampling temperature (default: 0).")
        var temperature: Double?

        @Flag(help: "Do not ask for a JSON object (for servers that refuse response_format).")
        var noJsonMode = false

        @Option(help: "USD per million prompt tokens, for the cost.")
        var priceIn: Double?

        @Option(help: "USD per million completion tokens.")
        var priceOut: Double?

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting(file: template) {
                let reference = try Predictor.Reference(parsing: predictor)
                let finished = try await database.withStore { store in
                    let person = try await acting.person(in: store, allowedBy: Policy.requireCanManageModels)
                    let queue = try await store.queue(self.queue)
                    let run: AssayCore.LLMRun
                    if let unfinished = try await store.llmRuns(in: queue).first(where: { $0.predictor == reference && $0.state == .running }) {
                        let given = try applied(to: unfinished.config)
                        let moved = Self.changes(from: unfinished.config, to: given)
                        run = given == unfinished.config ? unfinished : try await store.resumeLLMRun(unfinished, with: given)
                        QualityFiles.note(
                            "Resuming run \(run.id): \(run.succeeded + run.failed) items already done"
                                + (moved.isEmpty ? "." : ", now with \(moved.joined(separator: ", ")).")
                        )
                    } else {
                        // A run that stopped (the server went down, say) is carried on by a new run of the same setup:
                        // the items it answered are not asked again.
                        let earlier = try await store.llmRuns(in: queue).first(where: { $0.predictor == reference })
                        run = try await store.startLLMRun(
                            on: queue, as: reference, config: try config(after: earlier?.config), by: person, now: Date())
                        QualityFiles.note(
                            "Started run \(run.id)" + (earlier.map { " with the setup of run \($0.id) (\($0.state.rawValue))" } ?? "") + ".")
                    }
                    let bar = Terminal().progressBar(title: "Labelling \(queue.name) with \(run.config.model)")
                    bar.start()
                    let total = Double(max(1, run.config.limit ?? 1))
                    let result = try await LLMRunner(store: store).run(run) { done in
                        if run.config.limit != nil { bar.activity.currentProgress = min(1, Double(done) / total) }
                    }
                    result.state == .completed ? bar.succeed() : bar.fail()
                    return result
                }
                try JSONFiles.print(finished)
                if finished.itemsWithoutTokenCounts > 0 {
                    QualityFiles.note("The model server reported no token counts for \(finished.itemsWithoutTokenCounts) items: their cost is unknown, not counted.")
                }
                if finished.state == .failed { throw CommandFailure(description: "the run failed: \(finished.error ?? "unknown error")") }
            }
        }

        /// The configuration of a new run: the options given, over those of the predictor's latest run when there is
        /// one, else over the defaults.
        private func config(after earlier: LLMRunConfig?) throws -> LLMRunConfig {
            let base: LLMRunConfig
            if let earlier {
                base = earlier
            } else {
                guard let baseURL, let model else {
                    // Known only once the store says there is no run to go on from, so not a usage error.
                    throw CommandFailure(description: "a first run of a predictor needs --base-url and --model")
                }
                base = LLMRunConfig(baseURL: baseURL, model: model)
            }
            let config = try applied(to: base)
            // Before the run is stored: a run started without its key would stay "running" with nothing done.
            _ = try LLMRunner.apiKey(for: config)
            return config
        }

        /// `base` with the options given on the command line in place of its own.
        private func applied(to base: LLMRunConfig) throws -> LLMRunConfig {
            var config = base
            if let baseURL { config.baseURL = baseURL }
            if let model { config.model = model }
            if let apiKeyEnv { config.apiKeyEnv = apiKeyEnv }
            if let template {
                config.template = try JSONFiles.decode(PromptTemplate.self, at: template, shapedLike: "a prompt template")
            }
            if let scope { config.scope = scope }
            if let limit { config.limit = limit }
            if let concurrency { config.concurrency = concurrency }
            if let rate { config.requestsPerSecond = rate }
            if let timeout { config.timeoutSeconds = timeout }
            if let maxAttempts { config.maxAttempts = maxAttempts }
            if let temperature { config.temperature = temperature }
            if noJsonMode { config.jsonMode = false }
            if priceIn != nil || priceOut != nil {
                config.pricing = ModelPricing(
                    inputPerMillion: priceIn ?? base.pricing?.inputPerMillion ?? 0,
                    outputPerMillion: priceOut ?? base.pricing?.outputPerMillion ?? 0)
            }
            return config
        }

        /// What a resume changes of the run's endpoint, key, pace, scope, limit and prices, as `--option value (was
        /// value)`; a change of setup (model, template, temperature, JSON mode) is the store's to refuse, by name.
        static func changes(from old: LLMRunConfig, to new: LLMRunConfig) -> [String] {
            var changes: [String] = []
            func note<T: Equatable>(_ option: String, _ value: (LLMRunConfig) -> T, _ shown: (T) -> String) {
                if value(old) != value(new) { changes.append("\(option) \(shown(value(new))) (was \(shown(value(old))))") }
            }
            note("--base-url", \.baseURL) { $0 }
            note("--api-key-env", \.apiKeyEnv) { $0.map { LLMRunConfig.shown(variable: $0) } ?? "none" }
            note("--scope", \.scope) { $0.rawValue }
            note("--limit", \.limit) { $0.map(String.init) ?? "none" }
            note("--concurrency", \.concurrency) { String($0) }
            note("--rate", \.requestsPerSecond) { String($0) }
            note("--timeout", \.timeoutSeconds) { String($0) }
            note("--max-attempts", \.maxAttempts) { String($0) }
            note("prices", \.pricing) { $0.map { "\($0.inputPerMillion)/\($0.outputPerMillion) per million tokens" } ?? "none" }
            return changes
        }
    }

    struct Runs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a queue's LLM runs, newest first, as JSON: state, items answered and failed, tokens, cost.")

        @Option(help: "The queue, by name or id.")
        var queue: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CommandFailure.reporting {
                try JSONFiles.print(try await database.withStore { store in try await store.llmRuns(in: try await store.queue(queue)) })
            }
        }
    }
}

extension LLMRunConfig.Scope: ExpressibleByArgument {}
