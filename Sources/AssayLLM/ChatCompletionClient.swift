import AssayCore
import AssayStore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// One call to an OpenAI-compatible chat-completions endpoint (`POST {base_url}/chat/completions`), with failures
/// sorted the way the retry policy needs them: an HTTP status with its `Retry-After`, a timeout, a connection
/// failure, or a reply that is not a chat completion.
///
/// For example:
/// ```swift
/// let client = ChatCompletionClient(baseURL: "http://127.0.0.1:8000/v1", apiKey: nil, timeout: .seconds(60), http: http)
/// let reply = try await client.complete(ChatCompletionRequest(model: "llama3", messages: [.user("Hello")]))
/// ```
public struct ChatCompletionClient: Sendable {
    /// A failed call: what failed, and how long the server asked to wait before the next one.
    public struct CallError: Error, Sendable, CustomStringConvertible {
        /// How it failed.
        public let failure: CallFailure
        /// The server's `Retry-After`, in seconds.
        public let retryAfter: Double?

        /// What happened.
        public var description: String { failure.description }
    }

    let endpoint: String
    let apiKey: String?
    let timeout: TimeAmount
    let http: HTTPClient

    /// Makes a client.
    ///
    /// - Parameters:
    ///   - baseURL: the endpoint's base, such as `https://api.openai.com/v1`.
    ///   - apiKey: sent as a bearer token; nil sends none.
    ///   - timeout: how long one call may take.
    ///   - http: the HTTP client to send with.
    public init(baseURL: String, apiKey: String?, timeout: TimeAmount, http: HTTPClient) {
        endpoint = (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL) + "/chat/completions"
        self.apiKey = apiKey
        self.timeout = timeout
        self.http = http
    }

    /// The largest reply read: a chat completion is a few kilobytes.
    static let largestReply = 16 * 1024 * 1024

    /// Sends one request and returns the model's reply.
    ///
    /// - Throws: ``CallError``.
    public func complete(_ request: ChatCompletionRequest) async throws -> ChatCompletionResponse {
        var call = HTTPClientRequest(url: endpoint)
        call.method = .POST
        call.headers.add(name: "Content-Type", value: "application/json")
        if let apiKey, !apiKey.isEmpty { call.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        call.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(request)))
        let body: ByteBuffer
        let response: HTTPClientResponse
        do {
            response = try await http.execute(call, timeout: timeout)
            body = try await response.body.collect(upTo: Self.largestReply)
        } catch is NIOTooManyBytesError {
            // An answer, and an unusable one: asked again only as often as any unusable answer, and not taken for a
            // connection that failed (which was retried to the last attempt, each one paid for).
            throw CallError(failure: .invalidOutput("the reply is over \(Self.largestReply / 1_048_576) MiB"), retryAfter: nil)
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            throw CallError(failure: .timeout, retryAfter: nil)
        } catch {
            if let reason = ConnectionFailure.reason(for: error) { throw CallError(failure: .unreachable(reason), retryAfter: nil) }
            throw CallError(failure: .transport(String(describing: error)), retryAfter: nil)
        }
        guard (200..<300).contains(response.status.code) else {
            let text = String(buffer: body)
            if response.status.code == 400, text.contains("content_filter") || text.contains("content_policy") {
                throw CallError(failure: .contentFiltered, retryAfter: nil)
            }
            let retryAfter = response.headers.first(name: "Retry-After").flatMap { RetryPolicy.seconds(inRetryAfter: $0, now: Date()) }
            throw CallError(failure: .status(Int(response.status.code)), retryAfter: retryAfter)
        }
        do {
            return try JSONDecoder().decode(ChatCompletionResponse.self, from: body)
        } catch {
            throw CallError(failure: .invalidOutput("the server's reply is not a chat completion"), retryAfter: nil)
        }
    }
}
