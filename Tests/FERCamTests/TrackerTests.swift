// Tracker: confirmation, stable ids, tolerance for missed seconds, per-track smoothing.
import Testing
@testable import FERCam
import FERVision

@Suite struct TrackerTests {
    /// A tracker that confirms on the first detection: for the tests of matching and smoothing.
    private func immediate() -> Tracker {
        var c = TrackerConfig()
        c.minHits = 1
        return Tracker(config: c)
    }

    @Test func idsStayStableWhileFacesMove() {
        let t = immediate()
        let first = t.update(detections: [Box(x: 10, y: 10, width: 50, height: 50), Box(x: 200, y: 10, width: 50, height: 50)])
        #expect(first.created == [1, 2])
        // Both move a little (and arrive in the other order).
        let second = t.update(detections: [Box(x: 206, y: 12, width: 50, height: 50), Box(x: 14, y: 12, width: 52, height: 52)])
        #expect(second.created.isEmpty && second.ended.isEmpty)
        #expect(t.tracks.map(\.id).sorted() == [1, 2])
        let one = t.tracks.first { $0.id == 1 }!
        #expect(one.box.x >= 10 && one.box.x <= 14, "track 1 follows the left face, got \(one.box)")
    }

    @Test func aFastMoveMatchesByCentreDistance() {
        let t = immediate()
        t.update(detections: [Box(x: 100, y: 100, width: 60, height: 60)])
        // IoU about 0.18 (below 0.3) but the centre moved only 25 px (< 0.5 × 60).
        let r = t.update(detections: [Box(x: 125, y: 100, width: 60, height: 60)])
        #expect(r.created.isEmpty)
        #expect(t.tracks.map(\.id) == [1])
    }

    @Test func aTrackSurvivesMaxMissedSecondsThenEnds() {
        var c = TrackerConfig()
        c.minHits = 1
        c.maxMissedSeconds = 1.0
        let t = Tracker(config: c)
        t.update(detections: [Box(x: 0, y: 0, width: 40, height: 40)], frame: 0, time: 10)
        // Unseen for 1 s of source time, however many passes that is.
        for (f, time) in [(1, 10.2), (2, 10.5), (3, 10.9), (4, 11.0)] {
            #expect(t.update(detections: [], frame: f, time: time).ended.isEmpty, "still kept at \(time)")
        }
        let gone = t.update(detections: [], frame: 5, time: 11.05).ended
        #expect(gone.map(\.id) == [1])
        #expect(t.tracks.isEmpty)
    }

    /// A face the detector did not look for (rested) is not missed: it keeps its miss count,
    /// is not ended, and is matched again when found; one it looked for and missed is.
    @Test func aRestedTrackIsNotAMiss() {
        let t = immediate()
        t.update(detections: [Box(x: 0, y: 0, width: 40, height: 40), Box(x: 200, y: 0, width: 40, height: 40)], frame: 0, time: 0)
        t.update(detections: [], frame: 1, time: 0.04, rested: [1])
        #expect(t.tracks.first { $0.id == 1 }?.missed == 0)
        #expect(t.tracks.first { $0.id == 1 }?.detectedNow == false)
        #expect(t.tracks.first { $0.id == 2 }?.missed == 1)
        let r = t.update(detections: [Box(x: 2, y: 0, width: 40, height: 40)], frame: 2, time: 0.08)
        #expect(r.created.isEmpty && t.tracks.first { $0.id == 1 }?.detectedNow == true)
    }

    @Test func aTrackIsConfirmedOnlyAfterMinHitsDetections() {
        var c = TrackerConfig()
        c.minHits = 1
        c.minHits = 3
        let t = Tracker(config: c)
        let face = Box(x: 100, y: 100, width: 50, height: 50)
        #expect(t.update(detections: [face]).created.isEmpty)
        #expect(t.tracks.allSatisfy { !$0.confirmed })
        #expect(t.update(detections: [face]).created.isEmpty)
        #expect(t.update(detections: [face]).created == [1], "the third detection confirms it, as id 1")
        #expect(t.tracks.map(\.id) == [1] && t.tracks[0].confirmed)
    }

    @Test func aOneFrameFalsePositiveEndsSilentlyAndTakesNoId() {
        var c = TrackerConfig()
        c.minHits = 1
        c.minHits = 3
        let t = Tracker(config: c)
        let blip = Box(x: 300, y: 300, width: 40, height: 40)
        t.update(detections: [blip])
        var ended: [Track] = []
        for _ in 0..<5 { ended += t.update(detections: []).ended }
        #expect(ended.isEmpty, "a tentative track ends without an end")
        #expect(t.tracks.isEmpty)
        let face = Box(x: 10, y: 10, width: 50, height: 50)
        for _ in 0..<3 { t.update(detections: [face]) }
        #expect(t.tracks.map(\.id) == [1], "ids count confirmed faces only")
        #expect(t.endAll().map(\.id) == [1])
    }

    @Test func aFaceBackAfterAGapKeepsItsId() {
        let t = immediate()
        t.update(detections: [Box(x: 50, y: 50, width: 40, height: 40)])
        t.update(detections: [])
        let back = t.update(detections: [Box(x: 52, y: 50, width: 40, height: 40)])
        #expect(back.created.isEmpty)
        #expect(t.tracks.first?.id == 1 && t.tracks.first?.missed == 0)
    }

