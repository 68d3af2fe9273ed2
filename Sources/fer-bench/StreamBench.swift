// `fer-bench stream`: cost of serving the MJPEG stream. A feeder thread publishes a
// ready-made JPEG-sized frame at --fps into a StreamHub served on 127.0.0.1; 1 and then 10
// raw-socket viewers (own threads) read /stream.mjpg. Reports frames/s per viewer, server
// CPU (process CPU minus the viewer threads, from /proc/self/task) per viewer, and latency
// publish → part fully received (loopback) p50/p99, and the publish rate reached. With
// --stalled N, N more viewers connect with a 4 kB receive buffer and never read, so the
// figures show what a stuck viewer costs the others (the speed side of the stream tests,
// which check only behaviour). Does not encode JPEG (the pipeline does).
import ArgumentParser
import FERStream
import Foundation
import Synchronization
import Logging
#if canImport(Glibc)
import Glibc
#endif

struct StreamBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stream", abstract: "MJPEG stream: frames/s, CPU per viewer, publish→receive latency for 1 and 10 viewers.")

    @Option(help: "Frames published per second.") var fps = 30.0
    @Option(help: "Bytes per frame (a JPEG of about this size is synthesised; a 640×480 q80 frame is ~40 kB).") var frameBytes = 40_000
    @Option(help: "A JPEG file to publish instead of the synthetic frame.") var jpeg: String?
    @Option(help: "Viewer counts to measure, comma separated.") var viewers = "1,10"
    @Option(help: "Measured seconds per viewer count (after 1 s warm-up).") var seconds = 5.0
    @Option(help: "Viewers that connect and never read, present during every run (the server closes them after \(StreamLimits().stalledAfter) stalled).") var stalled = 0
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard fps > 0, seconds > 0, frameBytes >= 4 else { throw ValidationError("--fps, --seconds and --frame-bytes must be positive") }
        guard (0...100).contains(stalled) else { throw ValidationError("--stalled \(stalled): give 0 to 100 never-reading viewers") }
        guard !viewerCounts.isEmpty, viewerCounts.allSatisfy({ $0 > 0 && $0 <= 500 }) else {
            throw ValidationError("--viewers '\(viewers)': give counts from 1 to 500, comma separated, e.g. 1,10")
        }
        if let jpeg, !FileManager.default.fileExists(atPath: jpeg) { throw ValidationError("--jpeg \(jpeg): no such file") }
    }

    var viewerCounts: [Int] { viewers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() throws {
        let frame: [UInt8]
        if let jpeg { frame = Array(try Data(contentsOf: URL(fileURLWithPath: jpeg))) } else { frame = Self.syntheticJPEG(bytes: frameBytes) }
        let settings = (fps: fps, seconds: seconds, counts: viewerCounts, stalled: stalled)
        let results = try waitBlocking {
            try await Self.measure(frame: frame, fps: settings.fps, seconds: settings.seconds, counts: settings.counts, stalled: settings.stalled)
        }
        let one = results.first { $0.viewers == 1 }, ten = results.first { $0.viewers == 10 }
        var extraPercent: Double?
        if let one, let ten, one.serverCPU > 0 { extraPercent = (ten.serverCPU / one.serverCPU - 1) * 100 }
        if json {
            var object: [String: Any] = [
                "benchmark": "stream", "frame_bytes": frame.count, "publish_fps": fps, "seconds": seconds, "stalled_viewers": stalled,
                "cores": ProcessInfo.processInfo.activeProcessorCount,
                "runs": results.map(\.json),
            ]
            if let extraPercent { object["server_cpu_10_vs_1_extra_percent"] = (extraPercent * 10).rounded() / 10 }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("frame \(frame.count) bytes at \(fps) fps, \(seconds) s per run, \(stalled) stalled viewers")
            for r in results {
                print(String(format: "%3d viewers: %.1f frames/s published, %.1f frames/s per viewer (%.1f served), server CPU %.2f%% of a core (%.3f%% per viewer), latency p50 %.2f ms p99 %.2f ms",
                             r.viewers, r.fpsPublished, r.fpsPerViewer, r.fpsServed, r.serverCPU * 100, r.serverCPU * 100 / Double(r.viewers), r.latencyP50 * 1000, r.latencyP99 * 1000))
            }
            if let extraPercent { print(String(format: "10 viewers cost %.1f%% more server CPU than 1", extraPercent)) }
        }
    }

    struct Run {
        var viewers: Int
        var fpsPerViewer: Double
        var fpsServed: Double
        var fpsPublished: Double
        var serverCPU: Double      // core-seconds per second, all server work (NIO, handlers, publish)
        var processCPU: Double
        var latencyP50: Double
        var latencyP99: Double
        var json: [String: Any] {
            func r(_ x: Double, _ digits: Double = 1000) -> Double { (x * digits).rounded() / digits }
            return ["viewers": viewers, "frames_per_s_published": r(fpsPublished, 10), "frames_per_s_per_viewer": r(fpsPerViewer, 10), "frames_per_s_served": r(fpsServed, 10),
                    "server_cpu_percent_of_core": r(serverCPU * 100), "server_cpu_percent_per_viewer": r(serverCPU * 100 / Double(viewers)),
                    "process_cpu_percent_of_core": r(processCPU * 100),
                    "latency_ms_p50": r(latencyP50 * 1000), "latency_ms_p99": r(latencyP99 * 1000), "latency_unit": "publish to last byte received, loopback"]
        }
    }

    static func measure(frame: [UInt8], fps: Double, seconds: Double, counts: [Int], stalled: Int) async throws -> [Run] {
        var logger = Logger(label: "fer-bench.stream")
        logger.logLevel = .warning
        let hub = StreamHub()
        // Room for every viewer of the largest run plus the stalled ones (no 503 in a bench).
        let limits = StreamLimits(maxClients: max(StreamLimits.defaultMaxClients, (counts.max() ?? 0) + stalled))
        let server = try StreamServer(hub: hub, address: StreamAddress(host: "127.0.0.1", port: 0), token: nil, fpsCap: nil,
                                      limits: limits, logger: logger)
        let serverTask = Task { try await server.run() }
        defer { server.stop() }
        let port = try await server.port()
        let publishTimes = PublishLog()
        let feeder = BenchThread(name: "bench-feeder") { stop in
            var index = 0
            var next = monotonicNanos()
            let interval = UInt64(1e9 / fps)
            while !stop.load(ordering: .relaxed) {
                publishTimes.record(index: index, at: monotonicNanos())
                hub.publishFrame(jpeg: frame, index: index, timestamp: Double(index) / fps)
                index += 1
                next += interval
                let now = monotonicNanos()
                if next > now { usleep(UInt32((next - now) / 1000)) } else { next = now }
            }
        }
        let stuck = try (0..<stalled).map { _ in try StalledViewer(port: port) }
        defer { withExtendedLifetime(stuck) {} }
        var runs: [Run] = []
        for count in counts {
            let clients = try (0..<count).map { i in try BenchViewer(port: port, name: "bench-client-\(i)", log: publishTimes) }
            try await Task.sleep(for: .seconds(1))  // warm-up
            let cpu0 = processCPUSeconds(), clients0 = threadCPUSeconds(prefix: "bench-client"), published0 = hub.framesPublished
            clients.forEach { $0.startCounting() }
            let t0 = monotonicNanos()
            try await Task.sleep(for: .seconds(seconds))
            clients.forEach { $0.stopCounting() }
            let wall = Double(monotonicNanos() - t0) / 1e9
            let cpu1 = processCPUSeconds(), clients1 = threadCPUSeconds(prefix: "bench-client"), published1 = hub.framesPublished
            let latencies = clients.flatMap { $0.latencies() }.sorted()
            let frames = clients.map { $0.counted() }.reduce(0, +)
            let processCPU = (cpu1 - cpu0) / wall
            let serverCPU = max(0, (cpu1 - cpu0) - (clients1 - clients0)) / wall
            runs.append(Run(viewers: count, fpsPerViewer: Double(frames) / Double(count) / wall, fpsServed: Double(frames) / wall,
                            fpsPublished: Double(published1 - published0) / wall,
                            serverCPU: serverCPU, processCPU: processCPU,
                            latencyP50: percentile(latencies, 0.5), latencyP99: percentile(latencies, 0.99)))
            clients.forEach { $0.close() }
            try await Task.sleep(for: .milliseconds(300))
        }
        feeder.stop()
        server.stop()
        try await serverTask.value
        return runs
    }

    /// A byte string with JPEG structure (SOI, COM filler, EOI) of the given size: the stream
    /// only moves bytes, so their content does not change the cost measured.
    static func syntheticJPEG(bytes: Int) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xD8]
        var left = bytes - 4
        while left > 0 {
            let payload = min(65_533, max(0, left - 4))
            out += [0xFF, 0xFE, UInt8((payload + 2) >> 8), UInt8((payload + 2) & 0xFF)] + [UInt8](repeating: 0x20, count: payload)
            left -= payload + 4
        }
        return out + [0xFF, 0xD9]
    }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func monotonicNanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }


