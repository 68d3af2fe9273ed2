// FrameProcessor: detection schedule, one batch per frame, events in order, scene cuts,
// new faces outlined before they are confirmed.
import Testing
@testable import FERCam
import FERNet
import FERVision

@Suite struct FrameProcessorTests {
    private func processor(interval: Int, detector: FaceDetector, classifier: FakeClassifier = FakeClassifier()) -> FrameProcessor {
        var c = PipelineConfig()
        c.detection.interval = interval
        c.events.updateInterval = 0
        c.tracker.minHits = 1   // these tests are about scheduling and events; confirmation has its own
        c.classification.interval = 0   // every pass classifies
        return FrameProcessor(detector: detector, classifier: classifier, config: c)
    }

    @Test func detectsEveryNthFrameAndCarriesBoxesBetween() throws {
        let det = ScriptedDetector { _ in [Box(x: 5, y: 5, width: 20, height: 20)] }
        let p = processor(interval: 3, detector: det)
        var ran: [Bool] = []
        for i in 0..<7 {
            let r = try p.process(blankFrame(index: i))
            ran.append(r.ranDetector)
            #expect(r.faces.count == 1, "frame \(i) keeps the tracked face")
        }
        #expect(ran == [true, false, false, true, false, false, true])
    }

    @Test func droppedFramesDoNotDelayDetection() throws {
        let det = ScriptedDetector { _ in [] }
        let p = processor(interval: 3, detector: det)
        #expect(try p.process(blankFrame(index: 0)).ranDetector)
        #expect(try p.process(blankFrame(index: 5)).ranDetector)   // 1...4 were dropped
    }

    @Test func allFacesOfAFrameGoInOneBatch() throws {
        let det = ScriptedDetector { _ in [Box(x: 0, y: 0, width: 20, height: 20), Box(x: 30, y: 0, width: 20, height: 20), Box(x: 0, y: 25, width: 20, height: 20)] }
        let cls = FakeClassifier()
        let p = processor(interval: 1, detector: det, classifier: cls)
        _ = try p.process(blankFrame(index: 0))
        #expect(cls.batches == [3])
    }

    @Test func eventsRunStartUpdateEnd() throws {
        let det = ScriptedDetector { call in call < 5 ? [Box(x: 10, y: 10, width: 20, height: 20)] : [] }
        let cls = FakeClassifier(top: .happy)
        let p = processor(interval: 1, detector: det, classifier: cls)
        var kinds: [DetectionEvent.Kind] = []
        for i in 0..<8 {
            if i == 1 { cls.top = .angry }
            // Smoothing (alpha 0.4) needs a couple of frames to flip happy → angry.
            kinds += try p.process(blankFrame(index: i)).events.map(\.kind)
        }
        kinds += p.finish().map(\.kind)
        #expect(kinds.first == .start)
        #expect(kinds.contains(.update))
        #expect(kinds.last == .end)
        #expect(kinds.filter { $0 == .end }.count == 1)
    }

    @Test func finishEndsEveryOpenTrack() throws {
        let det = ScriptedDetector { _ in [Box(x: 0, y: 0, width: 20, height: 20), Box(x: 40, y: 0, width: 20, height: 20)] }
        let p = processor(interval: 1, detector: det)
        _ = try p.process(blankFrame(index: 0))
        #expect(p.openTracks == [1, 2])
        let ends = p.finish()
        #expect(ends.map(\.kind) == [.end, .end])
        #expect(Set(ends.map(\.track)) == [1, 2])
        #expect(p.openTracks.isEmpty)
    }

    @Test func aSceneCutEndsTracksAndRedetects() throws {
        let det = ScriptedDetector { _ in [Box(x: 0, y: 0, width: 20, height: 20)] }
        let p = processor(interval: 100, detector: det)
        let a = try p.process(blankFrame(index: 0, sequence: 0))
        let b = try p.process(blankFrame(index: 1, sequence: 1))
        #expect(a.events.map(\.kind) == [.start])
        #expect(b.ranDetector)
        #expect(b.events.map(\.kind) == [.end, .start])
        #expect(b.events[0].track == 1 && b.events[0].frame == 0, "the end is stamped with the last frame the face was in")
        #expect(b.events[1].track == 2)
    }

    @Test func aNewFaceIsOutlinedFromItsFirstPassAndReportedOnceConfirmed() throws {
        // Pass 0: a face and a one-pass false hit; passes 1-2: the face alone.
        let face = Box(x: 4, y: 4, width: 20, height: 20), hit = Box(x: 40, y: 20, width: 20, height: 20)
        let det = ScriptedDetector { call in call == 0 ? [face, hit] : [face] }
        let cls = FakeClassifier()
        var c = PipelineConfig()
        c.detection.interval = 1
        c.tracker.minHits = 2
        let p = FrameProcessor(detector: det, classifier: cls, config: c)
        let first = try p.process(blankFrame(index: 0))
        #expect(first.faces.isEmpty, "nothing is confirmed from one detection")
        #expect(Set(first.newFaces) == [face, hit], "both are outlined on the frame they are found on")
        #expect(first.drawnBoxes.count == 2)
        #expect(first.events.isEmpty)
        #expect(cls.batches.isEmpty, "a new face is not classified before it is confirmed")
        let second = try p.process(blankFrame(index: 1))
        #expect(second.faces.map(\.box) == [face], "the second hit confirms the face")
        #expect(second.newFaces.isEmpty, "the false hit, missed on this pass, is no longer outlined")
        #expect(second.events.map(\.kind) == [.start])
        let third = try p.process(blankFrame(index: 2))
        #expect(third.newFaces.isEmpty && third.events.isEmpty)
        #expect(p.finish().map(\.track) == [1], "the false hit never got an id or an event")
    }
}
