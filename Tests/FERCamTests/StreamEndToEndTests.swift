// The HTTP overlay stream end to end: the real fer-cam binary plays the shared
// clip with --stream on a loopback port, and plain HTTP clients (and headless
// Chromium) check what it serves: MJPEG parts that decode, /events lines equal
// to the log's, Prometheus text, /healthz, the page showing the video, a stalled
// viewer not holding up the pipeline, the token, --stream-max-clients and the
// refused addresses. Behaviour only: speeds are measured by fer-bench.
// Needs ffmpeg (loops the clip in a temp file) and chromium (scripts/setup --tests).
import Foundation
import Testing
@testable import FERCam
import FERVision
#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized, .timeLimit(.minutes(3)))
struct StreamEndToEndTests {
    @Test func servesMJPEGEventsMetricsAndHealthWhileFramesFlow() throws {
        let cam = try LiveFerCam(extra: ["--update-interval", "0.3"])
        defer { cam.stop() }
        let port = try cam.waitForPort()

        // /events in the background while the other endpoints are read.
        nonisolated(unsafe) var sse: [UInt8] = []
        let sseDone = DispatchSemaphore(value: 0)
        Thread {
            defer { sseDone.signal() }
            guard let c = try? RawHTTP(port: port, path: "/events") else { return }
            sse = c.read(for: 6) { bytes in Self.sseEvents(bytes).count >= 4 }
        }.start()

        let mjpeg = try RawHTTP(port: port, path: "/stream.mjpg")
        let body = mjpeg.read(for: 20) { Self.partsSoFar($0).count >= 4 }
        #expect(mjpeg.head.hasPrefix("HTTP/1.1 200"), "stream.mjpg: \(mjpeg.head)")
        #expect(mjpeg.head.lowercased().contains("multipart/x-mixed-replace"))
        let parts = Self.jpegParts(body)
        #expect(parts.count >= 3, "only \(parts.count) MJPEG parts in 20 s")
        for part in parts.prefix(4) {
            let img = try ImageCodec.decode(bytes: part)
            #expect(img.width == 640 && img.height == 360, "part decodes to \(img.width)x\(img.height), the clip is 640x360")
        }

        let health = try RawHTTP.get(port: port, path: "/healthz")
        #expect(health.status == 200, "healthz while frames flow: \(health.status) \(health.body)")

        let metrics = try RawHTTP.get(port: port, path: "/metrics")
        #expect(metrics.status == 200)
        let samples = try PromText.parse(metrics.body)
        #expect((samples["fer_frames_processed_total"] ?? 0) > 0, "fer_frames_processed_total: \(samples["fer_frames_processed_total"] ?? -1)")
        #expect((samples["fer_stream_frames_published_total"] ?? 0) >= 3)
        #expect((samples["fer_frames_captured_total"] ?? -1) >= 0)

        sseDone.wait()
        let log = try cam.stopAndReadLog()
        let logLines = Set(log.split(separator: "\n").map(String.init))
        let streamed = Self.sseEvents(sse)
        #expect(streamed.count >= 1, "no detection events on /events: \(String(decoding: sse.prefix(400), as: UTF8.self))")
        for line in streamed {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            #expect(o["track"] is Int && o["event"] is String, "event without track/event: \(line)")
            #expect(logLines.contains(line), "/events line is not in the log: \(line)")
        }
        let logTracks = Set(try LoggedEvent.parse(log).map(\.track))
        let streamTracks = Set(try LoggedEvent.parse(streamed.joined(separator: "\n")).map(\.track))
        #expect(streamTracks.isSubset(of: logTracks) && !streamTracks.isEmpty, "tracks \(streamTracks) vs log \(logTracks)")
    }

    @Test func chromiumShowsTheVideoOnThePage() throws {
        let cam = try LiveFerCam()
        defer { cam.stop() }
        let port = try cam.waitForPort()
        let shot = NSTemporaryDirectory() + "fercam-page-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: shot) }
        // Let frames flow first so the page gets a picture at once.
        _ = try RawHTTP(port: port, path: "/stream.mjpg").read(for: 10) { Self.partsSoFar($0).count >= 1 }
        // Headless Chromium may take its screenshot before it paints the first
        // MJPEG part; up to 3 page loads, the last one is judged.
        var colours = Set<Int>(), sd = 0.0
        for _ in 1...3 {
            try? FileManager.default.removeItem(atPath: shot)
            let r = try runProcess("/usr/bin/chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                                         "--window-size=800,600", "--screenshot=\(shot)", "http://127.0.0.1:\(port)/"], timeout: 90)
            try #require(FileManager.default.fileExists(atPath: shot), "chromium made no screenshot: \(r.stderr.suffix(500))")
            (colours, sd) = try Self.frameAreaVariety(shot)
            if colours.count >= 200 && sd >= 12 { break }
        }
        #expect(colours.count >= 200 && sd >= 12,
                "the frame area looks flat (\(colours.count) colours, luminance sd \(sd)): the video is not shown")
    }