/// CPU seconds of this process's threads whose name starts with `prefix` (/proc/self/task/*/stat).
func threadCPUSeconds(prefix: String) -> Double {
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    var total = 0.0
    for tid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? [] {
        guard let stat = try? String(contentsOfFile: "/proc/self/task/\(tid)/stat", encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { continue }
        guard stat[stat.index(after: open)..<close].hasPrefix(prefix) else { continue }
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        // After "(comm) ": state is field 3, utime 14, stime 15 → indices 11 and 12 here.
        guard fields.count > 12, let u = Double(fields[11]), let k = Double(fields[12]) else { continue }
        total += (u + k) / ticks
    }
    return total
}

/// Publish times by frame index (a ring; the bench never lags by 4096 frames).
final class PublishLog: Sendable {
    private let times = Locked([UInt64](repeating: 0, count: 4096))
    func record(index: Int, at t: UInt64) { times.withLock { $0[index % 4096] = t } }
    func time(of index: Int) -> UInt64 { times.withLock { $0[index % 4096] } }
}

/// A named thread running `body` until stopped.
final class BenchThread: Sendable {
    private let stopFlag = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    init(name: String, _ body: @escaping @Sendable (borrowing Atomic<Bool>) -> Void) {
        let thread = Thread { [self] in
            // Linux thread name (15 bytes max), read back by threadCPUSeconds(prefix:).
            try? String(name.prefix(15)).write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            body(self.stopFlag)
            self.finished.store(true, ordering: .releasing)
        }
        thread.start()
    }

    func stop() {
        stopFlag.store(true, ordering: .relaxed)
        while !finished.load(ordering: .acquiring) { usleep(1000) }
    }
}

/// One viewer: a blocking socket on its own named thread that parses multipart parts and
/// records, while counting, each part's latency from its publish time.
final class BenchViewer: @unchecked Sendable {
    private let fd: Int32
    private let log: PublishLog
    private let lock = NSLock()
    private var counting = false
    private var count = 0
    private var samples: [Double] = []
    private var thread: BenchThread?

    init(port: Int, name: String, log: PublishLog) throws {
        self.log = log
        guard let fd = connectLoopback(port: port, timeoutMs: 0) else {   // 0: blocking reads, no timeout
            throw ValidationError("cannot connect to 127.0.0.1:\(port): errno \(errno)")
        }
        self.fd = fd
        let request = Array("GET /stream.mjpg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        thread = BenchThread(name: name) { [self] stop in self.readLoop(stop) }
    }

    func startCounting() { lock.withLock { counting = true } }
    func stopCounting() { lock.withLock { counting = false } }
    func counted() -> Int { lock.withLock { count } }
    func latencies() -> [Double] { lock.withLock { samples } }

    func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        thread?.stop()
        Glibc.close(fd)
    }

    /// Scans the (chunked) body for part headers; the chunk framing bytes never match
    /// "X-Frame-Index: ", and the payload is skipped by Content-Length.
    private func readLoop(_ stop: borrowing Atomic<Bool>) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var pending: [UInt8] = []
        var skip = 0          // payload bytes still to skip
        var currentIndex = -1
        let marker = Array("X-Frame-Index: ".utf8), lengthMarker = Array("Content-Length: ".utf8)
        while !stop.load(ordering: .relaxed) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            var start = 0
            if skip > 0 {
                let used = min(skip, n)
                skip -= used
                start = used
                if skip == 0 { partDone(currentIndex) }
            }
            if start < n { pending += buffer[start..<n] }
            while skip == 0, let headEnd = firstIndex(of: [13, 10, 13, 10], in: pending) {
                let head = pending[0..<headEnd]
                if let lengthAt = firstIndex(of: lengthMarker, in: Array(head)), let indexAt = firstIndex(of: marker, in: Array(head)) {
                    let length = Int(number(in: Array(head), at: lengthAt + lengthMarker.count)) ?? 0
                    currentIndex = Int(number(in: Array(head), at: indexAt + marker.count)) ?? -1
                    let available = pending.count - (headEnd + 4)
                    if available >= length {
                        pending.removeFirst(headEnd + 4 + length)
                        partDone(currentIndex)
                    } else {
                        skip = length - available
                        pending.removeAll(keepingCapacity: true)
                    }
                } else {
                    pending.removeFirst(headEnd + 4)  // the HTTP response head
                }
            }
        }
    }

    private func partDone(_ index: Int) {
        let now = monotonicNanos()
        let published = log.time(of: index)
        lock.withLock {
            guard counting else { return }
            count += 1
            if published > 0, now >= published { samples.append(Double(now - published) / 1e9) }
        }
    }

    private func number(in bytes: [UInt8], at i: Int) -> Substring {
        var j = i
        while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 { j += 1 }
        return Substring(String(decoding: bytes[i..<j], as: UTF8.self))
    }

    private func firstIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
            var match = true
            for k in 1..<needle.count where hay[i + k] != needle[k] { match = false; break }
            if match { return i }
        }
        return nil
    }
}

/// A viewer that asks for /stream.mjpg with a 4 kB receive buffer and never reads.
final class StalledViewer {
    private let fd: Int32

    init(port: Int) throws {
        // A small receive buffer, never read: the socket fills after a few frames.
        guard let fd = connectLoopback(port: port, receiveBuffer: 4096, timeoutMs: 0) else {
            throw ValidationError("stalled viewer: cannot connect to 127.0.0.1:\(port): errno \(errno)")
        }
        self.fd = fd
        let request = Array("GET /stream.mjpg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    deinit { Glibc.close(fd) }
}

