// `fer-bench soak`: runs the real fer-cam binary (test camera, stream on loopback,
// detection log in a work folder) for --minutes while MJPEG viewers and /events
// clients connect and drop (a few at a time, random lifetimes, some never read),
// the log is rotated like logrotate (rename, then SIGHUP) every --sighup-every s
// and the test camera vanishes every --fault-every s (--test-fault repeats per
// reopen). Samples RSS, open fds and threads from /proc every --sample-every s,
// then SIGTERMs fer-cam and checks all log files together (DetectionLogCheck).
// Prints the samples and the verdicts (flat: FlatnessRule; log_ok). Exits 1 when
// the log check fails or fer-cam died or would not stop; a non-flat run is
// reported, not failed. Loopback only; never touches a real camera.
import ArgumentParser
import FERCam
import FERTraining
import FERStream
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

struct SoakBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Run fer-cam for minutes under churning viewers, log rotation and camera faults; check memory, fds, threads and the log.")

    @Option(help: "Minutes to run (warm-up: the first fifth, at least 1 min, at most half).") var minutes = 15.0
    @Option(name: .customLong("fer-cam"), help: "The fer-cam binary (default: $FERCAM_BINARY, .build/release/fer-cam, then next to fer-bench).") var ferCam: String?
    @Option(help: "Loopback port for fer-cam's stream (0: a free one).") var port = 0
    @Option(help: "Seconds between camera faults (the test camera vanishes after this many seconds of frames at 30 fps).") var faultEvery = 180.0
    @Option(help: "Seconds the camera stays away at each fault.") var faultDown = 2.0
    @Option(help: "Seconds between log rotations (rename the log to LOG.k, then SIGHUP).") var sighupEvery = 60.0
    @Option(help: "Seconds between /proc samples.") var sampleEvery = 10.0
    @Option(help: "Most MJPEG viewers connected at once.") var viewers = 4
    @Option(help: "Most /events (SSE) clients connected at once.") var sseClients = 3
    @Option(help: "Most never-reading MJPEG viewers connected at once.") var stalled = 1
    @Option(help: "Folder for the log and fer-cam's stderr (default: a new one under the temp folder).") var workDir: String?
    @Option(help: "Seed for client arrivals and lifetimes (default: random).") var seed: UInt64?
    @Option(help: "Seconds to wait for fer-cam to exit after SIGTERM before SIGKILL.") var stopTimeout = 20.0
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard minutes > 0, minutes <= 24 * 60 else { throw ValidationError("--minutes \(minutes): give 0 < minutes <= 1440") }
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port): give 0 (a free port) or 1-65535") }
        guard faultEvery >= 1, faultDown >= 0, sighupEvery >= 1, sampleEvery >= 1, stopTimeout > 0 else {
            throw ValidationError("--fault-every, --sighup-every and --sample-every must be >= 1 s; --fault-down >= 0; --stop-timeout > 0")
        }
        guard (0...16).contains(viewers), (0...16).contains(sseClients), (0...8).contains(stalled) else {
            throw ValidationError("--viewers and --sse-clients: 0-16 each, --stalled: 0-8 (fer-cam serves 32 at once by default)")
        }
        _ = try binary()
    }

    /// The fer-cam binary to run: --fer-cam, $FERCAM_BINARY, .build/release/fer-cam, or beside fer-bench.
    func binary() throws -> String { try FerCamBinary.locate(flag: ferCam) }

    var warmupSeconds: Double { min(minutes * 30, max(60, minutes * 12)) }

    func run() throws {
        let binary = try binary()
        let dir = workDir ?? (NSTemporaryDirectory() + "fer-soak-\(getpid())-\(Int(Date().timeIntervalSince1970))")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let logPath = dir + "/events.jsonl", errPath = dir + "/fer-cam.stderr"
        let port = self.port == 0 ? try freeLoopbackPort() : self.port
        let arguments = ["--source", "test", "--test-fault", "drop-after=\(Int(faultEvery * 30)),down=\(faultDown)",
                         "--stream", "127.0.0.1:\(port)", "--log", logPath]
        let usedSeed = seed ?? UInt64.random(in: 0...UInt64.max)
        var rng = SplitMix64(seed: usedSeed)   // FERTraining's seeded generator: a --seed replays the schedule

        // Launch.
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
        let pid = process.processIdentifier
        let t0 = monotonicNanos()
        func now() -> Double { Double(monotonicNanos() - t0) / 1e9 }
        func stderrTail() -> String { String((try? String(contentsOfFile: errPath, encoding: .utf8))?.suffix(1500) ?? "") }

        // Ready when /healthz answers 200 (frames flow).
        var ready = false
        while now() < 60, process.isRunning {
            if let r = httpGet(port: port, path: "/healthz"), r.status == 200 { ready = true; break }
            usleep(250_000)
        }
        guard ready else {
            if process.isRunning { kill(pid, SIGKILL) }
            throw SoakFailure(text: "fer-cam did not become healthy within 60 s on 127.0.0.1:\(port) (\(binary) \(arguments.joined(separator: " "))); its stderr:\n\(stderrTail())")
        }
        // The quiet start: once start-up has opened all it keeps (the count unchanged for 3 s, at most 20 s).
        var quietStart = ProcSampler.sample(pid: pid, t: now())
        var unchangedSince = now()
        while process.isRunning, now() < unchangedSince + 3, let s = quietStart, s.t < 20 {
            usleep(500_000)
            guard let next = ProcSampler.sample(pid: pid, t: now()) else { break }
            if next.fds != s.fds { unchangedSince = next.t }
            quietStart = next
        }
        let quietStartKinds = ProcSampler.descriptorKinds(pid: pid)

        // The run: clients churn, the log rotates, samples every sampleEvery s.
        let tally = ClientTally()
        var clients: [SoakClient] = []
        var samples: [(ProcSample, Int)] = []   // sample, bench clients open then
        var lastMetrics: [String: Double] = [:]
        var metricsFailures = 0
        var rotations = 0, reopensSeen = 0
        var pendingReopen: Double?               // deadline to see the new log file
        var nextSample = 0.0, nextRotation = sighupEvery
        let end = minutes * 60
        var diedEarly = false
        while now() < end {
            guard process.isRunning else { diedEarly = true; break }
            let t = now()
            clients.removeAll { $0.finished }
            if t >= nextSample {
                while nextSample <= t { nextSample += sampleEvery }   // on the grid; no catch-up burst after start-up
                if let s = ProcSampler.sample(pid: pid, t: t) { samples.append((s, clients.count)) }
                if let m = httpGet(port: port, path: "/metrics"), m.status == 200 { lastMetrics = parseMetrics(m.body) } else { metricsFailures += 1 }
            }
            if t >= nextRotation {
                nextRotation += sighupEvery
                rotations += 1
                if rename(logPath, logPath + ".\(rotations)") == 0 || errno == ENOENT {
                    kill(pid, SIGHUP)
                    pendingReopen = t + 5
                }
            }
            if let deadline = pendingReopen {
                if FileManager.default.fileExists(atPath: logPath) { reopensSeen += 1; pendingReopen = nil } else if t > deadline { pendingReopen = nil }
            }
            for (kind, limit, lifetime) in [(SoakClient.Kind.viewer, viewers, 2.0...20.0), (.events, sseClients, 2.0...30.0), (.stalled, stalled, 5.0...40.0)] {
                guard clients.count(where: { $0.kind == kind }) < limit, Double(rng.uniform(0, 1)) < 0.1 else { continue }
                let life = lifetime.lowerBound + Double(rng.uniform(0, 1)) * (lifetime.upperBound - lifetime.lowerBound)
                clients.append(SoakClient(kind: kind, port: port, lifetime: life, reset: Double(rng.uniform(0, 1)) < 0.3, tally: tally))
            }
            usleep(250_000)
        }

        // Wind down: clients off, a quiet sample, then SIGTERM and a bounded wait.
        clients.forEach { $0.stop() }
        clients.forEach { $0.join() }
        // The quiet end: once the server has let go of the departed clients. It notices a closed
        // socket on its next read or write; a stalled viewer's blocked write waits out
        // StreamLimits.stalledAfter. So: fds back to the quiet start, or that bound + 10 s.
        var quietEnd: ProcSample?
        var quietEndKinds: [String: Int] = [:]
        let clientsStopped = now()
        if !diedEarly {
            let bound = Double(StreamLimits().stalledAfter.components.seconds) + 10
            repeat {
                usleep(500_000)
                quietEnd = ProcSampler.sample(pid: pid, t: now())
            } while process.isRunning && (quietEnd?.fds ?? 0) > (quietStart?.fds ?? Int.max) && now() < clientsStopped + bound
            quietEndKinds = ProcSampler.descriptorKinds(pid: pid)
            if let s = quietEnd { samples.append((s, 0)) }
            if let m = httpGet(port: port, path: "/metrics"), m.status == 200 { lastMetrics = parseMetrics(m.body) }
        }
        let stopAt = now()
        if process.isRunning { kill(pid, SIGTERM) }
        while process.isRunning, now() - stopAt < stopTimeout { usleep(100_000) }
        var killed = false
        if process.isRunning { kill(pid, SIGKILL); killed = true; process.waitUntilExit() }
        let stopSeconds = now() - stopAt
        let exitStatus = process.terminationStatus
        let bySignal = process.terminationReason == .uncaughtSignal

        // The log, all files in order: events.jsonl.1 … .k, then events.jsonl.
        let stderrText = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        let reported = reportedEvents(stderrText)
        let files = (1...max(1, rotations)).map { logPath + ".\($0)" } + [logPath]
        let present = files.filter { FileManager.default.fileExists(atPath: $0) }
        let log = try DetectionLogCheck.check(paths: present, requireEnded: !diedEarly && !killed, expectedEvents: reported)
        let ferCamFailed = diedEarly || killed || bySignal || exitStatus != 0
        var figures: SoakFigures?
        if !samples.isEmpty { figures = SoakFigures(samples: samples.map(\.0), warmupSeconds: warmupSeconds, quietStart: quietStart, quietEnd: quietEnd) }
        let rule = FlatnessRule()
        let verdict: (flat: Bool, reasons: [String]) = figures?.verdict(rule) ?? (false, ["no samples (fer-cam died at once?)"])
        let counts: [String: Any] = [
            "log_lines": log.lines, "log_files": log.files, "detection_events": log.detectionEvents,
            "events_reported_by_fer_cam": reported.map { $0 as Any } ?? NSNull(),
            "tracks_started": log.tracksStarted, "tracks_ended": log.tracksEnded,
            "camera_faults_seen": log.cameraLost, "camera_faults_expected_about": Int(now() / (faultEvery + faultDown)),
            "viewers_served": tally.get(\.viewersServed), "sse_clients_served": tally.get(\.eventsServed),
            "stalled_viewers": tally.get(\.stalledOpened), "clients_refused_503": tally.get(\.refused), "client_errors": tally.get(\.errors),
            "sighups": rotations, "log_reopens_seen": reopensSeen, "metrics_failures": metricsFailures,
            "frames_captured": Int(lastMetrics["fer_frames_captured_total"] ?? -1), "frames_dropped": Int(lastMetrics["fer_frames_dropped_total"] ?? -1),
            "stream_clients_stalled_total": Int(lastMetrics["fer_stream_clients_stalled_total"] ?? -1),
            "stream_clients_refused_total": Int(lastMetrics["fer_stream_clients_refused_total"] ?? -1),
        ]
        let exitInfo: [String: Any] = ["status": Int(exitStatus), "by_signal": bySignal, "died_early": diedEarly, "killed_after_timeout": killed,
                                       "stop_seconds": (stopSeconds * 100).rounded() / 100]

        if json {
            var summary: [String: Any] = [
                "warmup_s": warmupSeconds, "counts": counts, "fer_cam_exit": exitInfo,
                "flat": verdict.flat, "flat_rule": rule.text, "flat_problems": verdict.reasons,
                "log_ok": log.ok, "log_problem": log.firstProblem.map { $0 as Any } ?? NSNull(), "log_problems": log.problems, "log_problem_count": log.problemCount,
            ]
            if let f = figures {
                summary["rss_kb"] = ["warmup_end": f.rssWarmupKB, "end": f.rssEndKB, "max": f.rssMaxKB]
                summary["rss_growth_kb_per_hour"] = f.rssGrowthKBPerHour.rounded()
                summary["fds"] = ["min_after_warmup": f.fdsMin, "max_after_warmup": f.fdsMax,
                                  "quiet_start": quietStart.map { $0.fds as Any } ?? NSNull(), "quiet_end": quietEnd.map { $0.fds as Any } ?? NSNull(),
                                  "quiet_start_t_s": quietStart.map { (($0.t * 10).rounded() / 10) as Any } ?? NSNull(),
                                  "quiet_end_s_after_clients": quietEnd.map { ((($0.t - clientsStopped) * 10).rounded() / 10) as Any } ?? NSNull(),
                                  "quiet_start_kinds": quietStartKinds, "quiet_end_kinds": quietEndKinds]
                summary["threads"] = ["min_after_warmup": f.threadsMin, "max_after_warmup": f.threadsMax, "max_during_warmup": f.threadsMaxWarmup]
            }
            let object: [String: Any] = [
                "benchmark": "soak", "minutes": minutes, "fer_cam": binary, "arguments": arguments, "work_dir": dir, "seed": String(usedSeed),
                "fault_every_s": faultEvery, "sighup_every_s": sighupEvery, "sample_every_s": sampleEvery,
                "max_clients": ["viewers": viewers, "sse": sseClients, "stalled": stalled],
                "samples": samples.map { ["t_s": ($0.0.t * 10).rounded() / 10, "rss_kb": $0.0.rssKB, "fds": $0.0.fds, "threads": $0.0.threads, "bench_clients": $0.1] },
                "summary": summary,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("fer-cam \(binary) \(arguments.joined(separator: " "))")
            print("work folder \(dir), seed \(usedSeed)")
            print("   t (s)   RSS (MB)    fds  threads  clients")
            for (s, c) in samples { print(String(format: "%8.0f %10.1f %6d %8d %8d", s.t, Double(s.rssKB) / 1024, s.fds, s.threads, c)) }
            if let f = figures {
                print(String(format: "RSS: %.1f MB at warm-up end (%.0f s), %.1f MB at end, %.1f MB max; growth %.1f MB/h",
                             Double(f.rssWarmupKB) / 1024, warmupSeconds, Double(f.rssEndKB) / 1024, Double(f.rssMaxKB) / 1024, f.rssGrowthKBPerHour / 1024))
                print("fds after warm-up \(f.fdsMin)-\(f.fdsMax) (quiet: \(quietStart?.fds ?? -1) at start, \(quietEnd?.fds ?? -1) at end); threads \(f.threadsMin)-\(f.threadsMax) (warm-up max \(f.threadsMaxWarmup))")
                func kindsText(_ k: [String: Int]) -> String { k.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
                print("quiet fds by kind: at start \(kindsText(quietStartKinds)); at end \(kindsText(quietEndKinds))")
            }
            for (k, v) in counts.sorted(by: { $0.key < $1.key }) { print("  \(k): \(v)") }
            print("fer-cam exit: status \(exitStatus)\(bySignal ? " (signal)" : "")\(diedEarly ? ", DIED during the run" : "")\(killed ? ", KILLED after \(stopTimeout) s" : ""), stopped in \(String(format: "%.1f", stopSeconds)) s")
            print("flat: \(verdict.flat) (\(rule.text))")
            for r in verdict.reasons { print("  not flat: \(r)") }
            print("log ok: \(log.ok)")
            for p in log.problems { print("  log: \(p)") }
        }
        if ferCamFailed || !log.ok {
            if ferCamFailed { FileHandle.standardError.write(Data("fer-cam failed (see \(errPath)):\n\(stderrTail())\n".utf8)) }
            throw ExitCode(1)
        }
    }

    /// The N of fer-cam's last "done: … N events" line.
    func reportedEvents(_ stderr: String) -> Int? {
        guard let line = stderr.split(separator: "\n").last(where: { $0.contains("done: ") && $0.hasSuffix(" events") }) else { return nil }
        return line.split(separator: " ").dropLast().last.flatMap { Int($0) }
    }
}

/// A soak that could not run (exit 1, not a usage error).
struct SoakFailure: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}

