// Camera loss and return: ReconnectingSource and the pipeline in-process
// with a scripted failing source (fast, deterministic), and the release
// binary with `--source test --test-fault` (vanishes and comes back): the log
// reads camera lost → end events → camera streaming → new tracks, and the
// process keeps running until SIGTERM.
import Foundation
import Testing
@testable import FERCam
import FERVision

/// Delivers `framesPerLife` frames, then fails like an unplugged camera.
final class FlakyCamera: FrameSource, @unchecked Sendable {
    let name = "flaky"
    var summary: String { "flaky" }
    var isLive: Bool { true }
    var nominalFPS: Double? { nil }
    private let framesPerLife: Int
    private var delivered = 0
    private var interrupted = false
    private let lock = NSLock()
    init(framesPerLife: Int) { self.framesPerLife = framesPerLife }
    func next() throws(CamError) -> Frame? {
        lock.lock(); defer { lock.unlock() }
        if interrupted { return nil }
        guard delivered < framesPerLife else { throw .deviceUnavailable("flaky: camera disconnected (EIO)") }
        delivered += 1
        usleep(2000)
        return blankFrame(index: delivered - 1)
    }
    func interrupt() { lock.lock(); interrupted = true; lock.unlock() }
}

/// MemorySink that also records camera changes, in order with the events.
final class CameraLogSink: DetectionSink, CameraEventSink, @unchecked Sendable {
    private let lock = NSLock()
    private var _lines: [String] = []
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return _lines }
    func consume(_ result: FrameResult) throws(CamError) -> SinkAction {
        lock.lock(); defer { lock.unlock() }
        _lines += result.events.map { "\($0.kind.rawValue) \($0.track)" }
        return .proceed
    }
    func finish(finalEvents: [DetectionEvent]) throws(CamError) {
        lock.lock(); defer { lock.unlock() }
        _lines += finalEvents.map { "\($0.kind.rawValue) \($0.track)" }
    }
    func camera(_ event: CameraEvent, closedTracks: [DetectionEvent]) throws(CamError) {
        lock.lock(); defer { lock.unlock() }
        _lines.append("camera \(event.status.name)")
        _lines += closedTracks.map { "\($0.kind.rawValue) \($0.track)" }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}

@Suite struct ReconnectTests {
    @Test func backoffDoublesToTheCap() {
        let b = Backoff()
        #expect((0..<6).map { b.delay(attempt: $0) } == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0])
        #expect(b.delay(attempt: 1000) == 1.0)
    }

    @Test func testFaultParsesAndRejects() throws {
        #expect(try TestFault.parse("drop-after=60,down=1.5") == TestFault(dropAfter: 60, downSeconds: 1.5))
        #expect(try TestFault.parse("drop-after=5") == TestFault(dropAfter: 5, downSeconds: 1))
        for bad in ["down=1", "drop-after=0", "drop-after=x", "drop-after=5,down=-1", "drop-after=5,up=2", "nonsense"] {
            #expect(throws: CamError.self, "\(bad)") { try TestFault.parse(bad) }
        }
    }

    @Test func cameraEventLineIsJSON() throws {
        let lost = CameraEvent(time: Date(timeIntervalSince1970: 0), source: "/dev/video0", status: .lost(reason: "gone \"away\""))
        let o = try #require(try JSONSerialization.jsonObject(with: Data(lost.jsonLine().utf8)) as? [String: Any])
        #expect(o["event"] as? String == "camera")
        #expect(o["state"] as? String == "lost")
        #expect(o["reason"] as? String == "gone \"away\"")
        #expect(o["source"] as? String == "/dev/video0")
        #expect(o["time"] as? String == "1970-01-01T00:00:00.000Z")
        let back = CameraEvent(source: "x", status: .streaming).jsonLine()
        #expect(back.contains("\"state\":\"streaming\"") && !back.contains("reason"))
    }