    /// Distinct colours and luminance spread in the page's frame area of a screenshot.
    private static func frameAreaVariety(_ shot: String) throws -> (Set<Int>, Double) {
        let page = try ImageCodec.decode(path: shot)
        // At 800x600 the page puts the 640x360 frame on the left, scaled to about x 7...533, y 31...343.
        let region = Box(x: 20, y: 45, width: 500, height: 280)
        var colours = Set<Int>()
        var sum = 0.0, sumSq = 0.0
        for y in region.y..<region.maxY {
            for x in region.x..<region.maxX {
                let i = y * page.stride + x * 3
                let (b, g, rr) = (Int(page.pixels[i]), Int(page.pixels[i + 1]), Int(page.pixels[i + 2]))
                colours.insert((b >> 3) << 10 | (g >> 3) << 5 | (rr >> 3))
                let l = Double(b + g + rr) / 3
                sum += l
                sumSq += l * l
            }
        }
        let n = Double(region.area)
        return (colours, (sumSq / n - (sum / n) * (sum / n)).squareRoot())
    }

    @Test func aStalledViewerHoldsUpNeitherThePipelineNorAnotherViewer() throws {
        let cam = try LiveFerCam()
        defer { cam.stop() }
        let port = try cam.waitForPort()
        _ = try RawHTTP(port: port, path: "/stream.mjpg").read(for: 10) { Self.partsSoFar($0).count >= 1 }
        func metric(_ name: String) throws -> Double {
            try PromText.parse(try RawHTTP.get(port: port, path: "/metrics").body)[name] ?? 0
        }
        // Connects, asks for the stream with a tiny receive buffer, and never reads.
        let slow = try RawHTTP(port: port, path: "/stream.mjpg", receiveBuffer: 4096)
        // Its socket is full once frames meant for it are replaced instead of queued.
        #expect(try cam.waitUntil(timeout: 30) { try metric("fer_stream_frames_skipped_total") > 0 },
                "the stalled viewer never missed a frame: frames are queued for it, or it blocks the stream")
        // While it is stuck, processing goes on and a reading viewer keeps getting frames.
        // (A viewer that blocked the pipeline would stop both for good.)
        let processed = try metric("fer_frames_processed_total")
        let fast = try RawHTTP(port: port, path: "/stream.mjpg")
        let parts = Self.jpegParts(fast.read(for: 30) { Self.partsSoFar($0).count >= 10 })
        #expect(parts.count >= 10, "the reading viewer got \(parts.count) frames in 30 s next to a stalled one")
        #expect(try cam.waitUntil(timeout: 30) { try metric("fer_frames_processed_total") >= processed + 30 },
                "processing stopped at \(processed) frames while a viewer was stalled")
        withExtendedLifetime(slow) {}
    }

    @Test func theClientBeyondStreamMaxClientsGets503AndIsCounted() throws {
        let cam = try LiveFerCam(extra: ["--stream-max-clients", "1"])
        defer { cam.stop() }
        let port = try cam.waitForPort()
        let viewer = try RawHTTP(port: port, path: "/stream.mjpg")
        #expect(Self.jpegParts(viewer.read(for: 30) { Self.partsSoFar($0).count >= 1 }).count >= 1, "the first viewer got no frame")
        #expect(viewer.head.hasPrefix("HTTP/1.1 200"), "first viewer: \(viewer.head)")
        let second = try RawHTTP(port: port, path: "/events")
        let body = String(decoding: second.read(for: 10), as: UTF8.self)
        #expect(second.head.hasPrefix("HTTP/1.1 503"), "second client: \(second.head)")
        #expect(second.head.lowercased().contains("retry-after: 5"), "no Retry-After: \(second.head)")
        #expect(body.contains("--stream-max-clients"), "the refusal says how to fix it: \(body)")
        let samples = try PromText.parse(try RawHTTP.get(port: port, path: "/metrics").body)
        #expect(samples["fer_stream_clients_refused_total"] == 1)
        #expect(samples["fer_stream_clients_max"] == 1)
        #expect(samples["fer_stream_clients"] == 1)
        withExtendedLifetime(viewer) {}
    }

    @Test func aStreamMaxClientsBelowOneIsAUsageError() throws {
        let bin = try TestPaths.ferCamBinary(), clip = try TestPaths.requireMedia("short_hamilton_clip.mp4")
        let zero = try runProcess(bin, ["--source", clip, "--model", TestModel.path, "--stream", "127.0.0.1:0", "--stream-max-clients", "0"], timeout: 30)
        #expect(zero.status == 64, "--stream-max-clients 0: exit \(zero.status) \(zero.stderr)")
        #expect(zero.stderr.contains("--stream-max-clients 0: must be at least 1"), "\(zero.stderr)")
        let alone = try runProcess(bin, ["--source", clip, "--model", TestModel.path, "--stream-max-clients", "4"], timeout: 30)
        #expect(alone.status == 64, "--stream-max-clients without --stream: exit \(alone.status) \(alone.stderr)")
        #expect(alone.stderr.contains("need --stream ADDR"), "\(alone.stderr)")
    }

    @Test func theTokenGuardsEveryRequest() throws {
        let cam = try LiveFerCam(extra: ["--stream-token", "secret"])
        defer { cam.stop() }
        let port = try cam.waitForPort()
        #expect(try RawHTTP.get(port: port, path: "/healthz").status == 401)
        #expect(try cam.waitUntil(timeout: 60) { try RawHTTP.get(port: port, path: "/healthz?token=secret").status == 200 },
                "healthz with the token never answered 200")
        #expect(try RawHTTP.get(port: port, path: "/metrics?token=wrong").status == 401)
        #expect(try RawHTTP.get(port: port, path: "/metrics?token=secret").status == 200)
        #expect(try RawHTTP.get(port: port, path: "/metrics", headers: ["Authorization: Bearer secret"]).status == 200)
    }

    @Test func refusedAddressesExitWithTheDocumentedCodes() throws {
        let bin = try TestPaths.ferCamBinary(), clip = try TestPaths.requireMedia("short_hamilton_clip.mp4")
        let open = try runProcess(bin, ["--source", clip, "--model", TestModel.path, "--stream", "0.0.0.0:0"], timeout: 30)
        #expect(open.status == 78, "non-loopback without a token: exit \(open.status) \(open.stderr)")
        #expect(open.stderr.contains("--stream-token"))
        let bad = try runProcess(bin, ["--source", clip, "--model", TestModel.path, "--stream", "127.0.0.1:http"], timeout: 30)
        #expect(bad.status == 64, "malformed address: exit \(bad.status) \(bad.stderr)")
        // A port someone else listens on.
        let busy = try ListeningSocket()
        let taken = try runProcess(bin, ["--source", clip, "--model", TestModel.path, "--stream", "127.0.0.1:\(busy.port)"], timeout: 60)
        #expect(taken.status == 69, "port in use: exit \(taken.status) \(taken.stderr)")
        #expect(taken.stderr.contains("127.0.0.1:\(busy.port)"), "the message names the address: \(taken.stderr)")
    }

    @Test func helpDescribesTheEndpoints() throws {
        let r = try runProcess(try TestPaths.ferCamBinary(), ["--help"])
        let help = r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")   // undo line wrapping
        for needle in ["--stream <addr>", "--stream-token", "--stream-fps", "--stream-max-clients <n>", "/stream.mjpg", "/events", "/snapshot.jpg",
                       "/metrics", "/healthz", "fer-cam --stream 127.0.0.1:8080"] {
            #expect(help.contains(needle), "--help lacks \(needle)")
        }
    }

    // MARK: - Parsing what the server sends

    /// The JPEGs of a multipart/x-mixed-replace body, by each part's Content-Length.
    static func jpegParts(_ body: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = [], i = 0
        let sep: [UInt8] = [13, 10, 13, 10]
        while let headEnd = find(sep, in: body, from: i) {
            let head = String(decoding: body[i..<headEnd], as: UTF8.self).lowercased()
            guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                  let n = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else { break }
            let start = headEnd + 4
            guard start + n <= body.count else { break }
            out.append(Array(body[start..<start + n]))
            i = start + n
        }
        return out
    }

    /// The complete JPEGs in what has arrived so far of a chunked MJPEG body (for `read`'s
    /// stop condition, which sees the body before it is de-chunked).
    static func partsSoFar(_ raw: [UInt8]) -> [[UInt8]] { jpegParts(RawHTTP.dechunk(raw)) }

    /// The data of SSE messages without an `event:` field (detection events).
    static func sseEvents(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let complete = text.range(of: "\n\n", options: .backwards) else { return [] }
        return text[..<complete.upperBound].components(separatedBy: "\n\n").compactMap { block in
            let lines = block.split(separator: "\n")
            guard !lines.contains(where: { $0.hasPrefix("event:") }) else { return nil }
            let data = lines.filter { $0.hasPrefix("data:") }.map { String($0.dropFirst(5).drop { $0 == " " }) }
            return data.isEmpty ? nil : data.joined(separator: "\n")
        }
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        for i in from...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle { return i }
        return nil
    }
}

