// Fuzz target: the stream's HTTP request path, end to end. The real StreamServer
// (Hummingbird, AccessGuard, StreamRoutes, ClientGate, StreamHub) is started once,
// twice in fact, on 127.0.0.1 with an ephemeral port: one without a token (the
// loopback default) and one with token "fuzz-token" (the LAN setup). Each input
// is: byte 0 picks the server (even: no token, odd: token), the rest is sent as
// raw bytes on a fresh TCP connection, the write side is shut, and the reply is
// read until the server closes or goes quiet (short timeouts).
// Why the real server and not only our parsing code: the request-handling code
// that is ours (token check, method and path guard, Last-Event-ID, gate) runs
// behind Hummingbird's parser and router; fuzzing it in isolation would miss how
// they meet, and a loopback round trip still gives 150-400 executions a second
// here (debug + ASan, 2 busy cores), enough to be useful. (StreamAddress parsing is also fed each input's
// text, as it is cheap and ours.)
// Checks: no crash in the process (server threads included, under ASan), no hang
// (libFuzzer -timeout; a server that stops answering fails a /healthz probe made
// every 200 inputs), any reply starts with an HTTP/1.1 status line, and the
// token server never answers 200 to a request that does not carry the token
// (after percent-decoding). It does not fuzz the page's JavaScript or TLS.
import FERStream
import FuzzSupport
import Glibc
import Logging

let token = "fuzz-token"
nonisolated(unsafe) var ports: [Int] = []
nonisolated(unsafe) var servers: [StreamServer] = []
nonisolated(unsafe) var inputs = 0

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    writeSeedsIfAsked(seeds)
    signal(SIGPIPE, SIG_IGN)
    let hub = StreamHub()
    hub.publishFrame(jpeg: [0xFF, 0xD8, 0xFF, 0xD9], index: 0, timestamp: 0)  // content does not matter to the server
    for i in 0..<3 { hub.publishEvent(json: "{\"event\":\"start\",\"track\":\(i)}") }
    hub.updateFaces([FaceSnapshot(trackID: 1, box: [1, 2, 3, 4], emotion: "happy", score: 0.9,
                                  probabilities: [0.01, 0.01, 0.02, 0.9, 0.02, 0.02, 0.02])])
    var logger = Logger(label: "fuzz.stream")
    logger.logLevel = .critical
    var limits = StreamLimits(maxClients: 8)
    limits.idleTimeout = .seconds(2)
    limits.stalledAfter = .seconds(2)
    do {
        for t in [nil, token] {
            let server = try StreamServer(hub: hub, address: StreamAddress(host: "127.0.0.1", port: 0), token: t,
                                          fpsCap: t == nil ? nil : 30, limits: limits, logger: logger)
            ports.append(try server.startInBackground())
            servers.append(server)
        }
    } catch {
        fuzzFail("cannot start the stream server on 127.0.0.1: \(error)")
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let selector = bytes.first else { return 0 }
    let request = Array(bytes.dropFirst())
    let withToken = selector & 1 == 1

    _ = try? StreamAddress(parsing: String(decoding: request.prefix(64), as: UTF8.self)).isLoopback

    let reply = exchange(port: ports[withToken ? 1 : 0], request)
    if !reply.isEmpty {
        fuzzCheck(reply.starts(with: Array("HTTP/1.1 ".utf8)),
                  "reply does not start with an HTTP/1.1 status line: \(String(decoding: reply.prefix(80), as: UTF8.self).debugDescription)")
    }
    if withToken, reply.starts(with: Array("HTTP/1.1 200".utf8)) {
        fuzzCheck(contains(percentDecoded(request), Array(token.utf8)),
                  "the token server answered 200 to a request without the token")
    }

    inputs += 1
    if inputs % 200 == 0 {
        for (i, port) in ports.enumerated() { probeHealth(port: port, server: servers[i]) }
    }
    return 0
}

