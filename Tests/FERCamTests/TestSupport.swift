// Paths and small fakes shared by the FERCam tests: the package root, the
// shared media (../shared), the cascade, the built fer-cam binary, the shipped
// model file, a fake classifier, an in-memory sink and a process runner with a
// time limit. Runs no Python.
import Foundation
import Testing
@testable import FERCam
import FERNet
import FERVision

enum TestPaths {
    /// The package root (two levels above this file's folder).
    static let packageRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()
    static var shared: String { (packageRoot as NSString).appendingPathComponent("../shared") }
    static func media(_ name: String) -> String { "\(shared)/media/\(name)" }
    static var cascade: String { "\(packageRoot)/cascades/haarcascade_frontalface_default.xml" }

    /// Fails the test with a clear message when ../shared/media is missing.
    static func requireMedia(_ name: String) throws -> String {
        let p = media(name)
        guard FileManager.default.fileExists(atPath: p) else {
            Issue.record("missing test media \(p): the suite expects the shared data next to the checkout (../shared/media)")
            throw CamError.inputMissing(p)
        }
        return p
    }

    /// The release fer-cam binary built by `swift build -c release --product fer-cam`.
    /// $FERCAM_BINARY first (scripts/test --asan/--tsan point it at the sanitized build).
    static func ferCamBinary() throws -> String {
        if let forced = ProcessInfo.processInfo.environment["FERCAM_BINARY"], !forced.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: forced) else {
                Issue.record("FERCAM_BINARY=\(forced) is not an executable file; unset it or build that binary")
                throw CamError.inputMissing(forced)
            }
            return forced
        }
        let candidates = [".build/release/fer-cam", ".build/x86_64-unknown-linux-gnu/release/fer-cam", ".build/debug/fer-cam"]
            .map { "\(packageRoot)/\($0)" }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("fer-cam binary not found (looked in \(candidates.joined(separator: ", "))); run `swift build -c release --product fer-cam` first")
            throw CamError.inputMissing("fer-cam binary")
        }
        return found
    }
}

/// Returns fixed probabilities (a chosen emotion, or cycling by call).
final class FakeClassifier: EmotionClassifier {
    var inputSide: Int { 48 }
    var normalization: InputNormalization { InputNormalization() }
    var top: Emotion
    private(set) var batches: [Int] = []
    init(top: Emotion = .happy) { self.top = top }
    func classify(_ input: UnsafeBufferPointer<Float>, count: Int) throws(CamError) -> [[Float]] {
        precondition(input.count == count * 48 * 48)
        batches.append(count)
        var p = [Float](repeating: 0.05, count: 7)
        p[top.rawValue] = 0.7
        return Array(repeating: p, count: count)
    }
}

/// A detector that replays scripted boxes per frame index.
final class ScriptedDetector: FaceDetector {
    var script: (Int) -> [Box]
    private var calls = 0
    private(set) var called: [Int] = []
    init(_ script: @escaping (Int) -> [Box]) { self.script = script }
    func detect(_ frame: Frame, tracked: [Track]) throws(CamError) -> [Box] {
        defer { calls += 1 }
        called.append(calls)
        return script(calls)
    }
}

/// Collects what a pipeline emits.
final class MemorySink: DetectionSink, @unchecked Sendable {
    private let lock = NSLock()
    private var _events: [DetectionEvent] = []
    private var _frames = 0
    var stopAfter: Int?
    var events: [DetectionEvent] { lock.lock(); defer { lock.unlock() }; return _events }
    var frames: Int { lock.lock(); defer { lock.unlock() }; return _frames }
    func consume(_ result: FrameResult) throws(CamError) -> SinkAction {
        lock.lock(); defer { lock.unlock() }
        _events += result.events
        _frames += 1
        if let n = stopAfter, _frames >= n { return .stop }
        return .proceed
    }
    func finish(finalEvents: [DetectionEvent]) throws(CamError) {
        lock.lock(); defer { lock.unlock() }
        _events += finalEvents
    }
}

/// A frame holding `gray` (and a blank BGR plane of its size).
func grayFrame(_ gray: GrayImage, index: Int = 0, time: Double? = nil, source: String = "test") -> Frame {
    Frame(index: index, time: time ?? Double(index) / 25, source: source, gray: gray, bgr: BGRImage(width: gray.width, height: gray.height))
}

