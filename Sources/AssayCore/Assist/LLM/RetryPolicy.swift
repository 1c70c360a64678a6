import Foundation

/// How often, and after how long, a failed model call is tried again.
///
/// Waits grow exponentially with "full jitter": after attempt n the caller waits a uniform draw from
/// [0, min(maxDelay, baseDelay · 2ⁿ⁻¹)]. Spreading the waits over the whole interval keeps many workers that failed
/// together (say on a 429) from retrying together. When the server sent `Retry-After`, the wait is at least that,
/// capped at `maxDelay`.
///
/// M. Brooker (2015), "Exponential Backoff And Jitter", AWS Architecture Blog.
/// https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
///
/// For example:
/// ```swift
/// let policy = RetryPolicy()
/// var rng = SplitMix64(seed: 1)
/// policy.delay(afterAttempt: 3, retryAfter: nil, using: &rng)   // somewhere in 0...2 seconds
/// policy.delay(afterAttempt: 1, retryAfter: 12, using: &rng)    // 12 seconds or more, at most 30
/// policy.allowsRetry(after: .status(429), attempts: 1, invalidOutputs: 0)   // true
/// ```
public struct RetryPolicy: Sendable, Equatable {
    /// The most calls made for one item, the first included.
    public var maxAttempts: Int
    /// The ceiling of the first wait, in seconds; each later ceiling doubles it.
    public var baseDelay: Double
    /// The longest wait, in seconds, whatever the attempt or the server's `Retry-After`.
    public var maxDelay: Double
    /// How many times a call whose reply was unusable (``CallFailure/invalidOutput(_:)``) is made again. These
    /// count towards `maxAttempts` too.
    public var invalidOutputRetries: Int

    /// Makes a policy.
    public init(maxAttempts: Int = 5, baseDelay: Double = 0.5, maxDelay: Double = 30, invalidOutputRetries: Int = 2) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.invalidOutputRetries = invalidOutputRetries
    }

    /// How many seconds to wait after failed attempt `attempt` (1 for the first call) before the next one.
    ///
    /// - Parameters:
    ///   - attempt: the number of the attempt that failed, from 1.
    ///   - retryAfter: the server's `Retry-After`, in seconds, if it sent one.
    ///   - rng: the source of the jitter.
    /// - Returns: a wait from 0 to `maxDelay` seconds.
    public func delay(afterAttempt attempt: Int, retryAfter: Double?, using rng: inout some RandomNumberGenerator) -> Double {
        let cap = max(0, maxDelay.isFinite ? maxDelay : 0)
        let base = max(0, baseDelay.isFinite ? baseDelay : 0)
        // base · 2^(attempt−1), exactly, without Foundation's pow; a huge exponent gives infinity, which the cap bounds.
        let ceiling = min(cap, Double(sign: .plus, exponent: max(0, attempt - 1), significand: base))
        var wait = Double.random(in: 0...ceiling, using: &rng)
        if let retryAfter, retryAfter.isFinite, retryAfter > 0 {
            wait = max(wait, min(retryAfter, cap))
        }
        return wait
    }

    /// The seconds a `Retry-After` header asks for: a number of seconds, or an HTTP date (RFC 9110 §10.2.3, in any
    /// of the three forms a recipient must read), counted from `now`; a date already past asks for none. Nil for a
    /// value that is neither.
    ///
    /// ```swift
    /// RetryPolicy.seconds(inRetryAfter: "120", now: now)                            // 120
    /// RetryPolicy.seconds(inRetryAfter: "Sun, 06 Nov 1994 08:49:37 GMT", now: now)  // to that moment, or 0
    /// ```
    public static func seconds(inRetryAfter header: String, now: Date) -> Double? {
        let value = header.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(value), seconds.isFinite { return max(0, seconds) }
        for format in httpDateFormats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: value) { return max(0, date.timeIntervalSince(now)) }
        }
        return nil
    }

    /// IMF-fixdate, then the obsolete RFC 850 and asctime forms.
    private static let httpDateFormats = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"]

    /// Whether to call again after `failure`, given the calls made so far for the item.
    ///
    /// - Parameters:
    ///   - failure: how the last call failed.
    ///   - attempts: the calls made so far, the failed one included.
    ///   - invalidOutputs: how many of them returned an unusable reply, the failed one included.
    /// - Returns: true when the failure is retryable and neither `maxAttempts` nor, for an unusable reply,
    ///   `invalidOutputRetries` is used up.
    public func allowsRetry(after failure: CallFailure, attempts: Int, invalidOutputs: Int) -> Bool {
        guard failure.isRetryable, attempts < maxAttempts else { return false }
        if case .invalidOutput = failure { return invalidOutputs <= invalidOutputRetries }
        return true
    }
}