    @Test func farAwayDetectionStartsANewTrack() {
        let t = immediate()
        t.update(detections: [Box(x: 0, y: 0, width: 40, height: 40)])
        let r = t.update(detections: [Box(x: 300, y: 300, width: 40, height: 40)])
        #expect(r.created == [2])
        #expect(t.tracks.count == 2)
    }

    @Test func smoothingIsPerTrackEMA() {
        var c = TrackerConfig()
        c.minHits = 1
        c.probabilityAlpha = 0.5
        let t = Tracker(config: c)
        t.update(detections: [Box(x: 0, y: 0, width: 40, height: 40), Box(x: 200, y: 0, width: 40, height: 40)])
        t.observe(id: 1, probabilities: [1, 0, 0, 0, 0, 0, 0])
        t.observe(id: 2, probabilities: [0, 0, 0, 1, 0, 0, 0])
        t.observe(id: 1, probabilities: [0, 0, 0, 0, 0, 0, 1])
        let p1 = t.tracks.first { $0.id == 1 }!.probabilities!
        let p2 = t.tracks.first { $0.id == 2 }!.probabilities!
        #expect(p1 == [0.5, 0, 0, 0, 0, 0, 0.5])   // (1-a)·old + a·new
        #expect(p2 == [0, 0, 0, 1, 0, 0, 0])       // untouched by track 1
    }

    @Test func endAllEmptiesTheTracker() {
        let t = immediate()
        t.update(detections: [Box(x: 0, y: 0, width: 40, height: 40)])
        #expect(t.endAll().count == 1)
        #expect(t.tracks.isEmpty)
        // Ids keep counting up after a reset.
        #expect(t.update(detections: [Box(x: 0, y: 0, width: 40, height: 40)]).created == [2])
    }

    /// A face the detector saw no change around stays where it was found, even with a
    /// velocity, and counts as seen: it neither drifts nor ends while it rests.
    @Test func aStillRestedTrackStaysPutAndCountsAsSeen() {
        let t = immediate()
        for f in [0, 1, 2] { t.update(detections: [Box(x: 100 + 6 * f, y: 50, width: 60, height: 60)], frame: f, time: Double(f) * 0.04) }
        let found = t.tracks[0].box
        #expect(t.tracks[0].velocityX > 3)
        for f in 3...40 { t.update(detections: [], frame: f, time: Double(f) * 0.04, rested: [1], still: [1]) }
        #expect(t.tracks.count == 1 && t.tracks[0].missed == 0, "1.5 s of still rest is no miss and no end")
        #expect(t.tracks[0].box == found && t.tracks[0].velocityX == 0, "\(t.tracks[0].box) drifted from \(found)")
        #expect(abs(t.tracks[0].lastSeen - 1.6) < 1e-9)
        // Rested without the still evidence, the same track moves along its velocity again.
        t.update(detections: [Box(x: 130, y: 50, width: 60, height: 60)], frame: 41, time: 1.64)
        t.update(detections: [Box(x: 136, y: 50, width: 60, height: 60)], frame: 42, time: 1.68)
        let before = t.tracks[0].box.x
        t.update(detections: [], frame: 44, time: 1.76, rested: [1])
        #expect(t.tracks[0].box.x > before)
    }

    @Test func boxesFollowTheirVelocityBetweenDetections() {
        let t = immediate()
        // A face moving right 6 px per frame, detected every 3 frames.
        for f in [0, 3, 6] { t.update(detections: [Box(x: 6 * f, y: 50, width: 60, height: 60)], frame: f) }
        let atDetection = t.tracks[0].box.x
        t.carryOver(frame: 7)
        let one = t.tracks[0].box.x
        t.carryOver(frame: 8)
        let two = t.tracks[0].box.x
        #expect(t.tracks[0].velocityX > 3 && t.tracks[0].velocityX <= 6, "velocity \(t.tracks[0].velocityX)")
        #expect(one > atDetection && two > one, "boxes should move right: \(atDetection) → \(one) → \(two)")
        #expect(t.tracks[0].box.y == 50)
    }

    @Test func predictionIsBoundedAndCanBeSwitchedOff() {
        var c = TrackerConfig()
        c.minHits = 1
        c.maxShift = 0.5
        let t = Tracker(config: c)
        t.update(detections: [Box(x: 0, y: 0, width: 40, height: 40)], frame: 0)
        t.update(detections: [Box(x: 20, y: 0, width: 40, height: 40)], frame: 1)   // very fast
        t.carryOver(frame: 100)
        #expect(t.tracks[0].box.x - t.tracks[0].anchor.x <= 20, "at most half a width from the last detection")

        var still = TrackerConfig()
        still.minHits = 1
        still.followVelocity = false
        let h = Tracker(config: still)
        h.update(detections: [Box(x: 0, y: 0, width: 40, height: 40)], frame: 0)
        h.update(detections: [Box(x: 10, y: 0, width: 40, height: 40)], frame: 1)
        let held = h.tracks[0].box
        h.carryOver(frame: 5)
        #expect(h.tracks[0].box == held)
    }
}