/// Unlabelled Prometheus samples ("name value"), e.g. fer_frames_captured_total.
func parseMetrics(_ text: String) -> [String: Double] {
    var out: [String: Double] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.contains("{") {
        let parts = line.split(separator: " ")
        if parts.count == 2, let v = Double(parts[1]) { out[String(parts[0])] = v }
    }
    return out
}

/// Counts from all soak clients.
final class ClientTally: Sendable {
    struct Counts { var viewersServed = 0, eventsServed = 0, stalledOpened = 0, refused = 0, errors = 0 }
    private let counts = Locked(Counts())
    func add(_ update: (inout Counts) -> Void) { counts.withLock { update(&$0) } }
    func get(_ key: KeyPath<Counts, Int>) -> Int { counts.withLock { $0[keyPath: key] } }
}

/// A port the kernel says is free on 127.0.0.1 now (bound and released; fer-cam binds it next).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &addr) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
    }
    guard ok else { throw ValidationError("cannot find a free port on 127.0.0.1 (errno \(errno)); pass --port") }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// A connected loopback TCP socket, or nil; timeoutMs bounds each send and
/// receive (0: block without a limit). receiveBuffer sets SO_RCVBUF.
func connectLoopback(port: Int, receiveBuffer: Int32? = nil, timeoutMs: Int = 250) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
    var tv = timeval(tv_sec: timeoutMs / 1000, tv_usec: (timeoutMs % 1000) * 1000)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    guard rc == 0 else { close(fd); return nil }
    return fd
}