    @Test func reopensAfterLossWithBackoffAndKeepsIndicesGoing() throws {
        let opens = Counter()
        let changes = ChangeLog()
        let source = ReconnectingSource(initial: FlakyCamera(framesPerLife: 3), backoff: Backoff(initial: 0.01, cap: 0.02),
                                        opener: { () throws(CamError) -> FrameSource in
                                            opens.add()
                                            if opens.value < 3 { throw .inputMissing("no such device") }
                                            return FlakyCamera(framesPerLife: 3)
                                        },
                                        onChange: { changes.add($0) })
        var indices: [Int] = []
        for _ in 0..<6 { indices.append(try #require(try source.next()).index) }
        #expect(indices == [0, 1, 2, 3, 4, 5])
        #expect(opens.value == 3, "two failed reopen attempts, then one that works")
        #expect(changes.all == [.streaming, .lost(reason: "flaky: camera disconnected (EIO)"), .streaming])
    }

    @Test func interruptEndsTheRetryWait() throws {
        // An hour's back-off: only interrupt() can end next() within the generous bound below.
        let source = ReconnectingSource(initial: FlakyCamera(framesPerLife: 0), backoff: Backoff(initial: 3600, cap: 3600),
                                        opener: { () throws(CamError) -> FrameSource in throw .inputMissing("gone") })
        let returned = DispatchSemaphore(value: 0)
        let result = ChangeLog()
        Thread {
            if (try? source.next()) == nil { result.add(.starting) }   // nil: interrupted
            returned.signal()
        }.start()
        usleep(200_000)   // let it reach the wait (if not yet there, the interrupt flag ends it all the same)
        source.interrupt()
        #expect(returned.wait(timeout: .now() + 60) == .success, "interrupt() did not end the back-off wait")
        #expect(result.all == [.starting], "next() returns nil once interrupted")
    }

    @Test func pipelineLogsLossEndsTracksAndStartsNewOnes() throws {
        let beats = Counter()
        let source = ReconnectingSource(initial: FlakyCamera(framesPerLife: 20), backoff: Backoff(initial: 0.01, cap: 0.01),
                                        opener: { () throws(CamError) -> FrameSource in FlakyCamera(framesPerLife: 20) })
        var config = PipelineConfig()
        config.detection.interval = 1
        config.maxFrames = 50
        let processor = FrameProcessor(detector: ScriptedDetector { _ in [Box(x: 10, y: 10, width: 20, height: 20)] },
                                       classifier: FakeClassifier(), config: config)
        let sink = CameraLogSink()
        let pipeline = Pipeline(source: source, processor: processor, sinks: [sink], config: config)
        pipeline.onHeartbeat { beats.add() }
        try pipeline.run()
        let lines = sink.lines
        let firstLost = try #require(lines.firstIndex(of: "camera lost"), "\(lines)")
        #expect(lines.first == "start 1")
        #expect(lines[firstLost + 1] == "end 1", "the lost camera's track ends right after the camera line: \(lines)")
        #expect(lines[firstLost + 2] == "camera streaming", "\(lines)")
        #expect(lines[firstLost + 3].hasPrefix("start "), "a new track after the return: \(lines)")
        #expect(lines[firstLost + 3] != "start 1")
        #expect(lines.filter { $0 == "camera lost" }.count == 2, "50 frames of 20-frame lives: two losses: \(lines)")
        #expect(lines.last?.hasPrefix("end ") == true)
        let h = pipeline.health
        #expect(h.cameraLosses == 2)
        #expect(h.camera == .streaming)
        #expect(h.framesCaptured == 50)
        #expect(beats.value >= 50)
    }
}

final class ChangeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [CameraStatus] = []
    func add(_ s: CameraStatus) { lock.lock(); items.append(s); lock.unlock() }
    var all: [CameraStatus] { lock.lock(); defer { lock.unlock() }; return items }
}

@Suite(.serialized) struct ReconnectEndToEndTests {
    @Test func testCameraVanishesAndReturnsWithoutExiting() throws {
        let dir = try serviceTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/events.jsonl"
        let d = try Daemon(["--source", "test", "--size", "320x240", "--test-fault", "drop-after=45,down=1", "--log", log])
        func events() -> [[String: Any]] { jsonObjects(log) }
        func streamingAgain() -> Bool {
            let e = events()
            guard let back = e.lastIndex(where: { $0["event"] as? String == "camera" && $0["state"] as? String == "streaming" }) else { return false }
            return e[(back + 1)...].contains { $0["event"] as? String == "start" }
        }
        #expect(Daemon.waitUntil(90) { streamingAgain() }, "no return with new tracks within 90 s: \(d.stderr)")
        #expect(d.process.isRunning, "fer-cam exited when the camera went away: \(d.stderr)")
        d.signal(SIGTERM)
        #expect(d.waitForExit(within: 10) == 0, "\(d.stderr)")
        let e = events()
        let lost = try #require(e.firstIndex { $0["event"] as? String == "camera" && $0["state"] as? String == "lost" }, "no camera lost line")
        #expect((e[lost]["reason"] as? String)?.contains("disconnected") == true)
        let openBefore = Set(e[..<lost].filter { $0["event"] as? String == "start" }.compactMap { $0["track"] as? Int })
            .subtracting(e[..<lost].filter { $0["event"] as? String == "end" }.compactMap { $0["track"] as? Int })
        #expect(!openBefore.isEmpty, "faces should be tracked before the loss")
        let back = try #require(e[lost...].firstIndex { $0["event"] as? String == "camera" && $0["state"] as? String == "streaming" })
        let endsBetween = Set(e[lost..<back].filter { $0["event"] as? String == "end" }.compactMap { $0["track"] as? Int })
        #expect(endsBetween == openBefore, "every open track ends at the loss")
        let newStarts = e[back...].filter { $0["event"] as? String == "start" }.compactMap { $0["track"] as? Int }
        #expect(!newStarts.isEmpty && openBefore.isDisjoint(with: newStarts))
        let lostAt = try #require(ISO8601DateFormatter.withMillis.date(from: e[lost]["time"] as? String ?? ""), "lost line's time")
        let backAt = try #require(ISO8601DateFormatter.withMillis.date(from: e[back]["time"] as? String ?? ""), "streaming line's time")
        // Order, not speed: the camera is away 1 s, so it cannot be reported back sooner.
        #expect(backAt.timeIntervalSince(lostAt) >= 0.9, "streaming again \(backAt.timeIntervalSince(lostAt)) s after the loss")
        #expect(d.stderr.contains("lost"), "\(d.stderr)")
    }
}

extension ReconnectEndToEndTests {
    @Test func sigtermDuringTheRetryWaitExitsCleanly() throws {
        let dir = try serviceTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/events.jsonl"
        let d = try Daemon(["--source", "test", "--size", "320x240", "--test-fault", "drop-after=10,down=60", "--log", log])
        let lostLine = { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("\"state\":\"lost\"") }
        #expect(Daemon.waitUntil(60) { lostLine() }, "no camera lost line: \(d.stderr)")
        usleep(1_500_000)   // well into the back-off (1 s cap)
        #expect(d.process.isRunning, "fer-cam must wait for the camera, not exit: \(d.stderr)")
        #expect(d.terminate() == 0, "SIGTERM while reconnecting: \(d.stderr)")
        let objects = jsonObjects(log)
        #expect(objects.last?["event"] as? String == "end" || objects.last?["event"] as? String == "camera")
    }
}

extension ISO8601DateFormatter {
    static var withMillis: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }
}
