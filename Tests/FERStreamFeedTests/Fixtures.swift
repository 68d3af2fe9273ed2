// Small frames, events and faces for the FERStreamFeed tests (values only).
import FERCam
import FERNet
import FERVision
import Foundation

enum Fixture {
    static func event(_ kind: DetectionEvent.Kind, track: Int, frame: Int = 1, source: String = "cam") -> DetectionEvent {
        var p = [Float](repeating: 0.05, count: 7)
        p[3] = 0.7
        return DetectionEvent(kind: kind, time: Date(timeIntervalSince1970: 1_800_000_000 + Double(frame) / 30), source: source,
                              frame: frame, track: track, box: Box(x: 4, y: 6, width: 20, height: 20), probabilities: p)
    }

    static func face(track: Int) -> TrackedFace {
        var p = [Float](repeating: 0.05, count: 7)
        p[5] = 0.7
        return TrackedFace(id: track, box: Box(x: 4, y: 6, width: 20, height: 20), probabilities: p, detectedNow: true)
    }

    static func result(frame: Int, events: [DetectionEvent], faces: [TrackedFace] = []) -> FrameResult {
        let f = Frame(index: frame, time: Double(frame) / 30, source: "cam", gray: GrayImage(width: 320, height: 240, fill: 0),
                      bgr: BGRImage(width: 320, height: 240))
        return FrameResult(frame: f, faces: faces, events: events, ranDetector: true, timings: StageTimings())
    }

    static func tempPath(_ name: String) -> String {
        NSTemporaryDirectory() + "fer-feed-\(UUID().uuidString.prefix(8))-\(name)"
    }
}
