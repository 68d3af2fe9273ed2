// CascadeDetector through the shim on the real photos of ../shared/media
// (counts from its README, box centres checked by eye on the images), plus
// the errors for a missing cascade and for files that are not cascades.

import Testing
@testable import FERVision

#if canImport(Glibc)
import Glibc
#endif

/// A photo, how many faces it holds (media README) and face centres read off
/// the image by eye (roughly the tip of the nose), in image pixels.
struct Photo: Sendable, CustomStringConvertible {
    let name: String
    let faces: Int
    let centres: [(x: Double, y: Double)]
    var description: String { name }
}

let photos: [Photo] = [
    Photo(name: "two_people.jpg", faces: 2, centres: [(315, 125), (865, 150)]),
    Photo(name: "faces.jpg", faces: 6,
          centres: [(130, 80), (278, 100), (615, 120), (510, 235), (100, 315), (297, 290)]),
    Photo(name: "disgusted.jpg", faces: 1, centres: [(305, 175)]),
    Photo(name: "sad.jpg", faces: 1, centres: [(200, 120)]),
]

@Suite struct CascadeDetectorTests {
    @Test(arguments: photos)
    func findsEveryFaceWhereItIs(photo: Photo) throws {
        let detector = try CascadeDetector(path: TestPaths.cascade)
        let image = try ImageCodec.decode(path: try TestPaths.media(photo.name))
        let boxes = try detector.detect(image.gray(), scaleFactor: 1.1, minNeighbors: 5, minSize: 30)
        #expect(boxes.count == photo.faces, "\(photo.name): boxes \(boxes)")
        // Each hand-checked centre has exactly one box that contains it and
        // whose centre lies within 30 px of it.
        for c in photo.centres {
            let near = boxes.filter { b in
                let bc = b.center
                let contains = Double(b.x) <= c.x && c.x < Double(b.maxX) && Double(b.y) <= c.y && c.y < Double(b.maxY)
                return contains && abs(bc.x - c.x) <= 30 && abs(bc.y - c.y) <= 30
            }
            #expect(near.count == 1, "\(photo.name): face at \(c) matched by \(near) among \(boxes)")
        }
        // Boxes are plausible face sizes for these photos and inside the image.
        for b in boxes {
            #expect(b.clamped(to: image.width, height: image.height) == b)
            #expect(b.width == b.height && b.width >= 30)
        }
    }

    @Test func blankImageHasNoFaces() throws {
        let detector = try CascadeDetector(path: TestPaths.cascade)
        #expect(try detector.detect(GrayImage(width: 320, height: 240, fill: 128)).isEmpty)
    }

    @Test func minSizeAboveEveryFaceFindsNone() throws {
        let detector = try CascadeDetector(path: TestPaths.cascade)
        let gray = try ImageCodec.decode(path: try TestPaths.media("sad.jpg")).gray()
        #expect(try detector.detect(gray, minSize: 250).isEmpty)
        #expect(try detector.detect(gray, minSize: 30, maxSize: 100).isEmpty)
    }

    @Test func badScaleFactorIsAnErrorNotACrash() throws {
        let detector = try CascadeDetector(path: TestPaths.cascade)
        #expect(throws: VisionError.self) { try detector.detect(GrayImage(width: 64, height: 64), scaleFactor: 1.0) }
    }

    @Test func missingCascadeNamesThePath() throws {
        let path = TestPaths.scratchDirectory() + "/no-such-cascade.xml"
        do {
            _ = try CascadeDetector(path: path)
            Issue.record("loading a missing cascade did not throw")
        } catch {
            #expect(error == .fileNotFound(kind: "cascade file", path: path))
            #expect(error.description.contains(path))
        }
    }

    @Test(arguments: [
        ("garbage.xml", "this is not xml at all\n"),
        ("empty-storage.xml", "<?xml version=\"1.0\"?>\n<opencv_storage>\n</opencv_storage>\n"),
        ("other.xml", "<?xml version=\"1.0\"?>\n<opencv_storage><foo>1</foo></opencv_storage>\n"),
    ])
    func fileThatIsNotACascadeIsRefused(name: String, content: String) throws {
        let path = TestPaths.scratchDirectory() + "/" + name
        let f = try #require(fopen(path, "w"))
        fputs(content, f)
        fclose(f)
        do {
            _ = try CascadeDetector(path: path)
            Issue.record("\(name) loaded as a cascade")
        } catch {
            guard case let .notACascade(p, _) = error else {
                Issue.record("expected notACascade, got \(error)")
                return
            }
            #expect(p == path)
            #expect(error.description.contains(path) && error.description.contains("--cascade"))
        }
    }

    @Test func imageFileIsNotACascade() throws {
        let path = try TestPaths.media("sad.jpg")
        #expect(throws: VisionError.self) { try CascadeDetector(path: path) }
        do { _ = try CascadeDetector(path: path) } catch {
            if case .notACascade = error {} else { Issue.record("expected notACascade, got \(error)") }
        }
    }

    @Test func directoryIsNotACascade() throws {
        let dir = TestPaths.scratchDirectory()
        do {
            _ = try CascadeDetector(path: dir)
            Issue.record("a directory loaded as a cascade")
        } catch {
            if case .notACascade(dir, _) = error {} else { Issue.record("expected notACascade, got \(error)") }
        }
    }
}