func sendAll(_ fd: Int32, _ text: String) -> Bool {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
}

/// GET on 127.0.0.1 with Connection: close, read to EOF (at most 2 s, 4 MB); nil on any failure.
func httpGet(port: Int, path: String) -> (status: Int, body: String)? {
    guard let fd = connectLoopback(port: port, timeoutMs: 2000) else { return nil }
    defer { close(fd) }
    guard sendAll(fd, "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n") else { return nil }
    var data = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while data.count < 4 << 20 {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        data += buffer[0..<n]
    }
    let text = String(decoding: data, as: UTF8.self)
    guard text.hasPrefix("HTTP/1."), let status = Int(text.dropFirst(9).prefix(3)) else { return nil }
    let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
    return (status, body)
}

/// One churning client on its own thread: an MJPEG viewer or /events client that reads
/// for its lifetime, or a viewer that never reads. Closes at the end of its lifetime (with
/// a TCP reset when `reset`) or at stop().
final class SoakClient: @unchecked Sendable {
    enum Kind { case viewer, events, stalled }
    let kind: Kind
    private let stopFlag = Atomic<Bool>(false)
    private let done = Atomic<Bool>(false)

    var finished: Bool { done.load(ordering: .acquiring) }

    init(kind: Kind, port: Int, lifetime: Double, reset: Bool, tally: ClientTally) {
        self.kind = kind
        let thread = Thread { [self] in
            self.body(port: port, lifetime: lifetime, reset: reset, tally: tally)
            self.done.store(true, ordering: .releasing)
        }
        thread.start()
    }

