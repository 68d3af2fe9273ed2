// StatePayload (the retained state JSON, the dominant emotion) and StateThrottle (on change, at most N a second).
import FERNet
import Foundation
import Testing
@testable import FERMQTT

@Suite struct StatePayloadTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func jsonHasFacesAndTheTemplateFields() throws {
        let s = StatePayload(time: t0, source: "/dev/video0", faces: [
            FaceInView(track: 3, box: [10, 20, 30, 40], emotion: "happy", score: 0.8),
            FaceInView(track: 4, box: [50, 60, 70, 80], emotion: "sad", score: 0.6),
        ])
        let o = try #require(try JSONSerialization.jsonObject(with: Data(s.json.utf8)) as? [String: Any])
        #expect(o["count"] as? Int == 2)
        #expect(o["present"] as? String == "ON")
        #expect(o["dominant"] as? String == "happy")
        #expect(o["source"] as? String == "/dev/video0")
        #expect(o["time"] as? String == "2027-01-15T08:00:00.000Z")
        let faces = try #require(o["faces"] as? [[String: Any]])
        #expect(faces.count == 2)
        #expect(faces[0]["track"] as? Int == 3 && faces[0]["box"] as? [Int] == [10, 20, 30, 40])
        #expect(faces[0]["emotion"] as? String == "happy" && faces[0]["score"] as? Double == 0.8)
    }

    @Test func noFaces() throws {
        let s = StatePayload(time: t0, source: "test", faces: [])
        #expect(s.dominant == "none")
        #expect(s.json.contains("\"count\":0,\"present\":\"OFF\",\"dominant\":\"none\",\"faces\":[]"))
    }

    @Test func dominantSumsScoresPerEmotion() {
        let faces = [FaceInView(track: 1, box: [0, 0, 1, 1], emotion: "sad", score: 0.9),
                     FaceInView(track: 2, box: [0, 0, 1, 1], emotion: "happy", score: 0.5),
                     FaceInView(track: 3, box: [0, 0, 1, 1], emotion: "happy", score: 0.5)]
        #expect(StatePayload(time: t0, source: "x", faces: faces).dominant == "happy")
        // A tie goes to the earlier label (FER2013 order: happy before sad).
        let tie = [FaceInView(track: 1, box: [0, 0, 1, 1], emotion: "sad", score: 0.5),
                   FaceInView(track: 2, box: [0, 0, 1, 1], emotion: "happy", score: 0.5)]
        #expect(StatePayload(time: t0, source: "x", faces: tie).dominant == "happy")
    }

    @Test func sourceIsEscapedByTheProjectsEscaper() {
        let s = StatePayload(time: t0, source: "a\"b\\c", faces: [])
        #expect(s.json.contains(JSONValue.quoted("a\"b\\c")))
    }

    @Test func throttleSendsChangesAtMostNPerSecondAndNeverLosesTheLast() {
        var th = StateThrottle(maxRate: 2)   // every 0.5 s at most
        func state(_ emotion: String) -> StatePayload {
            StatePayload(time: t0, source: "x", faces: [FaceInView(track: 1, box: [0, 0, 9, 9], emotion: emotion, score: 0.7)])
        }
        var sent: [Bool] = []
        for (emotion, now) in [("happy", 10.0), ("happy", 10.1), ("sad", 10.2), ("sad", 10.4), ("sad", 10.5), ("sad", 11.5)] {
            sent.append(th.offer(state(emotion), now: now))
        }
        // first; unchanged; changed but too soon (twice); the pending change goes out; and only once.
        #expect(sent == [true, false, false, false, true, false])
        let later = StatePayload(time: t0.addingTimeInterval(5), source: "x", faces: state("sad").faces)
        let timeOnly = th.offer(later, now: 12)
        #expect(!timeOnly, "the time alone is no change")
    }
}