/// The server must still answer /healthz within 5 s; fails with what was seen.
func probeHealth(port: Int, server: StreamServer) {
    let t0 = ContinuousClock.now
    let health = exchange(port: port, Array("GET /healthz?token=\(token) HTTP/1.1\r\nHost: x\r\n\r\n".utf8), quiet: 5000)
    guard !health.starts(with: Array("HTTP/1.1 ".utf8)) else { return }
    fuzzFail("the server on port \(port) stopped answering /healthz (\(health.count) bytes after \(ContinuousClock.now - t0); "
             + "\(server.clientCount) stream clients held, after \(inputs) inputs)")
}

/// Sends `request` on a new connection, shuts the write side, and returns what came back
/// before the server closed, or nothing came for `quiet` ms (at most 64 KiB).
func exchange(port: Int, _ request: [UInt8], quiet: Int32 = 40) -> [UInt8] {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { fuzzFail("socket: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    // libFuzzer's -timeout watchdog is a SIGALRM every second: any of these calls may fail
    // with EINTR, which is neither a refusal nor a silent server (it once failed CI).
    var connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    if connected != 0 && errno == EINTR {
        // The connection goes on in the background: wait until it is writable, then read its outcome.
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        _ = pollRetrying(&pfd, 2000)
        var soError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
        connected = soError
        errno = soError
    }
    guard connected == 0 else { fuzzFail("connect to 127.0.0.1:\(port): \(String(cString: strerror(errno))); the server is gone") }
    var sent = 0
    while sent < request.count {
        let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }  // the server may close early (e.g. on a malformed head): fine
        sent += n
    }
    shutdown(fd, Int32(SHUT_WR))
    var reply: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 8192)
    var waitMs = max(quiet, 250)  // the first byte may take a little longer than the rest
    while reply.count < 65536 {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard pollRetrying(&pfd, waitMs) > 0 else { break }
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        reply += buffer[0..<n]
        waitMs = quiet
    }
    return reply
}

/// poll() on one descriptor for `ms` milliseconds in all, resumed after EINTR.
func pollRetrying(_ pfd: inout pollfd, _ ms: Int32) -> Int32 {
    let deadline = ContinuousClock.now + .milliseconds(Int(ms))
    while true {
        let left = deadline - ContinuousClock.now
        let leftMs = max(0, Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
        let r = poll(&pfd, 1, leftMs)
        if r >= 0 || errno != EINTR { return r }
    }
}

/// The bytes with every %XX replaced by the byte it encodes.
func percentDecoded(_ b: [UInt8]) -> [UInt8] {
    func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
    var out: [UInt8] = []
    var i = 0
    while i < b.count {
        if b[i] == 0x25, i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) {
            out.append(h << 4 | l); i += 3
        } else {
            out.append(b[i]); i += 1
        }
    }
    return out
}

func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
}

// MARK: - Seeds: real requests a browser, curl or a monitor sends

func seeds() -> [(name: String, bytes: [UInt8])] {
    func req(_ server: UInt8, _ text: String) -> [UInt8] { [server] + Array(text.utf8) }
    return [
        ("page", req(0, "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n")),
        ("metrics", req(0, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\nGET /healthz HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n")),
        ("events-last-id", req(0, "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nLast-Event-ID: 2\r\n\r\n")),
        ("mjpeg-token-query", req(1, "GET /stream.mjpg?token=fuzz-token HTTP/1.1\r\nHost: cam.local:8080\r\n\r\n")),
        ("snapshot-bearer", req(1, "GET /snapshot.jpg HTTP/1.1\r\nHost: cam.local\r\nAuthorization: Bearer fuzz-token\r\n\r\n")),
        ("post-unauthorized", req(1, "POST /events?token=wrong HTTP/1.1\r\nHost: cam.local\r\nContent-Length: 5\r\n\r\nhello")),
        ("head-chunked", req(0, "HEAD /nowhere%20x?a=b&c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")),
    ]
}
