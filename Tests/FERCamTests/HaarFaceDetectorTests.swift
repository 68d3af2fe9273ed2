// HaarFaceDetector: every face from --min-face up is found whatever the frame
// size (the search scale follows the face size, not a fixed width); the
// --detect-width cap says which face size it then guarantees; bad --min-face
// values and cascades are refused; and on video the searches follow tracks and
// motion instead of scanning everything.
import Foundation
import Testing
@testable import FERCam
import FERVision

@Suite struct HaarFaceDetectorTests {
    private func stills(_ edit: (inout DetectionConfig) -> Void = { _ in }) -> DetectionConfig {
        var c = DetectionConfig()
        c.stills = true
        edit(&c)
        return c
    }

    @Test func aStillImageIsSearchedWholeAtEverySize() throws {
        let gray = try ImageCodec.decode(path: try TestPaths.requireMedia("faces.jpg")).gray()   // 710x473, 6 faces
        let found = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: stills()).detect(grayFrame(gray), tracked: [])
        let direct = try CascadeDetector(path: TestPaths.cascade).detect(gray, scaleFactor: 1.1, minNeighbors: 5, minSize: 30)
        #expect(found.count == 6)
        for box in direct {
            #expect(found.contains { $0.iou(box) > 0.5 }, "\(box) of the full-size cascade is missing from \(found)")
        }
    }

    @Test func aDetectWidthCapRaisesTheSmallestFaceAndSaysSo() throws {
        let d = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: stills { $0.detectWidth = 320 })
        #expect(d.smallestFace(frameWidth: 640) == 60, "the 30-px floor at half size")
        #expect(d.smallestFace(frameWidth: 200) == 30, "narrower than the cap: --min-face")
        var said: [String] = []
        d.onPlan = { said.append($0) }
        _ = try d.detect(grayFrame(GrayImage(width: 640, height: 480, fill: 90)), tracked: [])
        #expect(said.count == 1)
        #expect(said.first?.contains("faces 60-480 px") == true && said.first?.contains("--detect-width 320") == true, "\(said)")
    }

    @Test func minFaceBelowTheWindowOrAboveTheFrameIsAUsageError() throws {
        do { _ = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: stills { $0.minFaceSize = 20 }); Issue.record("no error") } catch {
            #expect(error.exitCode == 64)
            #expect(error.message.contains("--min-face 20") && error.message.contains("--min-face 30"), "\(error.message)")
        }
        let big = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: stills { $0.minFaceSize = 600 })
        do { _ = try big.detect(grayFrame(GrayImage(width: 640, height: 480, fill: 90)), tracked: []); Issue.record("no error") } catch {
            #expect(error.exitCode == 64)
            #expect(error.message.contains("640x480") && error.message.contains("at most 480"), "\(error.message)")
        }
        var c = DetectionConfig()
        c.minFaceSize = 60
        c.maxFaceSize = 40
        #expect(throws: CamError.self) { try c.validate() }
    }

    @Test func onVideoOnlyTrackWindowsAndScanTilesAreSearched() throws {
        let gray = try ImageCodec.decode(path: try TestPaths.requireMedia("faces.jpg")).gray()
        var noGate = DetectionConfig()
        noGate.motionGate = false   // a picture that never changes would let still faces rest longer (next test)
        let d = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: noGate)
        let whole = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: stills())
        let faces = try whole.detect(grayFrame(gray), tracked: [])
        let wholeWindows = whole.lastPass.windows
        // Frames 1-25 of a video, the faces already followed: each is found again in its own
        // window whenever it is not resting, rests on at most every other frame, and the
        // frames together search a fraction of a whole scan each.
        _ = try d.detect(grayFrame(gray, index: 0), tracked: [])
        var searched = 0
        var restedBefore: Set<Int> = []
        for i in 1...25 {
            let again = try d.detect(grayFrame(gray, index: i), tracked: followed(faces))
            for (k, f) in faces.enumerated() where !d.restedTracks.contains(k + 1) {
                #expect(again.contains { $0.iou(f) > 0.5 }, "frame \(i): \(f) not found again around itself: \(again)")
            }
            #expect(d.restedTracks.isDisjoint(with: restedBefore), "frame \(i): a face rested twice in a row")
            restedBefore = d.restedTracks
            searched += d.lastPass.windows
        }
        #expect(searched / 25 < wholeWindows / 4, "track windows and a slice of the scan: \(searched / 25) a frame, a whole scan \(wholeWindows)")
    }

    /// A followed face with no change around it rests on every pass up to stillRestSeconds
    /// after its last search, then is searched again; the first change around it ends the
    /// rest, while the other faces go on resting.
    @Test func aStillFaceIsSearchedOnceASecondUntilThePictureChangesAroundIt() throws {
        let gray = try ImageCodec.decode(path: try TestPaths.requireMedia("faces.jpg")).gray()
        let faces = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: stills()).detect(grayFrame(gray), tracked: [])
        try #require(faces.count >= 2)
        let d = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: DetectionConfig())
        _ = try d.detect(grayFrame(gray, index: 0), tracked: [])
        let ids = Set(1...faces.count)
        var lastSearch = [Int](repeating: 0, count: faces.count), searches = [Int](repeating: 0, count: faces.count)
        for i in 1...50 {   // 2 s at 25 frames/s
            let found = try d.detect(grayFrame(gray, index: i), tracked: followed(faces))
            #expect(d.stillTracks == ids, "frame \(i): the picture never changes, yet \(ids.subtracting(d.stillTracks)) moved")
            for k in faces.indices where !d.restedTracks.contains(k + 1) {
                #expect(found.contains { $0.iou(faces[k]) > 0.5 }, "frame \(i): \(faces[k]) not found again")
                #expect(Double(i - lastSearch[k]) / 25 <= HaarFaceDetector.stillRestSeconds + 0.04, "face \(k + 1): \(i - lastSearch[k]) frames unsearched")
                lastSearch[k] = i
                searches[k] += 1
            }
        }
        #expect(searches.allSatisfy { $0 >= 2 && $0 <= 4 }, "about one search a second each over 2 s: \(searches)")
        // Something changes on the first face: it is searched within two passes (it may be its
        // turn to rest on the first), and it is no longer still.
        var changed = gray
        let f0 = faces[0]
        for y in f0.y..<(f0.y + f0.height / 3) { for x in f0.x..<(f0.x + f0.width / 3) { changed.pixels[y * gray.width + x] = 255 } }
        var searchedAgain = false
        for i in 51...52 {
            _ = try d.detect(grayFrame(changed, index: i), tracked: followed(faces))
            #expect(!d.stillTracks.contains(1))
            searchedAgain = searchedAgain || !d.restedTracks.contains(1)
        }
        #expect(searchedAgain, "a change on face 1 did not end its rest")
    }

    /// With --threads 2 a pass's searches are spread over two cascades: the same faces.
    @Test func twoThreadsFindWhatOneFinds() throws {
        let gray = try ImageCodec.decode(path: try TestPaths.requireMedia("faces.jpg")).gray()
        let faces = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: stills()).detect(grayFrame(gray), tracked: [])
        var results: [[Box]] = []
        for threads in [1, 2] {
            var c = DetectionConfig()
            c.threads = threads
            let d = try HaarFaceDetector(cascadePath: TestPaths.cascade, config: c)
            _ = try d.detect(grayFrame(gray, index: 0), tracked: [])
            results.append(try d.detect(grayFrame(gray, index: 1), tracked: followed(faces)))
            #expect(d.lastPass.jobs >= faces.count - d.restedTracks.count)
            for (k, f) in faces.enumerated() where !d.restedTracks.contains(k + 1) {
                #expect(results.last!.contains { $0.iou(f) > 0.5 }, "\(threads) threads: \(f) not found")
            }
        }
        func key(_ b: Box) -> [Int] { [b.y, b.x, b.width, b.height] }
        #expect(results[0].map(key).sorted { $0.lexicographicallyPrecedes($1) } == results[1].map(key).sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// Confirmed tracks at these boxes, just detected.
    private func followed(_ boxes: [Box]) -> [Track] {
        boxes.enumerated().map { Track(id: $0.offset + 1, box: $0.element, probabilities: nil, missed: 0, detectedNow: true) }
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

    /// A small box inside a much larger face (this pass's, or a followed one) is a false hit
    /// on that face and goes, as in OpenCV's full-frame grouping; boxes of similar size, or
    /// side by side, stay.
    @Test func aSmallBoxInsideALargerFaceIsDropped() {
        let big = Box(x: 400, y: 40, width: 300, height: 300)
        let ear = Box(x: 650, y: 280, width: 60, height: 60)    // past the right edge by less than a fifth of 300
        let beside = Box(x: 760, y: 100, width: 60, height: 60)
        let same = Box(x: 410, y: 50, width: 280, height: 280)  // the big face found again, a little smaller
        #expect(HaarFaceDetector.withoutNested([big, ear, beside]) == [big, beside])
        #expect(HaarFaceDetector.withoutNested([ear, beside], in: [big]) == [beside], "inside a followed face")
        #expect(HaarFaceDetector.withoutNested([same], in: [big]) == [same], "the followed face itself stays")
    }

    /// A followed face is known to be a face: a new, larger box around it is the false hit
    /// (and goes), not the followed face inside it (which stays).
    @Test func aNewBoxAroundAFollowedFaceIsTheFalseHit() {
        let small = Box(x: 1230, y: 740, width: 54, height: 54), other = Box(x: 1300, y: 800, width: 55, height: 55)
        let falseHit = Box(x: 1150, y: 693, width: 259, height: 259)
        let seenAgain = Box(x: 1232, y: 741, width: 53, height: 53)
        #expect(HaarFaceDetector.withoutNested([falseHit, seenAgain], in: [small, other]) == [seenAgain])
        // Without a followed face inside, the larger box wins as before.
        #expect(HaarFaceDetector.withoutNested([falseHit, seenAgain]) == [falseHit])
    }

    /// One face found by two size bands: the band that owns its size decides its box, the
    /// other band's margin hit only stands in when nothing else found it; track searches first.
    @Test func theBandThatOwnsAFaceSizeDecidesItsBox() {
        let plan = ScanPlan(width: 640, height: 480, minFace: 30, maxFace: 0, window: 24)
        let band1 = plan.tiles.first { $0.band == 1 }!.job, band2 = plan.tiles.first { $0.band == 2 }!.job
        let owned = Box(x: 94, y: 203, width: 180, height: 180), marginHit = Box(x: 70, y: 172, width: 236, height: 236)
        #expect(band1.owns(side: 180) && !band2.owns(side: 236) && band2.owns(side: 300))
        // The coarser band's job ran first (job order), yet its margin box is ranked last.
        let ranked = HaarFaceDetector.byAuthority([[marginHit], [owned]], jobs: [band2, band1], trackJobs: 0)
        #expect(HaarFaceDetector.merged(ranked) == [owned])
        #expect(HaarFaceDetector.merged(HaarFaceDetector.byAuthority([[marginHit], []], jobs: [band2, band1], trackJobs: 0)) == [marginHit],
                "alone, a margin hit still counts")
        let track = DetectionJob(region: Box(x: 0, y: 150, width: 330, height: 330), minFace: 115, maxFace: 283, minNeighbors: 3)
        let followed = Box(x: 90, y: 200, width: 200, height: 200)
        #expect(HaarFaceDetector.merged(HaarFaceDetector.byAuthority([[followed], [owned]], jobs: [track, band1], trackJobs: 1)) == [followed])
    }
}
