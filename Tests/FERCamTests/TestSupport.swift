// Paths and small fakes shared by the FERCam tests: the package root, the
// shared media (../shared), the cascade, the built fer-cam binary, a fake
// classifier and an in-memory sink.
import Foundation
import Testing
@testable import FERCam
import FERNet
import FERVision
import FERNet

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
    static func ferCamBinary() throws -> String {
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
    func detect(_ gray: GrayImage) throws(CamError) -> [Box] {
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

/// A gray frame of the given size (content irrelevant for scripted detectors).
func blankFrame(index: Int, width: Int = 64, height: Int = 48, sequence: Int = 0, time: Double? = nil) -> Frame {
    Frame(index: index, time: time ?? Double(index) / 30, source: "fake", sequence: sequence,
          gray: GrayImage(width: width, height: height, fill: 100), bgr: BGRImage(width: width, height: height))
}

/// A real model file for end-to-end runs: models/emotion-cnn.safetensors when
/// the package has one, otherwise the product architecture with random
/// weights (valid file, meaningless emotions: the tests check structure, not accuracy).
enum TestModel {
    static let path: String = {
        let real = "\(TestPaths.packageRoot)/models/emotion-cnn.safetensors"
        if FileManager.default.fileExists(atPath: real) { return real }
        let p = NSTemporaryDirectory() + "fercam-test-model-fer-vgg-seed7-format\(ModelFile.formatVersion).safetensors"
        if FileManager.default.fileExists(atPath: p) { return p }   // written atomically by an earlier run
        do {
            let net = try Network(architecture: "fer-vgg", seed: 7)
            try ModelFile.save(spec: net.spec, tensors: net.exportTensors(), normalization: InputNormalization(),
                               provenance: ["note": "random weights for fer-cam tests"], to: URL(fileURLWithPath: p))
        } catch {
            fatalError("cannot write the test model \(p): \(error)")
        }
        return p
    }()
}

/// Runs a program, returns its exit status, stdout and stderr.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

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
    // Read both pipes concurrently so a full pipe never blocks the child.
    nonisolated(unsafe) var errData = Data()
    let t = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    t.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let deadline = Date(timeIntervalSinceNow: timeout)
    while p.isRunning && Date() < deadline { usleep(10_000) }
    if p.isRunning { p.terminate(); Issue.record("\(path) \(args) ran past \(timeout) s") }
    p.waitUntilExit()
    while t.isExecuting || !t.isFinished { usleep(1000) }
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
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
