// The synthetic camera draws faces that the real Haar cascade finds.
import Foundation
import Testing
@testable import FERCam
import FERVision

@Suite struct SyntheticSourceTests {
    @Test func cascadeFindsTheCartoonFaces() throws {
        let source = SyntheticSource(width: 640, height: 480, fps: 30, pace: false)
        var config = DetectionConfig()
        config.detectWidth = 320
        let detector = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: config)
        var found = 0, expected = 0, falsePositives = 0
        for index in stride(from: 0, to: 300, by: 23) {
            let faces = source.faces(at: index)
            let boxes = try detector.detect(source.render(index: index).gray())
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
}