/// A gray frame of the given size (content irrelevant for scripted detectors).
func blankFrame(index: Int, width: Int = 64, height: Int = 48, sequence: Int = 0, time: Double? = nil) -> Frame {
    Frame(index: index, time: time ?? Double(index) / 30, source: "fake", sequence: sequence,
          gray: GrayImage(width: width, height: height, fill: 100), bgr: BGRImage(width: width, height: height))
}

/// The shipped model file for end-to-end runs: models/emotion-cnn.safetensors.
/// When it is missing, every test that asks for it fails with a message naming
/// the path (no stand-in with random weights: a test would then pass without
/// the model it claims to run).
enum TestModel {
    static let shipped = "\(TestPaths.packageRoot)/models/emotion-cnn.safetensors"

    static var path: String {
        if !FileManager.default.fileExists(atPath: shipped) {
            Issue.record("missing model file \(shipped): the FERCam tests run the shipped model; restore it (git checkout -- models/emotion-cnn.safetensors)")
        }
        return shipped
    }
}

/// Runs a program, returns its exit status, stdout and stderr.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `path` with `args`; stdout and stderr are drained on their own threads
/// while the child runs (a full pipe never blocks it), so the time limit holds
/// even when the child never closes its output: past `timeout` seconds the
/// child gets SIGTERM, then SIGKILL 5 s later, and the test records an issue
/// (a safety net for hung children, not a measurement).
func runProcess(_ path: String, _ args: [String], environment: [String: String]? = nil, timeout: Double = 120,
                directory: String? = nil) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
    p.arguments = args
    if let environment { p.environment = environment }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let outData = DrainedPipe(out), errData = DrainedPipe(err)
    let deadline = Date(timeIntervalSinceNow: timeout)
    while p.isRunning && Date() < deadline { usleep(10_000) }
    if p.isRunning {
        p.terminate()
        Issue.record("\(path) \(args) ran past \(timeout) s; terminated")
        let grace = Date(timeIntervalSinceNow: 5)
        while p.isRunning && Date() < grace { usleep(10_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
    }
    p.waitUntilExit()
    // A grandchild that inherited the pipes can keep them open after the child exits:
    // its output counts against the same limit (at least 10 s more).
    let outputDeadline = max(deadline, Date(timeIntervalSinceNow: 10))
    let stdout = outData.wait(until: outputDeadline), stderr = errData.wait(until: outputDeadline)
    if stdout == nil || stderr == nil {
        Issue.record("\(path) \(args): its output was still open past the time limit after it exited (a process it started holds it)")
    }
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: stdout ?? Data(), as: UTF8.self),
                         stderr: String(decoding: stderr ?? Data(), as: UTF8.self))
}

/// Reads one pipe to its end on a background thread.
final class DrainedPipe: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var data = Data()

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread { [self] in
            let d = handle.readDataToEndOfFile()
            lock.lock(); data = d; lock.unlock()
            done.signal()
        }.start()
    }

    /// Everything read, or nil when the pipe is still open at `deadline`.
    func wait(until deadline: Date) -> Data? {
        guard done.wait(timeout: .now() + max(0, deadline.timeIntervalSinceNow)) == .success else { return nil }
        lock.lock(); defer { lock.unlock() }
        return data
    }
}

/// Parsed detection log lines.
struct LoggedEvent {
    var event: String
    var track: Int
    var frame: Int
    var box: [Int]
    var emotion: String
    var source: String

    static func parse(_ text: String) throws -> [LoggedEvent] {
        try text.split(separator: "\n").map { line in
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            return LoggedEvent(event: try #require(o["event"] as? String), track: try #require(o["track"] as? Int),
                               frame: try #require(o["frame"] as? Int), box: try #require(o["box"] as? [Int]),
                               emotion: try #require(o["emotion"] as? String), source: try #require(o["source"] as? String))
        }
    }
}

/// start first, end last, exactly one of each per track; no update outside.
func checkEventOrder(_ events: [LoggedEvent]) {
    var state: [Int: String] = [:]
    for e in events {
        switch e.event {
        case "start":
            #expect(state[e.track] == nil, "track \(e.track) started twice")
            state[e.track] = "open"
        case "update":
            #expect(state[e.track] == "open", "update for track \(e.track) outside start…end")
        case "end":
            #expect(state[e.track] == "open", "end for track \(e.track) without a start")
            state[e.track] = "closed"
        default:
            Issue.record("unknown event \(e.event)")
        }
    }
    #expect(state.values.allSatisfy { $0 == "closed" }, "tracks left open: \(state.filter { $0.value != "closed" }.keys.sorted())")
}
