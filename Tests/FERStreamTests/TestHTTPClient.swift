// A small blocking HTTP/1.1 client over a POSIX socket, for tests only: plain requests
// (read to EOF, de-chunked), and incremental readers for the MJPEG multipart stream and the
// SSE stream. Every read has a timeout, so a test can never hang. Loopback only.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct HTTPTestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Used by one thread at a time (handed from thread to thread, never shared concurrently).
final class TestConnection: @unchecked Sendable {
    let fd: Int32
    private(set) var buffer: [UInt8] = []  // received, not yet consumed
    private(set) var status = 0
    private(set) var headers: [String: String] = [:]  // lower-cased names
    private var chunked = false
    private var chunkLeft = 0       // bytes left in the current chunk
    private var raw: [UInt8] = []   // body bytes still chunk-encoded
    private(set) var eof = false

    /// Connects to 127.0.0.1:port; `receiveBuffer` shrinks SO_RCVBUF (a slow reader fills up fast).
    init(port: Int, timeout: Double = 5, receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPTestError("socket() failed: errno \(errno)") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw HTTPTestError("connect to 127.0.0.1:\(port) failed: errno \(errno)") }
    }

    deinit { close(fd) }

    /// Closes at once with RST (SO_LINGER 0): an abrupt client disconnect.
    func abort() {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        shutdown(fd, Int32(SHUT_RDWR))
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw HTTPTestError("send failed: errno \(errno)") }
            sent += n
        }
    }

    func sendRequest(_ path: String, method: String = "GET", headers: [String: String] = [:]) throws {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (k, v) in headers { text += "\(k): \(v)\r\n" }
        if method == "POST" { text += "Content-Length: 0\r\n" }
        try send(text + "\r\n")
    }

    /// Reads more raw bytes from the socket; false at EOF. Throws on timeout.
    private func fill(into target: inout [UInt8]) throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { throw HTTPTestError("timed out waiting for data") }
            if errno == ECONNRESET { eof = true; return false }
            throw HTTPTestError("recv failed: errno \(errno)")
        }
        if n == 0 { eof = true; return false }
        target += chunk[0..<n]
        return true
    }

    /// Reads the status line and headers.
    func readHead() throws {
        while true {
            if let end = find([13, 10, 13, 10], in: raw) {
                let head = String(decoding: raw[0..<end], as: UTF8.self)
                raw.removeFirst(end + 4)
                let lines = head.components(separatedBy: "\r\n")
                let parts = lines[0].split(separator: " ")
                guard parts.count >= 2, let code = Int(parts[1]) else { throw HTTPTestError("bad status line '\(lines[0])'") }
                status = code
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                chunked = headers["transfer-encoding"]?.lowercased().contains("chunked") ?? false
                if !chunked { buffer += raw; raw = [] }
                return
            }
            guard try fill(into: &raw) else { throw HTTPTestError("connection closed before the response head") }
        }
    }

    /// Makes more decoded body bytes available in `buffer`; false at the end of the body.
    func readMore() throws -> Bool {
        if !chunked {
            guard !eof else { return false }
            return try fill(into: &buffer)
        }
        while true {
            if chunkLeft > 0, !raw.isEmpty {
                let n = min(chunkLeft, raw.count)
                buffer += raw[0..<n]
                raw.removeFirst(n)
                chunkLeft -= n
                if chunkLeft == 0 { chunkLeft = -2 }  // CRLF after the data follows
                return true
            }
            if chunkLeft == -2, raw.count >= 2 { raw.removeFirst(2); chunkLeft = 0; continue }
            if chunkLeft == 0, let end = find([13, 10], in: raw) {
                let sizeText = String(decoding: raw[0..<end], as: UTF8.self).split(separator: ";")[0]
                guard let size = Int(sizeText, radix: 16) else { throw HTTPTestError("bad chunk size '\(sizeText)'") }
                raw.removeFirst(end + 2)
                if size == 0 { return false }
                chunkLeft = size
                continue
            }
            guard try fill(into: &raw) else { return false }
        }
    }

    func consume(_ n: Int) { buffer.removeFirst(n) }

    /// Reads the whole body (until its end or EOF).
    func readBody() throws -> [UInt8] {
        if let length = headers["content-length"].flatMap(Int.init) {
            while buffer.count < length, try readMore() {}
            return Array(buffer.prefix(length))
        }
        while try readMore() {}
        return buffer
    }
}

