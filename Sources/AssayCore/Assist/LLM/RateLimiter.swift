/// A token bucket: how long each model call must wait so that calls keep to a rate, with short bursts allowed.
///
/// The bucket holds up to `burst` tokens and refills at `ratePerSecond`. Each call takes a token; when none is
/// left, the call takes one on credit and waits until it would have refilled. So `n` calls at the same instant,
/// on a full bucket, wait 0 (for the first `burst` of them), then 1/rate, 2/rate, … seconds. The bucket reads no
/// clock: the caller passes `now` in seconds (any fixed origin, e.g. a monotonic clock), which keeps it testable.
///
/// For example:
/// ```swift
/// var bucket = TokenBucket(ratePerSecond: 2, burst: 2)
/// bucket.reserve(now: 0)   // 0
/// bucket.reserve(now: 0)   // 0
/// bucket.reserve(now: 0)   // 0.5
/// bucket.reserve(now: 0)   // 1.0
/// bucket.reserve(now: 10)  // 0: the bucket has refilled
/// ```
public struct TokenBucket: Sendable, Equatable {
    /// Tokens added per second: the sustained rate of calls.
    public let ratePerSecond: Double
    /// The most tokens the bucket holds: how many calls may go at once after a quiet spell.
    public let burst: Int
    /// Tokens left; negative when calls have been promised tokens that have not refilled yet.
    private var tokens: Double
    /// When `tokens` was last brought up to date; nil before the first call.
    private var updatedAt: Double?
    /// Until when the latest hold-off keeps calls back.
    private var heldUntil = -Double.infinity
    /// Hold-offs so far: a turn taken before the latest one is void (see ``Turn``).
    private var holdOffs = 0

    /// A call's turn: how long it must wait, and whether a hold-off has since voided it.
    ///
    /// A turn taken before a 429 would start the call inside the pause, or all at once with every other call that
    /// waited: the caller takes a new turn instead (``isVoid(_:)``), so that calls resume one at a time after it.
    ///
    /// ```swift
    /// var bucket = TokenBucket(ratePerSecond: 10, burst: 1)
    /// let turn = bucket.takeTurn(now: 0)   // delay 0
    /// let next = bucket.takeTurn(now: 0)   // delay 0.1
    /// bucket.holdOff(seconds: 2, now: 0.05)
    /// bucket.isVoid(next)                  // true: take a new turn when it comes
    /// ```
    public struct Turn: Sendable, Equatable {
        /// Seconds from the time the turn was taken until the call may be sent.
        public let delay: Double
        let holdOffs: Int
    }

    /// Makes a full bucket.
    ///
    /// - Parameters:
    ///   - ratePerSecond: calls per second, more than 0 (requests per minute / 60).
    ///   - burst: the bucket's size; less than 1 counts as 1.
    /// - Precondition: `ratePerSecond` is finite and more than 0.
    public init(ratePerSecond: Double, burst: Int) {
        precondition(ratePerSecond.isFinite && ratePerSecond > 0, "a token bucket needs a rate above 0")
        self.ratePerSecond = ratePerSecond
        self.burst = max(1, burst)
        tokens = Double(self.burst)
    }

    /// Takes a token for one call at time `now`, and says how many seconds the call must wait before it is sent.
    ///
    /// - Parameter now: the current time in seconds. A time earlier than the last call's counts as that time.
    /// - Returns: 0 when a token is free now, else the seconds until the token taken refills.
    public mutating func reserve(now: Double) -> Double {
        takeTurn(now: now).delay
    }

    /// Takes a token for one call at time `now`, as ``reserve(now:)`` does, as a turn that a later hold-off voids.
    public mutating func takeTurn(now: Double) -> Turn {
        refill(now: now)
        tokens -= 1
        return Turn(delay: tokens >= 0 ? 0 : -tokens / ratePerSecond, holdOffs: holdOffs)
    }

    /// Whether a hold-off came after the turn was taken: the call must take a new turn rather than go.
    public func isVoid(_ turn: Turn) -> Bool {
        turn.holdOffs != holdOffs
    }

    /// Holds every call back for `seconds` from `now`: the server said it is rate-limiting (429), and every call
    /// sent meanwhile would meet the same answer and count against the limit again. Turns taken before are void
    /// (their calls take new ones), so the next turn is the pause's end and the rest follow at the rate. A pause
    /// ending before the one in force changes nothing.
    public mutating func holdOff(seconds: Double, now: Double) {
        guard seconds > 0, now + seconds > heldUntil else { return }
        refill(now: now)
        heldUntil = now + seconds
        tokens = -seconds * ratePerSecond
        holdOffs += 1
    }

    private mutating func refill(now: Double) {
        if let updatedAt, now > updatedAt {
            tokens = min(Double(burst), tokens + (now - updatedAt) * ratePerSecond)
            self.updatedAt = now
        } else if updatedAt == nil {
            updatedAt = now
        }
    }
}