    func stop() { stopFlag.store(true, ordering: .relaxed) }
    func join() { while !finished { usleep(10_000) } }

    private func body(port: Int, lifetime: Double, reset: Bool, tally: ClientTally) {
        let deadline = monotonicNanos() + UInt64(lifetime * 1e9)
        func running() -> Bool { !stopFlag.load(ordering: .relaxed) && monotonicNanos() < deadline }
        let path = kind == .events ? "/events" : "/stream.mjpg"
        guard let fd = connectLoopback(port: port, receiveBuffer: kind == .stalled ? 4096 : nil),
              sendAll(fd, "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") else {
            tally.add { $0.errors += 1 }
            return
        }
        defer {
            if reset {
                var l = linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
            }
            close(fd)
        }
        if kind == .stalled {
            tally.add { $0.stalledOpened += 1 }
            while running() { usleep(100_000) }
            return
        }
        var head = [UInt8]()           // the first 64 kB, to see the status and a first part or event
        var counted = false
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while running() {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            if n < 0 { if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue } else { break } }
            guard !counted else { continue }
            head += buffer[0..<min(n, 65536 - head.count)]
            let text = String(decoding: head, as: UTF8.self)
            if text.hasPrefix("HTTP/1.1 503") || text.hasPrefix("HTTP/1.0 503") {
                tally.add { $0.refused += 1 }
                return
            }
            let served = kind == .events ? text.contains("\ndata:") : text.contains("image/jpeg") && head.count > 2048
            if text.hasPrefix("HTTP/1.1 200"), served {
                counted = true
                tally.add { if self.kind == .events { $0.eventsServed += 1 } else { $0.viewersServed += 1 } }
            } else if head.count >= 65536 {
                counted = true
                tally.add { $0.errors += 1 }
            }
        }
    }
}
