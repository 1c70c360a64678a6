#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One keep-alive HTTP/1.1 connection to a server on 127.0.0.1, with blocking calls: the load generator's client.
///
/// The loop benchmark runs the client on the same two cores as the server, so every microsecond the client spends
/// is taken from the server it measures. AsyncHTTPClient cost about 330 µs of CPU per loop (two requests), a third of
/// what the server itself spent; this client writes a request with one `send` and reads the answer with one or two
/// `recv`s, as `wrk` does.
///
/// ```swift
/// let connection = try HTTPConnection(port: 8080)
/// let answer = try connection.request("POST", "/api/v1/queues/7/next", headers: ["Authorization: Bearer …"])
/// print(answer.status, answer.body.count)
/// ```
final class HTTPConnection {
    struct Response {
        var status: Int
        var body: [UInt8]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let port: UInt16
    private var socket: Int32 = -1
    /// Bytes received and not yet consumed by a response (a server may send the next one's start; none here do).
    private var pending: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 64 << 10)

    init(port: UInt16) throws {
        self.port = port
        try connect()
    }

    deinit {
        if socket >= 0 { close(socket) }
    }

    /// Sends one request and waits for its whole answer. `headers` are complete header lines without CRLF.
    func request(_ method: String, _ path: String, headers: [String], body: [UInt8] = []) throws -> Response {
        if socket < 0 { try connect() }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for header in headers { head += header + "\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        var bytes = Array(head.utf8)
        bytes += body
        try sendAll(bytes)
        return try readResponse()
    }

    private func connect() throws {
        #if canImport(Glibc)
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if canImport(Glibc)
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #else
                Darwin.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #endif
            }
        }
        guard result == 0 else {
            close(descriptor)
            throw Failure(description: "connect to 127.0.0.1:\(port): errno \(errno)")
        }
        socket = descriptor
        pending.removeAll(keepingCapacity: true)
    }

    private func disconnect() {
        if socket >= 0 { close(socket) }
        socket = -1
    }

    private func sendAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(socket, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EINTR { continue }
                disconnect()
                throw Failure(description: "send: errno \(errno)")
            }
            offset += sent
        }
    }

    /// Reads more bytes into `pending`; false when the server closed the connection.
    private func receiveMore() throws -> Bool {
        while true {
            let count = scratch.withUnsafeMutableBytes { recv(socket, $0.baseAddress!, $0.count, 0) }
            if count > 0 {
                pending.append(contentsOf: scratch[0..<count])
                return true
            }
            if count == 0 { return false }
            if errno == EINTR { continue }
            disconnect()
            throw Failure(description: "recv: errno \(errno)")
        }
    }

    private func readResponse() throws -> Response {
        var headerEnd: Int?
        while true {
            headerEnd = find([13, 10, 13, 10], in: pending, from: 0)
            if headerEnd != nil { break }
            guard try receiveMore() else {
                disconnect()
                throw Failure(description: "the server closed the connection before answering")
            }
        }
        let bodyStart = headerEnd! + 4
        let head = String(decoding: pending[0..<headerEnd!], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1."),
            let status = Int(statusLine.dropFirst(9).prefix(3))
        else {
            disconnect()
            throw Failure(description: "not an HTTP response: \(head.prefix(80))")
        }
        lines.removeFirst()
        var contentLength: Int?
        var chunked = false
        var closes = false
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingPrefix(" ").lowercased()
            switch name {
            case "content-length": contentLength = Int(value)
            case "transfer-encoding": chunked = value.contains("chunked")
            case "connection": closes = value.contains("close")
            default: break
            }
        }
        var body: [UInt8]
        if chunked {
            body = try readChunks(from: bodyStart)
        } else if let contentLength {
            while pending.count < bodyStart + contentLength {
                guard try receiveMore() else { throw Failure(description: "the server closed the connection mid-answer") }
            }
            body = Array(pending[bodyStart..<(bodyStart + contentLength)])
            pending.removeFirst(bodyStart + contentLength)
        } else if status == 204 || status == 304 || (100..<200).contains(status) {
            body = []
            pending.removeFirst(bodyStart)
        } else {
            while try receiveMore() {}  // the body runs to the end of the connection
            body = Array(pending[bodyStart...])
            pending.removeAll()
            closes = true
        }
        if closes { disconnect() }
        return Response(status: status, body: body)
    }

    /// Decodes a chunked body starting at `offset` in `pending`, consuming it.
    private func readChunks(from offset: Int) throws -> [UInt8] {
        var body: [UInt8] = []
        var position = offset
        while true {
            var lineEnd = find([13, 10], in: pending, from: position)
            while lineEnd == nil {
                guard try receiveMore() else { throw Failure(description: "the server closed the connection mid-chunk") }
                lineEnd = find([13, 10], in: pending, from: position)
            }
            let sizeText = String(decoding: pending[position..<lineEnd!], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingPrefix(" "), radix: 16) else {
                throw Failure(description: "bad chunk size \(sizeText)")
            }
            position = lineEnd! + 2
            while pending.count < position + size + 2 {
                guard try receiveMore() else { throw Failure(description: "the server closed the connection mid-chunk") }
            }
            if size == 0 {
                // No trailers are sent by the servers measured here: the last chunk ends with one CRLF.
                pending.removeFirst(position + 2)
                return body
            }
            body += pending[position..<(position + size)]
            position += size + 2
        }
    }
}

/// Where `needle` first occurs in `haystack` at or after `start`.
func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    var index = start
    while index <= haystack.count - needle.count {
        if haystack[index] == needle[0] {
            var matches = true
            for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                matches = false
                break
            }
            if matches { return index }
        }
        index += 1
    }
    return nil
}
