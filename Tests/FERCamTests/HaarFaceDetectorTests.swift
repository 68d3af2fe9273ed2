// Detection on a downscaled copy finds the same faces as on the full frame,
// with boxes mapped back to frame pixels; bad cascades are reported.
import Foundation
import Testing
@testable import FERCam
import FERVision

@Suite struct HaarFaceDetectorTests {
    @Test func downscaledDetectionMapsBoxesBack() throws {
        let gray = try ImageCodec.decode(path: try TestPaths.requireMedia("faces.jpg")).gray()   // 710x473, 6 faces
        var full = DetectionConfig()
        full.detectWidth = 0
        var small = DetectionConfig()
        small.detectWidth = 355   // half size
        let a = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: full).detect(gray)
        let b = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: small).detect(gray)
        #expect(a.count == 6)
        #expect(b.count == 6)
        for box in b {
            #expect(a.contains { $0.iou(box) > 0.5 }, "\(box) has no full-size counterpart in \(a)")
            #expect(box.clamped(to: gray.width, height: gray.height) == box)
        }
    }

    @Test func detectionScale() throws {
        var c = DetectionConfig()
        c.detectWidth = 320
        let d = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: c)
        #expect(d.detectionScale(frameWidth: 640) == 0.5)
        #expect(d.detectionScale(frameWidth: 200) == 1)
    }

    @Test func missingAndBrokenCascades() throws {
        do { _ = try HaarFaceDetector(cascadePath: "/nonexistent.xml", config: DetectionConfig()); Issue.record("no error") } catch {
            #expect(error.exitCode == 66)
        }
        let bad = NSTemporaryDirectory() + "fercam-bad-cascade-\(UUID().uuidString).xml"
        try Data("<opencv_storage></opencv_storage>".utf8).write(to: URL(fileURLWithPath: bad))
        defer { try? FileManager.default.removeItem(atPath: bad) }
        do { _ = try HaarFaceDetector(cascadePath: bad, config: DetectionConfig()); Issue.record("no error") } catch {
            #expect(error.exitCode == 78)
        }
    }
}
