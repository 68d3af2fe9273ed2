// The synthetic camera draws faces that the real Haar cascade finds.
import Foundation
import Testing
@testable import FERCam
import FERVision

@Suite struct SyntheticSourceTests {
    @Test func cascadeFindsTheCartoonFaces() throws {
        let source = SyntheticSource(width: 640, height: 480, fps: 30, pace: false)
        var config = DetectionConfig()
        config.stills = true   // each sampled frame searched whole
        let detector = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: config)
        var found = 0, expected = 0, falsePositives = 0
        for index in stride(from: 0, to: 300, by: 23) {
            let faces = source.faces(at: index)
            let boxes = try detector.detect(grayFrame(source.render(index: index).gray(), index: index), tracked: [])
            expected += faces.count
            for f in faces {
                let e = f.expectedBox
                let want = Box(x: e.x, y: e.y, width: e.width, height: e.height)
                if boxes.contains(where: { $0.iou(want) > 0.3 }) { found += 1 }
            }
            falsePositives += boxes.filter { b in !faces.contains { f in
                let e = f.expectedBox; return b.iou(Box(x: e.x, y: e.y, width: e.width, height: e.height)) > 0.3 } }.count
        }
        print("synthetic: found \(found) of \(expected) faces, \(falsePositives) false positives")
        #expect(Double(found) >= 0.9 * Double(expected), "cascade found only \(found) of \(expected) cartoon faces")
        #expect(falsePositives <= expected / 10)
    }

    @Test func framesAreDeterministic() {
        let a = SyntheticSource(pace: false), b = SyntheticSource(pace: false)
        #expect(a.render(index: 17) == b.render(index: 17))
        #expect(a.render(index: 17) != a.render(index: 18))
    }

    /// Detection every 3 frames, tracking in between: once the whole-frame search of the first
    /// frame has found them and they are confirmed, on every frame the tracked boxes sit on
    /// the moving cartoon faces, with the same ids.
    @Test func trackedBoxesFollowTheMovingFaces() throws {
        let source = SyntheticSource(width: 640, height: 480, fps: 30, pace: false)
        var config = PipelineConfig()
        config.detection.interval = 3
        let p = FrameProcessor(detector: try HaarFaceDetector(cascadePath: TestPaths.cascade, config: config.detection),
                               classifier: FakeClassifier(), config: config)
        var worst = 1.0
        var ids = Set<Int>()
        let found = 3 * 3 + 6   // the first frame is searched whole; then confirmation (3 passes of 3 frames)
        for i in 0..<(found + 90) {
            let r = try p.process(try #require(try source.next()))
            guard i >= found else { continue }
            for f in source.faces(at: i) {
                let e = f.expectedBox
                let best = r.faces.map { $0.box.iou(Box(x: e.x, y: e.y, width: e.width, height: e.height)) }.max() ?? 0
                worst = min(worst, best)
            }
            ids.formUnion(r.faces.map(\.id))
        }
        print("synthetic tracking: worst IoU with a true face over 90 frames after frame \(found): \(worst), ids \(ids.sorted())")
        #expect(worst > 0.5)
        #expect(ids.count == 2, "two faces, two ids for the whole 3 s: \(ids.sorted())")
    }
}
