import NIOConcurrencyHelpers
import NIOCore
import AssayCore
import AssayStore
import Vapor

/// Work the server repeats on a timer while it runs: the lease sweep, consensus re-estimation.
///
/// Each run waits for the previous one to finish (a repeated async task), a failure is logged and the next run
/// goes ahead, and shutdown waits for a run in flight, so none runs against a closed database.
///
/// ```swift
/// app.lifecycle.use(PeriodicTask(name: "lease sweep", interval: .seconds(5)) { app in
///     try await app.store.reclaimExpiredLeases(now: app.clock.now)
/// })
/// ```
struct PeriodicTask: LifecycleHandler {
    let name: String
    let interval: TimeAmount
    let work: @Sendable (Application) async throws -> Void

    func didBootAsync(_ application: Application) async throws {
        let task = application.eventLoopGroup.next().scheduleRepeatedAsyncTask(
            initialDelay: interval, delay: interval
        ) { _ in
            application.eventLoopGroup.next().makeFutureWithTask {
                do {
                    try await work(application)
                } catch {
                    // In words when the database is the problem; else the error in full (PostgresNIO's own
                    // description hides what happened).
                    let problem = StorageProblem.assayError(for: error)?.description ?? String(reflecting: error)
                    application.logger.warning("\(name) failed: \(problem)")
                }
            }
        }
        application.periodicTasks.withLockedValue { $0[name] = task }
    }

    func shutdownAsync(_ application: Application) async {
        guard let task = application.periodicTasks.withLockedValue({ $0.removeValue(forKey: name) }) else { return }
        let cancelled = application.eventLoopGroup.next().makePromise(of: Void.self)
        task.cancel(promise: cancelled)
        try? await cancelled.futureResult.get()
    }
}

extension Application {
    private struct PeriodicTasksKey: StorageKey {
        typealias Value = NIOLockedValueBox<[String: RepeatedTask]>
    }

    /// The running periodic tasks by name.
    fileprivate var periodicTasks: NIOLockedValueBox<[String: RepeatedTask]> {
        if let tasks = storage[PeriodicTasksKey.self] { return tasks }
        let tasks = NIOLockedValueBox<[String: RepeatedTask]>([:])
        storage[PeriodicTasksKey.self] = tasks
        return tasks
    }
}
