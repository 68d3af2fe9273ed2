// `fer-bench mqtt`: N real fer-cam processes (--source test: the synthetic
// camera, paced at 30 fps, dropping frames when behind like a camera) publish
// to one local mosquitto the bench starts itself (FERHarness.LocalBroker: own
// temp config, free loopback port); one mosquitto_sub subscribes to every
// camera's events and state and stamps each receipt (%U). Two phases of the
// same length: the N cameras without --mqtt, then with it. Reports messages
// per second, latency from the frame's capture (the event's "time" field,
// milliseconds) to the subscriber's receipt, CPU seconds of the fer-cam
// processes (/proc/PID/stat, after a warm-up) in both phases and the
// difference per camera as a fraction of a core, lines logged but never
// received (lost) and duplicates. Reports only; asserts no duration. Exits 1
// when a line was lost or a fer-cam failed.
import ArgumentParser
import FERHarness
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct MQTTBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqtt",
        abstract: "N fer-cam test cameras publishing to a local mosquitto: messages/s, latency, CPU spent on MQTT, losses.")

    @Option(help: "fer-cam processes (test cameras) at once.") var cameras = 8
    @Option(help: "Minutes measured per phase (without, then with MQTT); a warm-up comes before each.") var minutes = 10.0
    @Option(help: "Seconds at the start of each phase left out of the CPU figures (default: a fifth of the phase, at most 30).") var warmup: Double?
    @Option(name: .customLong("fer-cam"), help: "The fer-cam binary (default: $FERCAM_BINARY, .build/release/fer-cam, then next to fer-bench).") var ferCam: String?
    @Option(help: "Folder for logs, stderr and the broker (default: a new one under the temp folder).") var workDir: String?
    @Flag(help: "Print one JSON object.") var json = false

    static let sub = "/usr/bin/mosquitto_sub", pub = "/usr/bin/mosquitto_pub"

    func validate() throws {
        guard (1...64).contains(cameras) else { throw ValidationError("--cameras \(cameras): give 1-64") }
        guard minutes > 0, minutes <= 24 * 60 else { throw ValidationError("--minutes \(minutes): give 0 < minutes <= 1440") }
        if let warmup, warmup < 0 { throw ValidationError("--warmup \(warmup): give 0 or more seconds") }
        for tool in [Self.sub, Self.pub] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw ValidationError("\(tool) not found: install Debian's mosquitto-clients (apt-get install mosquitto mosquitto-clients)")
        }
        _ = try FerCamBinary.locate(flag: ferCam)
    }

    var measuredSeconds: Double { minutes * 60 }
    var warmupSeconds: Double { warmup ?? min(30, measuredSeconds / 5) }

    func run() throws {
        let binary = try FerCamBinary.locate(flag: ferCam)
        let dir = workDir ?? (NSTemporaryDirectory() + "fer-mqtt-bench-\(getpid())-\(Int(Date().timeIntervalSince1970))")
        try FileManager.default.createDirectory(atPath: dir + "/broker", withIntermediateDirectories: true)
        let broker = try LocalBroker(dir: dir + "/broker", logAll: false)
        try broker.start()
        defer { broker.stop() }
        let subFile = dir + "/subscriber.out"
        let subscriber = try SpawnedProcess(Self.sub, ["-h", "127.0.0.1", "-p", "\(broker.port)", "-q", "1", "-F", "%U %t %p",
                                                       "-t", "fer-cam/+/events", "-t", "fer-cam/+/state", "-t", "fer-bench/ready"],
                                            stdout: subFile, stderr: dir + "/subscriber.stderr")
        defer { subscriber.kill(SIGTERM); subscriber.wait() }
        try waitUntilSubscribed(port: broker.port, file: subFile)

        let baseline = try runPhase("baseline", binary: binary, dir: dir, mqtt: nil)
        let withMQTT = try runPhase("mqtt", binary: binary, dir: dir, mqtt: broker.url)
        // fer-cam drains its queue before it exits; give the subscriber a moment to write the last ones (bounded).
        var last = -1, stableSince = Date()
        let deadline = Date(timeIntervalSinceNow: 60)
        while Date() < deadline {
            let n = Self.receipts(subFile).count
            if n != last { last = n; stableSince = Date() } else if Date().timeIntervalSince(stableSince) >= 3 { break }
            usleep(200_000)
        }

        let all = Self.receipts(subFile)
        var checks: [(name: String, check: DeliveryCheck)] = []
        for k in 1...cameras {
            let name = "cam\(k)"
            let logged = Self.lines(withMQTT.logs[k - 1])
            let got = all.filter { $0.topic == "fer-cam/\(name)/events" }.map { Receipt(receivedAt: $0.time, payload: $0.payload) }
            checks.append((name, DeliveryCheck(logged: logged, received: got)))
        }
        let events = all.filter { $0.topic.hasSuffix("/events") }.count, states = all.filter { $0.topic.hasSuffix("/state") }.count
        let latencies = checks.flatMap { $0.check.latencies }.map { $0 * 1000 }.sorted()
        let lost = checks.reduce(0) { $0 + $1.check.lost }, duplicates = checks.reduce(0) { $0 + $1.check.duplicates }
        let baseCore = baseline.coresPerCamera, mqttCore = withMQTT.coresPerCamera
        let failed = baseline.failures + withMQTT.failures
        func r(_ v: Double, _ digits: Double = 1000) -> Double { v.isFinite ? (v * digits).rounded() / digits : -1 }

        let report: [String: Any] = [
            "cameras": cameras, "minutes": minutes, "warmup_s": warmupSeconds, "source": "test (30 fps, paced)",
            "messages_per_second": r(Double(events + states) / withMQTT.seconds),
            "events_per_second": r(Double(events) / withMQTT.seconds),
            "state_per_second": r(Double(states) / withMQTT.seconds),
            "latency_ms": ["p50": r(percentile(latencies, 0.5), 10), "p99": r(percentile(latencies, 0.99), 10),
                           "max": r(latencies.last ?? .nan, 10), "count": latencies.count,
                           "measures": "frame capture (the event's \"time\", ms resolution) to mosquitto_sub's receipt (%U): detection, classification, tracking, log, MQTT queue, broker, subscriber; first copy of each line"],
            "cpu": ["window_s": r(withMQTT.window, 10),
                    "baseline_core_per_camera": r(baseCore, 10000), "mqtt_core_per_camera": r(mqttCore, 10000),
                    "mqtt_cost_core_per_camera": r(mqttCore - baseCore, 10000),
                    "baseline_cpu_s": baseline.cpuSeconds.map { r($0, 100) }, "mqtt_cpu_s": withMQTT.cpuSeconds.map { r($0, 100) },
                    "measures": "utime+stime of each fer-cam from /proc/PID/stat over the window after the warm-up; cost = with - without, per camera, in cores"],
            "logged": checks.reduce(0) { $0 + $1.check.logged }, "received_events": events,
            "lost": lost, "duplicates": duplicates,
            "per_camera": checks.map { ["name": $0.name, "logged": $0.check.logged, "received": $0.check.received,
                                        "lost": $0.check.lost, "duplicates": $0.check.duplicates] },
            "fer_cam_failures": failed, "work_dir": dir,
        ]
        if json {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("mqtt: \(cameras) test cameras, \(minutes) min per phase (+\(warmupSeconds) s warm-up), broker \(broker.url), work dir \(dir)")
            print(String(format: "messages %.2f/s (events %.2f/s, state %.2f/s)", Double(events + states) / withMQTT.seconds,
                         Double(events) / withMQTT.seconds, Double(states) / withMQTT.seconds))
            print(String(format: "latency capture → subscriber: p50 %.1f ms, p99 %.1f ms (%d lines)",
                         percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.count))
            print(String(format: "CPU per camera: %.4f cores without MQTT, %.4f with, MQTT costs %.4f cores", baseCore, mqttCore, mqttCore - baseCore))
            print("lines: \(checks.reduce(0) { $0 + $1.check.logged }) logged, \(events) received, \(lost) lost, \(duplicates) duplicates")
            for f in failed { print("FAILED: \(f)") }
        }
        if lost > 0 || !failed.isEmpty { throw ExitCode(1) }
    }

    // MARK: - Phases

    struct Phase {
        var logs: [String]
        var cpuSeconds: [Double]   // per camera, over the window
        var window: Double         // seconds measured
        var seconds: Double        // start of the processes to SIGTERM
        var failures: [String]
        var coresPerCamera: Double { cpuSeconds.reduce(0, +) / Double(max(1, cpuSeconds.count)) / max(window, 1e-9) }
    }

    /// Starts the cameras, measures CPU after the warm-up, SIGTERMs them and waits for the exits (bounded).
    func runPhase(_ label: String, binary: String, dir: String, mqtt: String?) throws -> Phase {
        var logs: [String] = [], errs: [String] = [], procs: [SpawnedProcess] = []
        let started = Date()
        for k in 1...cameras {
            let log = "\(dir)/\(label)-cam\(k).jsonl", err = "\(dir)/\(label)-cam\(k).stderr"
            var args = ["--source", "test", "--log", log]
            if let mqtt { args += ["--mqtt", mqtt, "--name", "cam\(k)"] }
            procs.append(try SpawnedProcess(binary, args, stderr: err))
            logs.append(log)
            errs.append(err)
        }
        Thread.sleep(forTimeInterval: warmupSeconds)
        let cpu0 = procs.map { ProcessCPU.seconds(pid: $0.pid) ?? .nan }
        let t0 = Date()
        Thread.sleep(forTimeInterval: measuredSeconds)
        let cpu1 = procs.map { ProcessCPU.seconds(pid: $0.pid) ?? .nan }
        let window = Date().timeIntervalSince(t0), seconds = Date().timeIntervalSince(started)
        var failures: [String] = []
        for (k, p) in procs.enumerated() {
            if !p.isRunning { failures.append("\(label) cam\(k + 1) exited early with \(p.wait()) (stderr: \(errs[k]))") }
            p.kill(SIGTERM)
        }
        for (k, p) in procs.enumerated() {
            let deadline = Date(timeIntervalSinceNow: 60)
            while p.isRunning && Date() < deadline { usleep(50_000) }
            if p.isRunning {
                p.kill(SIGKILL)
                failures.append("\(label) cam\(k + 1) did not stop within 60 s of SIGTERM (stderr: \(errs[k]))")
            } else if p.wait() != 0, !failures.contains(where: { $0.hasPrefix("\(label) cam\(k + 1) ") }) {
                failures.append("\(label) cam\(k + 1) exited with \(p.wait()) (stderr: \(errs[k]))")
            }
        }
        return Phase(logs: logs, cpuSeconds: zip(cpu0, cpu1).map { $1 - $0 }, window: window, seconds: seconds, failures: failures)
    }

    /// Publishes probes until the subscriber shows one (30 s at most).
    func waitUntilSubscribed(port: Int, file: String) throws {
        let deadline = Date(timeIntervalSinceNow: 30)
        while Date() < deadline {
            let p = try SpawnedProcess(Self.pub, ["-h", "127.0.0.1", "-p", "\(port)", "-t", "fer-bench/ready", "-m", "ready", "-q", "1"])
            p.wait()
            if Self.receipts(file).contains(where: { $0.topic == "fer-bench/ready" }) { return }
            usleep(200_000)
        }
        throw ValidationError("mosquitto_sub on 127.0.0.1:\(port) got no probe within 30 s (see \(file) and its .stderr)")
    }

    // MARK: - Files

    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// `%U %t %p` lines of mosquitto_sub: receipt time (Unix seconds), topic, payload.
    static func receipts(_ path: String) -> [(time: Double, topic: String, payload: String)] {
        lines(path).compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, let t = Double(parts[0]) else { return nil }
            return (t, String(parts[1]), parts.count > 2 ? String(parts[2]) : "")
        }
    }
}
