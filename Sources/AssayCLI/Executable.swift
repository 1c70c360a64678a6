import ArgumentParser
import NIOCore
import NIOPosix

extension AssayCommand {
    /// The `assay` executable: runs the command line with Swift concurrency's jobs on SwiftNIO's event loops.
    ///
    /// Why: by default an async request handler runs on Swift's cooperative pool while its connection lives on an
    /// event loop, so every request crosses between the two pools several times (wake-ups, futex waits and context
    /// switches were the largest items in a profile of the annotator loop). With SwiftNIO's event-loop group as the
    /// global executor, a handler stays on its connection's thread. This is what Vapor's own project template does.
    /// CPU-heavy work already runs on dispatch threads (`HeavyWork`), so it never holds an event loop.
    ///
    /// It must run first in the process, before any other concurrency work is queued, so it lives here and not in
    /// `serve`; tests, which run inside the test runner's own executor, keep the default.
    public static func runAsExecutable() async {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await main()
    }
}
