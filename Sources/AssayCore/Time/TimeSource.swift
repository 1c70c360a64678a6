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

/// A clock that runs with the wall clock plus an offset that tests can move forward, or that tests can stop.
///
/// For example:
/// ```swift
/// let clock = AdjustableTime()
/// clock.advance(by: 601)   // every lease of 600 s has now expired
/// clock.freeze()           // time stands still until advanced
/// ```
public final class AdjustableTime: TimeSource {
    private struct State {
        var offset: TimeInterval = 0
        var frozenAt: Date?
    }

    private let state = Mutex(State())

    /// Makes a clock in step with the wall clock.
    public init() {}

    /// The wall clock (or the moment it was frozen) plus the offset.
    public var now: Date {
        state.withLock { ($0.frozenAt ?? Date()).addingTimeInterval($0.offset) }
    }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) {
        state.withLock { $0.offset += seconds }
    }

    /// Stops the clock at the current time; only ``advance(by:)`` moves it after this.
    public func freeze() {
        state.withLock { $0.frozenAt = $0.frozenAt ?? Date() }
    }
}
