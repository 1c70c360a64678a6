import AssayCore
import NIOCore
import AssayStore
import Vapor

/// Returns expired leases to the pool every few seconds while the server runs, so an abandoned item goes back
/// to others even when nobody asks for "next" in its queue.
struct LeaseSweeper: LifecycleHandler {
    let interval: TimeAmount

    func didBootAsync(_ application: Application) async throws {
        let task = application.eventLoopGroup.next().scheduleRepeatedAsyncTask(
            initialDelay: interval, delay: interval
        ) { _ in
            application.eventLoopGroup.next().makeFutureWithTask {
                do {
                    try await application.store.reclaimExpiredLeases(now: application.clock.now)
                } catch {
                    application.logger.warning("lease sweep failed: \(error)")
                }
            }
        }
        application.storage[TaskKey.self] = task
    }

    /// Waits for a sweep in flight to finish, so none runs against a closed database.
    func shutdownAsync(_ application: Application) async {
        guard let task = application.storage[TaskKey.self] else { return }
        let cancelled = application.eventLoopGroup.next().makePromise(of: Void.self)
        task.cancel(promise: cancelled)
        try? await cancelled.futureResult.get()
    }

    private struct TaskKey: StorageKey {
        typealias Value = RepeatedTask
    }
}