// MARK: - A running fer-cam with --stream

/// fer-cam on the clip (looped six times in a temp file so a test never outlives it),
/// paced at the clip's rate, streaming on 127.0.0.1 port 0; the port is read from stderr.
final class LiveFerCam {
    let process = Process()
    let logPath = NSTemporaryDirectory() + "fercam-stream-\(UUID().uuidString).jsonl"
    let errPath = NSTemporaryDirectory() + "fercam-stream-\(UUID().uuidString).err"

    init(extra: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: try TestPaths.ferCamBinary())
        process.arguments = ["--source", try LoopedClip.path(), "--pace", "--model", TestModel.path, "--log", logPath,
                             "--stream", "127.0.0.1:0"] + extra
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// The port from "stream on http://127.0.0.1:PORT/" (fer-cam logs it once it listens).
    func waitForPort(timeout: Double = 60) throws -> Int {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if let r = stderr.range(of: "stream on http://127.0.0.1:") {
                let digits = stderr[r.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return port }
            }
            if !process.isRunning { break }
            usleep(50_000)
        }
        Issue.record("fer-cam did not start its stream: \(stderr.suffix(800))")
        throw CamError.deviceUnavailable("no stream port")
    }

    /// SIGTERM, wait (at most 30 s), and the detection log.
    func stopAndReadLog() throws -> String {
        stop()
        #expect(process.terminationStatus == 0, "fer-cam exit \(process.terminationStatus): \(stderr.suffix(800))")
        return try String(contentsOfFile: logPath, encoding: .utf8)
    }

    /// Polls `condition` every 100 ms until it holds or `timeout` passes.
    func waitUntil(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(100_000)
        }
        return try condition()
    }

    func stop() {
        // SIGTERM, again every 2 s: one that lands while fer-cam installs its handlers can be lost.
        let deadline = Date(timeIntervalSinceNow: 30)
        var nextSignal = Date()
        while process.isRunning && Date() < deadline {
            if Date() >= nextSignal { kill(process.processIdentifier, SIGTERM); nextSignal = Date(timeIntervalSinceNow: 2) }
            usleep(20_000)
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); Issue.record("fer-cam ignored SIGTERM for 30 s") }
        process.waitUntilExit()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: logPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
}

