import Foundation
import NIOCore
import NIOPosix

/// A failed attempt to connect somewhere (PostgreSQL, a model server), in the words a person needs: "connection
/// refused", "no such file or directory", "the host name does not resolve".
///
/// NIO's own descriptions read `connection reset (error set): Connection refused) (errno: 111)`; this names the
/// cause only, and nil when the error is not about connecting at all.
///
/// ```swift
/// ConnectionFailure.reason(for: error)   // "connection refused"
/// ```
public enum ConnectionFailure {
    public static func reason(for error: any Error) -> String? {
        if let error = error as? NIOConnectionError {
            if let failure = error.connectionErrors.first { return reason(for: failure.error) ?? "\(failure.error)" }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "the host name does not resolve" }
            return "no address to connect to"
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        if let error = error as? ChannelError, case .connectTimeout(let after) = error {
            return "no answer within \(after.nanoseconds / 1_000_000_000) s"
        }
        if let error = error as? SocketAddressError, case .unknown(let host, _) = error {
            return "the host name \(host) does not resolve"
        }
        return nil
    }
}
