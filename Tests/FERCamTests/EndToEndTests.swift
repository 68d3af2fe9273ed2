// End to end on the real photos and video in ../shared/media: the right
// number of faces, boxes inside the picture where faces are, and a valid
// event stream (start before update before end; stable ids on the clip).
import Foundation
import Testing
@testable import FERCam
import FERVision

@Suite(.serialized) struct EndToEndTests {
    /// Detector settings of the media README's Haar counts (full size, 1.1, 5, 30).
    private let readmeDetection = ["--detect-width", "0", "--scale-factor", "1.1", "--min-neighbors", "5", "--min-face", "30"]

    private func run(_ args: [String]) throws -> (ProcessResult, [LoggedEvent]) {
        let r = try runProcess(try TestPaths.ferCamBinary(), args + ["--model", TestModel.path])
        #expect(r.status == 0, "fer-cam \(args) exit \(r.status): \(r.stderr)")
        return (r, try LoggedEvent.parse(r.stdout))
    }

    @Test(arguments: [("two_people.jpg", 2), ("faces.jpg", 6), ("sad.jpg", 1), ("disgusted.jpg", 1)])
    func photosHaveTheRightNumberOfFaces(name: String, faces: Int) throws {
        let path = try TestPaths.requireMedia(name)
        let (_, events) = try run(["--source", path] + readmeDetection)
        let starts = events.filter { $0.event == "start" }
        #expect(starts.count == faces, "\(name): \(starts.count) faces, expected \(faces)")
        checkEventOrder(events)
        let img = try ImageCodec.decode(path: path)
        for e in starts {
            let b = Box(x: e.box[0], y: e.box[1], width: e.box[2], height: e.box[3])
            #expect(b.clamped(to: img.width, height: img.height) == b, "\(name): box \(b) leaves the \(img.width)x\(img.height) image")
            #expect(b.width >= 30 && b.width < img.width / 2, "\(name): implausible face size \(b)")
            #expect(e.frame == 0 && e.source == path)
        }
        // The logged boxes are where OpenCV's detector, called directly on the picture, puts the faces.
        let direct = try CascadeDetector(path: TestPaths.cascade).detect(img.gray(), scaleFactor: 1.1, minNeighbors: 5, minSize: 30)
        for e in starts {
            let b = Box(x: e.box[0], y: e.box[1], width: e.box[2], height: e.box[3])
            #expect(direct.contains { $0.iou(b) > 0.9 }, "\(name): logged box \(b) is not where a face is (\(direct))")
        }
        // Faces are distinct places, not one face found twice.
        let boxes = starts.map { Box(x: $0.box[0], y: $0.box[1], width: $0.box[2], height: $0.box[3]) }
        for i in boxes.indices { for j in boxes.indices where j > i { #expect(boxes[i].iou(boxes[j]) < 0.2) } }
    }

    @Test func twoPeopleAreLeftAndRight() throws {
        let path = try TestPaths.requireMedia("two_people.jpg")
        let (_, events) = try run(["--source", path] + readmeDetection)
        let centres = events.filter { $0.event == "start" }.map { Double($0.box[0]) + Double($0.box[2]) / 2 }.sorted()
        #expect(centres.count == 2)
        if centres.count == 2 { #expect(centres[0] < 1126 / 2 && centres[1] > 1126 / 2) }
    }

    @Test func aDirectoryOfImagesIsOneSceneEach() throws {
        let dir = TestPaths.shared + "/media"
        let (_, events) = try run(["--source", dir] + readmeDetection)
        checkEventOrder(events)
        let sources = Set(events.map(\.source))
        #expect(sources.count == 6, "six images with faces: \(sources.sorted())")
        // Per image, a start for every end, and tracks never span two images.
        for s in sources {
            let ids = Set(events.filter { $0.source == s }.map(\.track))
            for other in sources where other != s { #expect(ids.isDisjoint(with: Set(events.filter { $0.source == other }.map(\.track)))) }
        }
        // The README's Haar counts (OpenCV 4.14) allow one false positive in two of the photos.
        let total = events.filter { $0.event == "start" }.count
        #expect(total >= 12 && total <= 14, "\(total) faces over the six photos")
    }

    /// The 1080p room-camera stand-in: 9 faces of 54-303 px, each logged once, and the
    /// start-up log says which face sizes are searched.
    @Test func groupClipLogsEveryFaceOnce() throws {
        let clip = try TestPaths.requireMedia("group-1080p.mp4")
        let (r, events) = try run(["--source", clip])
        checkEventOrder(events)
        let starts = events.filter { $0.event == "start" }
        #expect(starts.count == 9, "\(starts.count) tracks for 9 faces: \(starts.map(\.box))")
        #expect(events.filter { $0.event == "end" }.count == starts.count)
        #expect(r.stderr.contains("faces 30-1080 px searched in a 1920x1080 frame"), "start-up log: \(r.stderr)")
        #expect(starts.allSatisfy { $0.box[2] >= 45 }, "no face below the smallest real one (54 px)")
    }

    @Test func clipGivesAValidStreamWithStableIds() throws {
        let clip = try TestPaths.requireMedia("short_hamilton_clip.mp4")
        let (r, events) = try run(["--source", clip, "--update-interval", "0.5"])
        checkEventOrder(events)
        let starts = events.filter { $0.event == "start" }
        #expect(!starts.isEmpty, "faces in the clip: \(r.stderr)")
        // Ids are stable: a face seen over many frames keeps one id, so there
        // are far fewer tracks than frames with faces, and tracks last.
        var firstFrame: [Int: Int] = [:], lastFrame: [Int: Int] = [:]
        for e in events { firstFrame[e.track] = min(firstFrame[e.track] ?? e.frame, e.frame); lastFrame[e.track] = max(lastFrame[e.track] ?? e.frame, e.frame) }
        let spans = firstFrame.keys.map { lastFrame[$0]! - firstFrame[$0]! }
        #expect(starts.count <= 25, "\(starts.count) tracks over 275 frames: ids are not stable")
        #expect(spans.max() ?? 0 >= 30, "the longest track lasts only \(spans.max() ?? 0) frames")
        #expect(events.allSatisfy { $0.frame >= 0 && $0.frame < 275 })
        // Frame indices never go backwards in the log.
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.frame <= $1.frame })
        // Boxes stay in the 640x360 picture.
        #expect(events.allSatisfy { $0.box[0] >= 0 && $0.box[1] >= 0 && $0.box[0] + $0.box[2] <= 640 && $0.box[1] + $0.box[3] <= 360 })
    }
}
