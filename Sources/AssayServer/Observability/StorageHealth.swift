import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The last lasting failure of the database itself (``AssayStore/StorageProblem/isLasting(_:)``: a full disk, an
/// unwritable file, PostgreSQL out of reach; not a lock held a while or a pool out of connections, which pass with
/// the load) that this server met, for `GET /healthz`.
///
/// A database that still answers a read can have stopped taking writes: with a full disk `/healthz` read the queue
/// list and said `ok` while every submit failed. So for a minute after a request or job meets such a failure,
/// `/healthz` answers 503 `degraded` with what went wrong; a monitor sees it, and a load balancer in front of
/// several servers turns work away from this one. Each further failure renews the minute; none ends it.
///
/// ```swift
/// app.storageHealth.record("the database's disk is full; …", at: now)
/// app.storageHealth.problem(now: now)   // the problem, for 60 s
/// ```
final class StorageHealth: Sendable {
    /// A failure and when it was last met.
    struct Problem: Sendable, Equatable {
        let message: String
        let at: Date
    }

    /// How long a failure keeps the server `degraded` after it was last met.
    static let memory: TimeInterval = 60

    private let last = NIOLockedValueBox<Problem?>(nil)

    /// Notes a failure met now.
    func record(_ message: String, at now: Date) {
        last.withLockedValue { $0 = Problem(message: message, at: now) }
    }

    /// The failure met within the last minute, if any.
    func problem(now: Date) -> Problem? {
        last.withLockedValue { problem in
            guard let problem, now.timeIntervalSince(problem.at) < Self.memory else { return nil }
            return problem
        }
    }
}

extension Application {
    private struct StorageHealthKey: StorageKey {
        typealias Value = StorageHealth
    }

    /// The database failures this server met lately; set by ``configure(_:settings:)``.
    var storageHealth: StorageHealth {
        get {
            guard let health = storage[StorageHealthKey.self] else { fatalError("configure(_:settings:) was not called") }
            return health
        }
        set { storage[StorageHealthKey.self] = newValue }
    }
}
