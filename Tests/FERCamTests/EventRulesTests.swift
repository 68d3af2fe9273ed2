// Event rules: start once, update on change or when the interval is due, end only for started tracks.
import Testing
@testable import FERCam
import FERNet
import FERVision

@Suite struct EventRulesTests {
    private func face(_ id: Int, _ e: Emotion, score: Float = 0.8) -> TrackedFace {
        var p = [Float](repeating: (1 - score) / 6, count: 7)
        p[e.rawValue] = score
        return TrackedFace(id: id, box: Box(x: 1, y: 2, width: 30, height: 40), probabilities: p, detectedNow: true)
    }

    @Test func startThenUpdateOnlyOnChange() {
        let r = EventRules(policy: EventPolicy(updateInterval: 0))
        let e1 = r.events(frame: blankFrame(index: 0, time: 0), faces: [face(1, .happy)], ended: [])
        #expect(e1.map(\.kind) == [.start])
        let e2 = r.events(frame: blankFrame(index: 1, time: 5), faces: [face(1, .happy)], ended: [])
        #expect(e2.isEmpty, "unchanged emotion with interval 0: no update")
        let e3 = r.events(frame: blankFrame(index: 2, time: 6), faces: [face(1, .sad)], ended: [])
        #expect(e3.map(\.kind) == [.update])
        #expect(e3.first?.emotion == .sad)
    }

    @Test func nearTiesDoNotFlap() {
        let r = EventRules(policy: EventPolicy(updateInterval: 0, hysteresis: 0.05))
        func probs(happy: Float, sad: Float) -> TrackedFace {
            var p = [Float](repeating: 0, count: 7)
            p[Emotion.happy.rawValue] = happy
            p[Emotion.sad.rawValue] = sad
            return TrackedFace(id: 1, box: Box(x: 0, y: 0, width: 9, height: 9), probabilities: p, detectedNow: true)
        }
        _ = r.events(frame: blankFrame(index: 0), faces: [probs(happy: 0.5, sad: 0.4)], ended: [])
        // sad barely ahead: not a change yet.
        #expect(r.events(frame: blankFrame(index: 1), faces: [probs(happy: 0.44, sad: 0.46)], ended: []).isEmpty)
        // sad clearly ahead: update, and it is what gets reported from now on.
        #expect(r.events(frame: blankFrame(index: 2), faces: [probs(happy: 0.3, sad: 0.6)], ended: []).map(\.emotion) == [.sad])
        #expect(r.events(frame: blankFrame(index: 3), faces: [probs(happy: 0.47, sad: 0.45)], ended: []).isEmpty)
    }

    @Test func periodicUpdateWhenIntervalIsDue() {
        let r = EventRules(policy: EventPolicy(updateInterval: 1.0))
        _ = r.events(frame: blankFrame(index: 0, time: 0), faces: [face(1, .happy)], ended: [])
        #expect(r.events(frame: blankFrame(index: 1, time: 0.5), faces: [face(1, .happy)], ended: []).isEmpty)
        #expect(r.events(frame: blankFrame(index: 2, time: 1.0), faces: [face(1, .happy)], ended: []).map(\.kind) == [.update])
        #expect(r.events(frame: blankFrame(index: 3, time: 1.5), faces: [face(1, .happy)], ended: []).isEmpty)
    }

    @Test func aNewPolicyCountsFromTheLastReport() {
        let r = EventRules(policy: EventPolicy(updateInterval: 0))
        _ = r.events(frame: blankFrame(index: 0, time: 0), faces: [face(1, .happy)], ended: [])
        #expect(r.events(frame: blankFrame(index: 1, time: 3), faces: [face(1, .happy)], ended: []).isEmpty)
        r.apply(EventPolicy(updateInterval: 2))
        #expect(r.policy.updateInterval == 2)
        // 4 s since the start was reported: due under the new 2 s interval.
        #expect(r.events(frame: blankFrame(index: 2, time: 4), faces: [face(1, .happy)], ended: []).map(\.kind) == [.update])
        #expect(r.events(frame: blankFrame(index: 3, time: 5), faces: [face(1, .happy)], ended: []).isEmpty)
    }

    @Test func endOnlyForStartedTracks() {
        let r = EventRules()
        _ = r.events(frame: blankFrame(index: 0), faces: [face(1, .happy)], ended: [])
        let t1 = Track(id: 1, box: Box(x: 0, y: 0, width: 10, height: 10), probabilities: face(1, .happy).probabilities, missed: 3, detectedNow: false)
        let never = Track(id: 9, box: Box(x: 0, y: 0, width: 10, height: 10), probabilities: nil, missed: 3, detectedNow: false)
        let e = r.events(frame: blankFrame(index: 1), faces: [], ended: [t1, never])
        #expect(e.map(\.kind) == [.end])
        #expect(e.first?.track == 1)
        #expect(r.openTracks.isEmpty)
    }

    @Test func eventCarriesFrameFields() {
        let r = EventRules()
        let f = blankFrame(index: 42)
        let e = r.events(frame: f, faces: [face(7, .surprise, score: 0.9)], ended: []).first!
        #expect(e.frame == 42 && e.track == 7 && e.source == "fake")
        #expect(e.box == Box(x: 1, y: 2, width: 30, height: 40))
        #expect(e.emotion == .surprise && abs(e.score - 0.9) < 1e-6)
        #expect(e.probabilities.count == 7)
    }
}