/// How one model call failed: what decides whether it is worth making again.
///
/// For example:
/// ```swift
/// CallFailure.status(503).isRetryable    // true: the server is busy, not wrong
/// CallFailure.status(401).isRetryable    // false: the key is wrong, and asking again will not fix it
/// CallFailure.timeout.description        // "the model did not answer in time"
/// ```
public enum CallFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with an HTTP status other than 2xx.
    case status(Int)
    /// The server did not answer in time.
    case timeout
    /// No connection could be made (refused, no route, a name that does not resolve); the text says how. Once the
    /// server has answered in a run, worth retrying (it may be restarting); before, the run stops on it.
    case unreachable(String)
    /// The connection failed once made (reset, closed, TLS…); the text says how.
    case transport(String)
    /// The server answered, but the reply was not a usable answer (``LLMOutputError``); the text says why.
    case invalidOutput(String)
    /// The server's content filter refused this item (Azure's `content_filter`, a `content_policy` error): the
    /// item, not the request, so neither asked again nor taken as a sign that every call will fail. Moderation
    /// queues hold exactly what such filters refuse.
    case contentFiltered

    /// Whether making the same call again may succeed: rate limits (429), timeouts (408 and ours), server errors
    /// (500, 502, 503, 504), connection failures and unusable replies. Other statuses (400, 401, 403, 404…) mean
    /// the request itself is wrong.
    public var isRetryable: Bool {
        switch self {
        case .status(let code): [408, 429, 500, 502, 503, 504].contains(code)
        case .timeout, .unreachable, .transport, .invalidOutput: true
        case .contentFiltered: false
        }
    }

    /// Whether the failure is the server's, whatever the item: it could not be reached, did not answer in time,
    /// answered 5xx, or kept answering 429. Many in a row say it is down (or out of quota), not that items are hard.
    public var isServerFailure: Bool {
        switch self {
        case .status(let code): code == 429 || code == 408 || (500...599).contains(code)
        case .timeout, .unreachable, .transport: true
        case .invalidOutput, .contentFiltered: false
        }
    }

    /// What happened, for logs and the batch's report.
    public var description: String {
        switch self {
        case .status(let code): "the model server answered HTTP \(code)\(Self.meaning(of: code).map { " (\($0))" } ?? "")"
        case .timeout: "the model did not answer in time"
        case .unreachable(let reason): "could not connect to the model server: \(reason)"
        case .transport(let reason): "could not reach the model server: \(reason)"
        case .invalidOutput(let reason): "the model's answer was unusable: \(reason)"
        case .contentFiltered: "the model server's content filter refused the item"
        }
    }

    private static func meaning(of code: Int) -> String? {
        switch code {
        case 400: "the request was refused; check the model name and the prompt's size"
        case 401: "check the API key"
        case 403: "the API key may not use this model"
        case 404: "check the base URL and the model name"
        case 408: "request timeout"
        case 429: "rate limited"
        case 500, 502, 503, 504: "server error"
        default: nil
        }
    }
}
