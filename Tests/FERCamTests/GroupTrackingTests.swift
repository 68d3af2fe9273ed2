// Tracks that hold, on a real 1080p clip (../shared/media/group-1080p.mp4: 9
// faces of 54-303 px, 7 of them moving): with fer-cam's default detection
// (track windows, motion-first rolling scan, confirmation) each face gets one
// id, found within the first second and kept to the end of the clip, and no
// track is confirmed from a single detection. The emotion model is not the
// subject here (a fixed-answer classifier stands in for it).
import Testing
@testable import FERCam
import FERVision

/// Passes detection through and remembers each frame's boxes.
final class RecordingDetector: FaceDetector {
    let inner: FaceDetector
    private(set) var found: [Int: [Box]] = [:]
    init(_ inner: FaceDetector) { self.inner = inner }
    func detect(_ frame: Frame, tracked: [Track]) throws(CamError) -> [Box] {
        let boxes = try inner.detect(frame, tracked: tracked)
        found[frame.index] = boxes
        return boxes
    }
    var restedTracks: Set<Int> { inner.restedTracks }
    var stillTracks: Set<Int> { inner.stillTracks }
}

@Suite struct GroupTrackingTests {
    @Test func eachOfTheNineFacesKeepsOneIdForTheWholeClip() throws {
        let path = try TestPaths.requireMedia("group-1080p.mp4")
        let config = PipelineConfig()   // fer-cam's defaults
        let detector = RecordingDetector(try HaarFaceDetector(cascadePath: TestPaths.cascade, config: config.detection))
        let processor = FrameProcessor(detector: detector, classifier: FakeClassifier(), config: config)
        let source = try VideoFileSource(path: path, pace: false)
        var spans: [Int: (first: Int, last: Int, frames: Int)] = [:]
        var starts: [DetectionEvent] = []
        var lastIndex = 0
        while let frame = try source.next() {
            let r = try processor.process(frame)
            for f in r.faces {
                let s = spans[f.id] ?? (frame.index, frame.index, 0)
                spans[f.id] = (s.first, frame.index, s.frames + 1)
            }
            starts += r.events.filter { $0.kind == .start }
            lastIndex = frame.index
        }
        print("group-1080p: tracks \(spans.keys.sorted().map { "\($0): \(spans[$0]!)" })")
        #expect(lastIndex == 149)
        #expect(spans.count == 9, "9 faces, 9 ids: \(spans.keys.sorted())")
        for (id, s) in spans {
            #expect(s.first <= 25, "track \(id) confirmed at frame \(s.first), later than 1 s into the clip")
            #expect(s.last == lastIndex && s.frames == lastIndex - s.first + 1, "track \(id) did not last to the end unbroken: \(s)")
        }
        // Every start event rests on at least two detections of that face.
        #expect(starts.count == spans.count)
        for e in starts {
            let seen = (max(0, e.frame - 10)...e.frame).filter { f in (detector.found[f] ?? []).contains { $0.iou(e.box) > 0.2 } }
            #expect(seen.count >= 2, "track \(e.track) started at frame \(e.frame) on detections in frames \(seen)")
        }
    }
}
