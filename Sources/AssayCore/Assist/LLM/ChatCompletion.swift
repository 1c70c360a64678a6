/// The body of an OpenAI-compatible `POST {base}/chat/completions` request.
///
/// Keys are encoded in snake case (`max_tokens`, `response_format`), and fields left nil are left out, so that
/// servers which do not know a field (some reject `seed` or `response_format`) are not sent it.
///
/// For example:
/// ```swift
/// let request = ChatCompletionRequest(
///     model: "gpt-4o-mini", messages: [.user("Label this.")], temperature: 0, responseFormat: .jsonObject)
/// try JSONEncoder().encode(request)
/// // {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Label this."}],"temperature":0,
/// //  "response_format":{"type":"json_object"}}
/// ```
public struct ChatCompletionRequest: Codable, Sendable, Equatable {
    /// How the model must shape its answer.
    public struct ResponseFormat: Codable, Sendable, Equatable {
        /// `json_object` (JSON mode) or `text`.
        public var type: String

        /// Makes a format.
        public init(type: String) {
            self.type = type
        }

        /// JSON mode: the server makes the model answer with one JSON object.
        public static let jsonObject = ResponseFormat(type: "json_object")
    }

    /// The model's name on the server, e.g. `gpt-4o-mini` or `llama3.1:8b`.
    public var model: String
    /// The conversation: usually a system message and a user message.
    public var messages: [ChatMessage]
    /// Sampling temperature; 0 makes answers as repeatable as the server allows. Nil uses the server's default.
    public var temperature: Double?
    /// The most tokens the answer may take; nil uses the server's limit.
    public var maxTokens: Int?
    /// `json_object` asks for JSON mode; nil leaves the format to the prompt.
    public var responseFormat: ResponseFormat?
    /// A seed for servers that sample reproducibly with one; nil sends none.
    public var seed: Int?

    /// Makes a request.
    public init(
        model: String, messages: [ChatMessage], temperature: Double? = nil, maxTokens: Int? = nil,
        responseFormat: ResponseFormat? = nil, seed: Int? = nil
    ) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.responseFormat = responseFormat
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, seed
        case maxTokens = "max_tokens", responseFormat = "response_format"
    }
}

/// The body of a chat completion response: the first choice's text and the tokens the call used.
///
/// Decoding ignores fields it does not know, treats a missing `usage` (or a missing count in it) as 0 tokens, and
/// keeps a `null` message content as nil (a model that refused, or a tool call).
///
/// For example:
/// ```swift
/// let body = #"{"model": "gpt-4o-mini", "choices": [{"message": {"role": "assistant", "content": "{\"labels\": [\"spam\"]}"}}],
///              "usage": {"prompt_tokens": 120, "completion_tokens": 9}}"#
/// let response = try JSONDecoder().decode(ChatCompletionResponse.self, from: Data(body.utf8))
/// response.content                   // "{\"labels\": [\"spam\"]}"
/// response.usage.promptTokens        // 120
/// ```
public struct ChatCompletionResponse: Codable, Sendable, Equatable {
    /// One of the answers the server generated; Assay asks for one.
    public struct Choice: Codable, Sendable, Equatable {
        /// The answer.
        public var message: Message
        /// Why the model stopped: `stop`, or `length` when it ran out of `max_tokens` (the JSON is then cut short).
        public var finishReason: String?

        /// Makes a choice.
        public init(message: Message, finishReason: String? = nil) {
            self.message = message
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case message
            case finishReason = "finish_reason"
        }
    }

    /// The model's message.
    public struct Message: Codable, Sendable, Equatable {
        /// Usually `assistant`.
        public var role: String?
        /// The text of the answer; nil when the server sent `null`.
        public var content: String?

        /// Makes a message.
        public init(role: String? = "assistant", content: String?) {
            self.role = role
            self.content = content
        }
    }

    /// The tokens a call used, which its cost is counted from (``ModelPricing``).
    public struct Usage: Codable, Sendable, Equatable {
        /// Tokens of the prompt.
        public var promptTokens: Int
        /// Tokens of the answer.
        public var completionTokens: Int

        /// Makes a usage value.
        public init(promptTokens: Int, completionTokens: Int) {
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
        }

        /// No tokens: what a response without `usage` reports.
        public static let zero = Usage(promptTokens: 0, completionTokens: 0)

        /// Decodes a usage value; a missing or null count is 0.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                promptTokens: try container.decodeIfPresent(Int.self, forKey: .promptTokens) ?? 0,
                completionTokens: try container.decodeIfPresent(Int.self, forKey: .completionTokens) ?? 0)
        }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
        }
    }

    /// The model that answered, as the server names it (nil when the server does not say).
    public var model: String?
    /// The answers; Assay reads the first.
    public var choices: [Choice]
    /// The tokens used; zero when the server does not say.
    public var usage: Usage
    /// Whether the server said (`usage` present): a call it did not count is not a free one.
    public var reportsUsage: Bool

    /// Makes a response, for tests and stand-in servers.
    public init(model: String?, choices: [Choice], usage: Usage = .zero, reportsUsage: Bool = true) {
        self.model = model
        self.choices = choices
        self.usage = usage
        self.reportsUsage = reportsUsage
    }

    /// The text of the first choice; nil when there is no choice or its content is `null`.
    public var content: String? { choices.first?.message.content }

    /// Decodes a response; missing `choices` are none and a missing `usage` is zero.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let usage = try container.decodeIfPresent(Usage.self, forKey: .usage)
        self.init(
            model: try container.decodeIfPresent(String.self, forKey: .model),
            choices: try container.decodeIfPresent([Choice].self, forKey: .choices) ?? [], usage: usage ?? .zero,
            reportsUsage: usage != nil)
    }

    enum CodingKeys: String, CodingKey {
        case model, choices, usage
    }
}
