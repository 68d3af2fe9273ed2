// Paths and small fakes shared by the FERCam tests: the package root, the
// shared media (../shared), the cascade, the built fer-cam binary, a fake
// classifier and an in-memory sink.
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
