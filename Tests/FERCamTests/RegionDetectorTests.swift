// RegionDetector: faces of 30, 60 and 300 px in a 1920×1080 frame are all
// found with windows from 24 (a minimum face of 30) (the face of sad.jpg pasted at those sizes
// into a grey frame); a region search finds only what is inside the region,
// in frame coordinates; maxFace leaves out the large face.
import Foundation
import Testing
@testable import FERCam
import FERVision

@Suite struct RegionDetectorTests {
    /// A 1920×1080 frame with sad.jpg's face at each side in `sides` (the
    /// cascade's own box scaled to that side), and where those boxes are.
    private func frame(sides: [Int]) throws -> (GrayImage, [Box]) {
        let photo = try ImageCodec.decode(path: try TestPaths.requireMedia("sad.jpg")).gray()
        let cascade = try CascadeDetector(path: TestPaths.cascade)
        let face = try #require(try cascade.detect(photo, scaleFactor: 1.1, minNeighbors: 5, minSize: 30).first, "no face in sad.jpg")
        // Some context around the face, as a camera would see it.
        let context = face.expanded(by: 0.4).clamped(to: photo.width, height: photo.height)
        let patch = try photo.crop(context)
        var canvas = [UInt8](repeating: 128, count: 1920 * 1080)   // (1080, 1920)
        var boxes: [Box] = []
        var x = 40
        for side in sides {
            let k = Double(side) / Double(face.width)
            let pw = Int((Double(patch.width) * k).rounded()), ph = Int((Double(patch.height) * k).rounded())
            let scaled = patch.resized(width: pw, height: ph)
            let y = 300
            for row in 0..<ph { for col in 0..<pw { canvas[(y + row) * 1920 + x + col] = scaled.pixels[row * pw + col] } }
            boxes.append(Box(x: x + Int(Double(face.x - context.x) * k), y: y + Int(Double(face.y - context.y) * k),
                             width: side, height: Int((Double(face.height) * k).rounded())))
            x += pw + 100
        }
        return (try GrayImage(width: 1920, height: 1080, pixels: canvas), boxes)
    }

    private func detector() throws -> RegionDetector {
        RegionDetector(cascade: try CascadeDetector(path: TestPaths.cascade), scaleFactor: 1.1, minNeighbors: 5)
    }

    @Test func facesOf30And60And300PixelsAreFoundWithMinFace30() throws {
        let (gray, faces) = try frame(sides: [30, 60, 300])
        let d = try detector()
        #expect(d.window == 24, "the frontal-face cascade's window")
        let job = DetectionJob(region: Box(x: 0, y: 0, width: 1920, height: 1080), minFace: 24)
        let found = try d.detect(gray, job)
        for f in faces {
            #expect(found.contains { $0.iou(f) >= 0.5 }, "the \(f.width)-px face at \(f) was not found: \(found)")
        }
        #expect(found.count == faces.count, "one box per face: \(found)")
    }

    /// The cost unit, by hand: a 48×48 region with windows of 24 only is one level at
    /// step 2, 13 × 13 positions; windows up to 26 add the level 1.1 (44×44, 11 × 11).
    @Test func windowsCountTheCascadesPositions() {
        let job = DetectionJob(region: Box(x: 0, y: 0, width: 48, height: 48), minFace: 24, maxFace: 24)
        #expect(RegionDetector.windows(job, window: 24, scaleFactor: 1.1) == 169)
        var two = job
        two.maxFace = 26
        #expect(RegionDetector.windows(two, window: 24, scaleFactor: 1.1) == 169 + 121)
        // At half size a 96×96 region with faces of 48 is the same search.
        let half = DetectionJob(region: Box(x: 0, y: 0, width: 96, height: 96), minFace: 48, maxFace: 48, scale: 0.5)
        #expect(RegionDetector.windows(half, window: 24, scaleFactor: 1.1) == 169)
    }

    @Test func aRegionFindsOnlyItsOwnFacesInFrameCoordinates() throws {
        let (gray, faces) = try frame(sides: [60, 120])
        let d = try detector()
        let region = faces[1].expanded(by: 0.5)
        let found = try d.detect(gray, DetectionJob(region: region, minFace: 60, maxFace: 200))
        #expect(found.count == 1 && found[0].iou(faces[1]) >= 0.5, "the 120-px face in its region: \(found), want \(faces[1])")
    }

    @Test func maxFaceLeavesOutLargerFaces() throws {
        let (gray, faces) = try frame(sides: [60, 300])
        let found = try detector().detect(gray, DetectionJob(region: Box(x: 0, y: 0, width: 1920, height: 1080), minFace: 48, maxFace: 100))
        #expect(found.contains { $0.iou(faces[0]) >= 0.5 }, "the 60-px face: \(found)")
        #expect(!found.contains { $0.iou(faces[1]) >= 0.5 }, "the 300-px face is above maxFace: \(found)")
    }
}