/// The shared clip played six times in a row (stream copy, no re-encoding): made once in the
/// temp directory (written to a scratch name, then renamed) and reused by later runs.
enum LoopedClip {
    private static let made: Result<String, CamError> = {
        guard let clip = try? TestPaths.requireMedia("short_hamilton_clip.mp4") else { return .failure(.inputMissing("clip")) }
        let size = (try? FileManager.default.attributesOfItem(atPath: clip)[.size] as? Int) ?? 0
        let out = NSTemporaryDirectory() + "fercam-looped6-\(size).mp4"
        if FileManager.default.fileExists(atPath: out) { return .success(out) }
        let scratch = NSTemporaryDirectory() + "fercam-looped-\(getpid()).mp4"
        guard let r = try? runProcess("/usr/bin/ffmpeg", ["-v", "error", "-y", "-stream_loop", "5", "-i", clip, "-an", "-c", "copy", scratch], timeout: 60),
              r.status == 0, rename(scratch, out) == 0 else {
            try? FileManager.default.removeItem(atPath: scratch)
            return .failure(.inputMissing("ffmpeg could not loop \(clip) (scripts/setup --tests installs ffmpeg)"))
        }
        return .success(out)
    }()

    static func path() throws -> String {
        switch made {
        case .success(let p): return p
        case .failure(let e): Issue.record("\(e.message)"); throw e
        }
    }
}

// MARK: - Minimal loopback HTTP

/// One GET over a blocking socket (every read times out, so a test never hangs).
/// Used by one thread at a time (may be handed to another thread).
final class RawHTTP: @unchecked Sendable {
    let fd: Int32
    /// Status line and headers, once read.
    private(set) var head = ""
    private var pending: [UInt8] = []

