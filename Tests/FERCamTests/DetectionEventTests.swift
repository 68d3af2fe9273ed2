// Event lines are valid one-line JSON with every field of the contract.
import Foundation
import Testing
@testable import FERCam
import FERNet
import FERVision

@Suite struct DetectionEventTests {
    @Test func jsonLineHasEveryField() throws {
        let e = DetectionEvent(kind: .update, time: Date(timeIntervalSince1970: 1_700_000_000.25), source: "/dev/video0 \"x\"",
                               frame: 12, track: 3, box: Box(x: 1, y: 2, width: 3, height: 4),
                               probabilities: [0.1, 0, 0, 0.6, 0.1, 0.1, 0.1])
        let line = e.jsonLine()
        #expect(!line.contains("\n"))
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(obj["time"] as? String == "2023-11-14T22:13:20.250Z")
        #expect(obj["source"] as? String == "/dev/video0 \"x\"")
        #expect(obj["frame"] as? Int == 12)
        #expect(obj["event"] as? String == "update")
        #expect(obj["track"] as? Int == 3)
        #expect(obj["box"] as? [Int] == [1, 2, 3, 4])
        #expect(obj["emotion"] as? String == "happy")
        #expect((obj["score"] as? Double).map { abs($0 - 0.6) < 1e-4 } == true)
        let probs = try #require(obj["probabilities"] as? [String: Double])
        #expect(Set(probs.keys) == Set(Emotion.names))
    }

    @Test func nonFiniteValuesStayValidJSON() throws {
        let e = DetectionEvent(kind: .start, time: Date(), source: "s", frame: 0, track: 1, box: Box(x: 0, y: 0, width: 1, height: 1),
                               probabilities: [.nan, .infinity, 0, 0, 0, 0, 0])
        #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(e.jsonLine().utf8)) }
    }
}
