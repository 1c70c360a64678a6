import Foundation
import Synchronization

/// Where "now" comes from. Every time-dependent rule (leases, SLAs) takes its time from one of these, so tests
/// and the demo can move time on instead of sleeping.
public protocol TimeSource: Sendable {
    /// The current time.
    var now: Date { get }
}

/// The wall clock.
public struct SystemTime: TimeSource {
    /// Makes the wall clock.
    public init() {}

    /// The current time.
    public var now: Date { Date() }
}

/// A clock that runs with the wall clock plus an offset that tests can move forward.
///
/// For example:
/// ```swift
/// let clock = AdjustableTime()
/// clock.advance(by: 601)   // every lease of 600 s has now expired
/// ```
public final class AdjustableTime: TimeSource {
    private let offset = Mutex<TimeInterval>(0)

    /// Makes a clock in step with the wall clock.
    public init() {}

    /// The wall clock plus the offset.
    public var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) {
        offset.withLock { $0 += seconds }
    }
}