    init(port: Int, path: String, headers: [String] = [], receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CamError.internalError("socket(): errno \(errno)") }
        var tv = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw CamError.deviceUnavailable("connect 127.0.0.1:\(port): errno \(errno)") }
        let request = (["GET \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Connection: close"] + headers).joined(separator: "\r\n") + "\r\n\r\n"
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            close(fd); throw CamError.deviceUnavailable("send to 127.0.0.1:\(port): errno \(errno)")
        }
    }

    deinit { close(fd) }

    /// Body bytes read until `done` holds for them, the peer closes, or `seconds` pass.
    func read(for seconds: Double, until done: ([UInt8]) -> Bool = { _ in false }) -> [UInt8] {
        let deadline = Date(timeIntervalSinceNow: seconds)
        var body: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            if n < 0 { if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue } else { break } }
            if head.isEmpty {
                pending += chunk[0..<n]
                guard let end = StreamEndToEndTests.find([13, 10, 13, 10], in: pending, from: 0) else { continue }
                head = String(decoding: pending[0..<end], as: UTF8.self)
                body = Array(pending[(end + 4)...])
            } else {
                body += chunk[0..<n]
            }
            if done(body) { break }
        }
        return head.lowercased().contains("transfer-encoding: chunked") ? Self.dechunk(body) : body
    }

    /// A plain request read to the end: status and body text.
    static func get(port: Int, path: String, headers: [String] = []) throws -> (status: Int, body: String) {
        let c = try RawHTTP(port: port, path: path, headers: headers)
        let body = c.read(for: 10)
        let status = c.head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return (status, String(decoding: body, as: UTF8.self))
    }

    /// Undoes chunked transfer coding (what is complete of it).
    static func dechunk(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [], i = 0
        while let lineEnd = StreamEndToEndTests.find([13, 10], in: b, from: i),
              let size = Int(String(decoding: b[i..<lineEnd], as: UTF8.self).split(separator: ";").first ?? "", radix: 16) {
            let start = lineEnd + 2
            if size == 0 || start + size > b.count { if start + size > b.count { out += b[start...] }; break }
            out += b[start..<start + size]
            i = start + size + 2
        }
        return out
    }
}

/// A socket listening on 127.0.0.1 (a port that is taken while it lives).
final class ListeningSocket {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { close(fd); throw CamError.internalError("cannot listen on 127.0.0.1: errno \(errno)") }
        self.fd = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    deinit { close(fd) }
}

/// A strict reading of Prometheus text format 0.0.4: every line is a comment
/// (HELP/TYPE well formed, TYPE before its samples) or `name{labels} value`.
/// Returns label-less samples and sums over labels per name.
enum PromText {
    static func parse(_ text: String) throws -> [String: Double] {
        guard text.hasSuffix("\n") else { throw CamError.internalError("metrics do not end with a newline") }
        let name = /[a-zA-Z_:][a-zA-Z0-9_:]*/
        let sample = /([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)( -?[0-9]+)?/
        var values: [String: Double] = [:]
        var typed: Set<String> = []
        for (n, line) in text.split(separator: "\n").enumerated() {
            if line.hasPrefix("# TYPE ") || line.hasPrefix("# HELP ") {
                let parts = line.split(separator: " ", maxSplits: 3)
                guard parts.count >= 3, (try? name.wholeMatch(in: parts[2])) != nil else {
                    throw CamError.internalError("metrics line \(n + 1): bad comment '\(line)'")
                }
                if parts[1] == "TYPE" {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                        throw CamError.internalError("metrics line \(n + 1): bad TYPE '\(line)'")
                    }
                    typed.insert(String(parts[2]))
                }
                continue
            }
            if line.hasPrefix("#") { continue }
            guard let m = try? sample.wholeMatch(in: line), let v = Double(m.output.5 == "+Inf" ? "inf" : String(m.output.5)) else {
                throw CamError.internalError("metrics line \(n + 1): not a sample '\(line)'")
            }
            let metric = String(m.output.1)
            let family = ["_bucket", "_sum", "_count", "_total"].reduce(metric) { f, s in
                typed.contains(f) || !f.hasSuffix(s) ? f : String(f.dropLast(s.count))
            }
            guard typed.contains(metric) || typed.contains(family) else {
                throw CamError.internalError("metrics line \(n + 1): sample of \(metric) before its TYPE")
            }
            values[metric, default: 0] += v
        }
        return values
    }
}
