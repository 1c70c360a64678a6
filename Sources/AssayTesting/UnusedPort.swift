import NIOCore
import NIOPosix

/// A TCP port on 127.0.0.1 that nothing listens on: one the system handed out a moment ago, bound and released.
///
/// For tests of what happens when a server is down: a connection to it is refused at once.
///
/// ```swift
/// let url = "postgres://assay@127.0.0.1:\(try UnusedPort.make())/assay"
/// ```
public enum UnusedPort {
    public static func make() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        let port = channel.localAddress?.port ?? 0
        try channel.close().wait()
        return port
    }
}
