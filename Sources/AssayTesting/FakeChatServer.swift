import AssayCore
import AssayServer
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// An OpenAI-compatible chat-completions server on 127.0.0.1 for tests of the LLM client and runner, answering as
/// markers in the prompt ask:
///
/// - `[id:X]` names the item (calls are counted per id);
/// - `[answer:LABEL]` and `[confidence:0.9]` set the answer (`none` at 0.9 otherwise);
/// - `[malformed-once]`: the first call gets prose with no JSON;
/// - `[invalid-always]`: every call gets a label that is not in the schema;
/// - `[429-once]` / `[500-once]`: the first call gets that status (429 with `Retry-After: 0`);
/// - `[slow-once]`: the first call waits `slowSeconds` before answering;
/// - `[huge]`: every call gets a reply of 17 MiB;
/// - `[filtered]`: every call gets 400 with Azure's `content_filter` error;
/// - `[no-usage]`: replies carry no `usage`.
///
/// Every answer reports 100 prompt and 20 completion tokens. `delay` slows every call; `status` answers every call
/// with that status (say 401).
///
/// ```swift
/// try await FakeChatServer.with { server in
///     // point an LLMRunConfig at server.baseURL
///     server.calls(for: "c-1")   // how many calls the item got
/// }
/// ```
public final class FakeChatServer: Sendable {
    /// `http://127.0.0.1:PORT/v1`.
    public let baseURL: String
    private let app: Application
    private let state: NIOLockedValueBox<State>

    struct State {
        var calls: [String: Int] = [:]
        var delay: Double = 0
        var status: Int?
        var slowSeconds: Double = 6
        var lastRequest: ChatCompletionRequest?
        var authorizations: [String] = []
        var inFlight = 0
        var mostInFlight = 0
    }

    private init(baseURL: String, app: Application, state: NIOLockedValueBox<State>) {
        self.baseURL = baseURL
        self.app = app
        self.state = state
    }

    /// Starts a server, runs `body`, and stops it whatever happens.
    public static func with<T>(_ body: (FakeChatServer) async throws -> T) async throws -> T {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        let state = NIOLockedValueBox(State())
        app.on(.POST, "v1", "chat", "completions", body: .collect(maxSize: "4mb")) { req async throws -> Response in
            try await Self.answer(req, state: state)
        }
        let port = try await app.startServing()
        let server = FakeChatServer(baseURL: "http://127.0.0.1:\(port)/v1", app: app, state: state)
        do {
            let result = try await body(server)
            try await app.stopServing()
            return result
        } catch {
            try? await app.stopServing()
            throw error
        }
    }

    /// Calls received for an item (`[id:X]`).
    public func calls(for id: String) -> Int { state.withLockedValue { $0.calls[id] ?? 0 } }
    /// Calls received in all.
    public var totalCalls: Int { state.withLockedValue { $0.calls.values.reduce(0, +) } }
    /// The last request, as decoded.
    public var lastRequest: ChatCompletionRequest? { state.withLockedValue { $0.lastRequest } }
    /// The `Authorization` headers received.
    public var authorizations: [String] { state.withLockedValue { $0.authorizations } }

    /// The most calls the server was answering at one time.
    public var mostInFlight: Int { state.withLockedValue { $0.mostInFlight } }
    /// Seconds every call waits before answering.
    public func setDelay(_ seconds: Double) { state.withLockedValue { $0.delay = seconds } }
    /// Answer every call with this status (nil: answer normally).
    public func setStatus(_ status: Int?) { state.withLockedValue { $0.status = status } }

    private static func answer(_ req: Request, state: NIOLockedValueBox<State>) async throws -> Response {
        let request = try req.content.decode(ChatCompletionRequest.self, using: JSONDecoder())
        let prompt = request.messages.map(\.content).joined(separator: "\n")
        let id = marker("id", in: prompt) ?? "?"
        let (count, delay, status, slow) = state.withLockedValue { state -> (Int, Double, Int?, Double) in
            state.calls[id, default: 0] += 1
            state.lastRequest = request
            if let authorization = req.headers.first(name: .authorization) { state.authorizations.append(authorization) }
            state.inFlight += 1
            state.mostInFlight = max(state.mostInFlight, state.inFlight)
            return (state.calls[id]!, state.delay, state.status, state.slowSeconds)
        }
        defer { state.withLockedValue { $0.inFlight -= 1 } }
        if delay > 0 { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
        if let status { return Response(status: HTTPResponseStatus(statusCode: status), body: .init(string: #"{"error": "no"}"#)) }
        if count == 1, prompt.contains("[429-once]") {
            return Response(status: .tooManyRequests, headers: ["Retry-After": "0"], body: .init(string: #"{"error": "slow down"}"#))
        }
        if count == 1, prompt.contains("[500-once]") { return Response(status: .internalServerError) }
        if prompt.contains("[filtered]") {
            return Response(status: .badRequest, body: .init(string: #"{"error": {"code": "content_filter", "message": "filtered"}}"#))
        }
        if count == 1, prompt.contains("[slow-once]") { try await Task.sleep(for: .milliseconds(Int(slow * 1000))) }
        var content = #"{"labels": ["\#(marker("answer", in: prompt) ?? "none")"], "confidence": \#(marker("confidence", in: prompt) ?? "0.9"), "rationale": "as the marker says"}"#
        if count == 1, prompt.contains("[malformed-once]") { content = "I would say this is probably spam." }
        if prompt.contains("[invalid-always]") { content = #"{"labels": ["not-a-label"], "confidence": 0.99}"# }
        if prompt.contains("[huge]") { content = String(repeating: "x", count: 17 * 1_048_576) }
        var reply = ChatCompletionResponse(
            model: request.model, choices: [.init(message: .init(content: content), finishReason: "stop")],
            usage: .init(promptTokens: 100, completionTokens: 20))
        if prompt.contains("[no-usage]") {
            reply = ChatCompletionResponse(model: request.model, choices: reply.choices, usage: .zero)
            var headers = HTTPHeaders()
            headers.contentType = .json
            var object = try JSONValue(encoding: reply)
            if case .object(var fields) = object { fields["usage"] = nil; object = .object(fields) }
            return Response(status: .ok, headers: headers, body: .init(string: object.canonicalJSON))
        }
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: try JSONEncoder().encode(reply)))
    }

    private static func marker(_ name: String, in text: String) -> String? {
        guard let start = text.range(of: "[\(name):") else { return nil }
        guard let end = text[start.upperBound...].firstIndex(of: "]") else { return nil }
        return String(text[start.upperBound..<end])
    }
}
