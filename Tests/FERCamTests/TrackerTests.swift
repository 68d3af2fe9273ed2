// Tracker: stable ids, tolerance for missed passes, per-track smoothing.
import Testing
@testable import FERCam
import FERVision

@Suite struct TrackerTests {
    @Test func idsStayStableWhileFacesMove() {
        let t = Tracker()
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
        let t = Tracker()
        t.update(detections: [Box(x: 100, y: 100, width: 60, height: 60)])
        // IoU about 0.18 (below 0.3) but the centre moved only 25 px (< 0.5 × 60).
        let r = t.update(detections: [Box(x: 125, y: 100, width: 60, height: 60)])
        #expect(r.created.isEmpty)
        #expect(t.tracks.map(\.id) == [1])
    }

    @Test func aTrackSurvivesMaxMissedPassesThenEnds() {
        var c = TrackerConfig()
        c.maxMissed = 2
        let t = Tracker(config: c)
        t.update(detections: [Box(x: 0, y: 0, width: 40, height: 40)])
        #expect(t.update(detections: []).ended.isEmpty)   // missed 1
        #expect(t.update(detections: []).ended.isEmpty)   // missed 2
        let gone = t.update(detections: []).ended          // missed 3 > 2
        #expect(gone.map(\.id) == [1])
        #expect(t.tracks.isEmpty)
    }

    @Test func aFaceBackAfterAGapKeepsItsId() {
        let t = Tracker()
        t.update(detections: [Box(x: 50, y: 50, width: 40, height: 40)])
        t.update(detections: [])
        let back = t.update(detections: [Box(x: 52, y: 50, width: 40, height: 40)])
        #expect(back.created.isEmpty)
        #expect(t.tracks.first?.id == 1 && t.tracks.first?.missed == 0)
    }

    @Test func farAwayDetectionStartsANewTrack() {
        let t = Tracker()
        t.update(detections: [Box(x: 0, y: 0, width: 40, height: 40)])
        let r = t.update(detections: [Box(x: 300, y: 300, width: 40, height: 40)])
        #expect(r.created == [2])
        #expect(t.tracks.count == 2)
    }

    @Test func smoothingIsPerTrackEMA() {
        var c = TrackerConfig()
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
        let t = Tracker()
        t.update(detections: [Box(x: 0, y: 0, width: 40, height: 40)])
        #expect(t.endAll().count == 1)
        #expect(t.tracks.isEmpty)
        // Ids keep counting up after a reset.
        #expect(t.update(detections: [Box(x: 0, y: 0, width: 40, height: 40)]).created == [2])
    }

    @Test func boxesFollowTheirVelocityBetweenDetections() {
        let t = Tracker()
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
        c.maxShift = 0.5
        let t = Tracker(config: c)
        t.update(detections: [Box(x: 0, y: 0, width: 40, height: 40)], frame: 0)
        t.update(detections: [Box(x: 20, y: 0, width: 40, height: 40)], frame: 1)   // very fast
        t.carryOver(frame: 100)
        #expect(t.tracks[0].box.x - t.tracks[0].anchor.x <= 20, "at most half a width from the last detection")

        var still = TrackerConfig()
        still.followVelocity = false
        let h = Tracker(config: still)
        h.update(detections: [Box(x: 0, y: 0, width: 40, height: 40)], frame: 0)
        h.update(detections: [Box(x: 10, y: 0, width: 40, height: 40)], frame: 1)
        let held = h.tracks[0].box
        h.carryOver(frame: 5)
        #expect(h.tracks[0].box == held)
    }
}
