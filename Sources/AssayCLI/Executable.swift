import ArgumentParser
import AssayStore
import Foundation
import NIOCore
import NIOPosix

extension AssayCommand {
    /// The `assay` executable: runs the command line, on SQLite with Swift concurrency's jobs on SwiftNIO's event
    /// loops.
    ///
    /// Why: by default an async request handler runs on Swift's cooperative pool while its connection lives on an
    /// event loop, so every request crosses between the two pools several times (wake-ups, futex waits and context
    /// switches were the largest items in a profile of the annotator loop). With SwiftNIO's event-loop group as the
    /// global executor, as Vapor's project template sets up, a handler stays on its connection's thread.
    /// CPU-heavy work runs on dispatch threads (`HeavyWork`), so it never holds an event loop.
    ///
    /// Measured with `bench/run.sh loop` (16 clients, builds alternated on one machine; BENCHMARKS.md):
    /// - SQLite: 605 and 739 loops/s before, 784 and 950 after; the harness alone 1,410 and 1,554 before, 2,722 and
    ///   3,249 after.
    /// - PostgreSQL: 277 and 283 loops/s before, 301 and 310 after, but the slowest loops got slower (p99 97 and
    ///   86 ms before, 112 and 127 ms after): the handlers now share threads with PostgresNIO's connections, whose
    ///   replies wait behind them. So on PostgreSQL the default stays.
    ///
    /// It must run first in the process, before other concurrency work is queued, so it lives here and not in
    /// `serve`; tests, which run inside the test runner's own executor, keep the default.
    public static func runAsExecutable() async {
        if (ProcessInfo.processInfo.environment[DatabaseLocation.urlVariable] ?? "").isEmpty {
            _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        await main()
    }
}