func find(_ needle: [UInt8], in hay: [UInt8], from start: Int = 0) -> Int? {
    guard hay.count >= needle.count, start <= hay.count - needle.count else { return nil }
    var i = start
    while i <= hay.count - needle.count {
        if hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
        i += 1
    }
    return nil
}

struct HTTPResult {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// One plain request; returns status, headers and body.
func httpGet(port: Int, _ path: String, method: String = "GET", headers: [String: String] = [:]) throws -> HTTPResult {
    let c = try TestConnection(port: port)
    try c.sendRequest(path, method: method, headers: headers.merging(["Connection": "close"]) { a, _ in a })
    try c.readHead()
    return HTTPResult(status: c.status, headers: c.headers, body: try c.readBody())
}

/// Reads parts of a multipart/x-mixed-replace body.
struct MJPEGReader: Sendable {
    struct Part { var headers: [String: String]; var body: [UInt8]; var receivedAt: Date }
    let connection: TestConnection
    let boundary: [UInt8]

    init(port: Int, path: String = "/stream.mjpg", headers: [String: String] = [:], receiveBuffer: Int32? = nil) throws {
        connection = try TestConnection(port: port, receiveBuffer: receiveBuffer)
        try connection.sendRequest(path, headers: headers)
        try connection.readHead()
        guard connection.status == 200 else { throw HTTPTestError("GET \(path): status \(connection.status)") }
        let type = connection.headers["content-type"] ?? ""
        guard type.hasPrefix("multipart/x-mixed-replace"), let b = type.components(separatedBy: "boundary=").last else {
            throw HTTPTestError("GET \(path): content-type '\(type)' is not multipart/x-mixed-replace with a boundary")
        }
        boundary = Array("--\(b)\r\n".utf8)
    }

    func nextPart() throws -> Part {
        let c = connection
        while true {
            if let start = find(boundary, in: c.buffer), let headEnd = find([13, 10, 13, 10], in: c.buffer, from: start) {
                let headText = String(decoding: c.buffer[(start + boundary.count)..<headEnd], as: UTF8.self)
                var headers: [String: String] = [:]
                for line in headText.components(separatedBy: "\r\n") {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                guard let length = headers["content-length"].flatMap(Int.init) else { throw HTTPTestError("part without Content-Length") }
                let bodyStart = headEnd + 4
                if c.buffer.count >= bodyStart + length {
                    let body = Array(c.buffer[bodyStart..<(bodyStart + length)])
                    c.consume(bodyStart + length)
                    return Part(headers: headers, body: body, receivedAt: Date())
                }
            }
            guard try c.readMore() else { throw HTTPTestError("stream ended") }
        }
    }
}

/// Reads Server-Sent Events.
struct SSEReader: Sendable {
    struct Event {
        var id: String?
        var event: String?
        var data: String
        /// A default ("message") event: what EventSource's onmessage receives.
        var isMessage: Bool { event == nil }
    }
    let connection: TestConnection

    init(port: Int, path: String = "/events", headers: [String: String] = [:]) throws {
        connection = try TestConnection(port: port)
        try connection.sendRequest(path, headers: headers)
        try connection.readHead()
        guard connection.status == 200 else { throw HTTPTestError("GET \(path): status \(connection.status)") }
    }

    /// The next event with a data field (comments and retry-only blocks are skipped).
    func next() throws -> Event {
        let c = connection
        while true {
            if let end = find([10, 10], in: c.buffer) {
                let block = String(decoding: c.buffer[0..<end], as: UTF8.self)
                c.consume(end + 2)
                var event = Event(id: nil, event: nil, data: "")
                var hasData = false
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix(":") { continue }
                    let (field, value) = line.firstIndex(of: ":").map { (String(line[..<$0]), String(line[line.index(after: $0)...].drop { $0 == " " })) } ?? (String(line), "")
                    switch field {
                    case "id": event.id = value
                    case "event": event.event = value
                    case "data": event.data += (hasData ? "\n" : "") + value; hasData = true
                    default: break
                    }
                }
                if hasData { return event }
                continue
            }
            guard try c.readMore() else { throw HTTPTestError("event stream ended") }
        }
    }
}
