// The soak's log checker on small hand-made logs: a clean rotated log passes;
// a doubled line, a missing end, a torn line, frames going backwards across a
// rotation, an update before a start and a lost line are each reported with
// where they are.
import Foundation
import Testing
@testable import FERCam

@Suite struct DetectionLogCheckTests {
    private func ev(_ event: String, track: Int, frame: Int) -> String {
        "{\"time\":\"2026-01-01T00:00:00.000Z\",\"source\":\"test\",\"frame\":\(frame),\"event\":\"\(event)\",\"track\":\(track),\"box\":[1,2,3,4],\"emotion\":\"happy\",\"score\":0.9}"
    }
    private let lost = "{\"time\":\"2026-01-01T00:00:00.000Z\",\"source\":\"test\",\"event\":\"camera\",\"state\":\"lost\",\"reason\":\"x\"}"
    private func file(_ name: String, _ lines: [String], newlineAtEnd: Bool = true) -> (name: String, contents: Data) {
        (name, Data((lines.joined(separator: "\n") + (newlineAtEnd && !lines.isEmpty ? "\n" : "")).utf8))
    }

    @Test func cleanRotatedLogPasses() {
        let r = DetectionLogCheck.check([
            file("log.1", [ev("start", track: 1, frame: 0), ev("update", track: 1, frame: 30)]),
            file("log.2", [ev("update", track: 1, frame: 60), lost, ev("end", track: 1, frame: 89)]),
            file("log", [ev("start", track: 2, frame: 90), ev("end", track: 2, frame: 120)]),
        ], expectedEvents: 6)
        #expect(r.ok, "\(r.problems)")
        #expect(r.files == 3 && r.lines == 7 && r.detectionEvents == 6 && r.cameraLines == 1 && r.cameraLost == 1)
        #expect(r.tracksStarted == 2 && r.tracksEnded == 2)
    }

    @Test func doubledLineIsReported() {
        let r = DetectionLogCheck.check([file("log", [ev("start", track: 1, frame: 0), ev("update", track: 1, frame: 30),
                                                     ev("update", track: 1, frame: 30), ev("end", track: 1, frame: 40)])])
        #expect(!r.ok)
        #expect(r.firstProblem?.contains("log:3: doubled line") == true, "\(r.problems)")
    }

    @Test func missingEndIsReportedOnlyWhenRequired() {
        let lines = [ev("start", track: 1, frame: 0), ev("start", track: 2, frame: 0), ev("end", track: 1, frame: 9)]
        let r = DetectionLogCheck.check([file("log", lines)])
        #expect(r.problems == ["track 2 started at log:2 but never ended"])
        #expect(DetectionLogCheck.check([file("log", lines)], requireEnded: false).ok)
    }

    @Test func tornLineIsReported() {
        let whole = ev("update", track: 1, frame: 30)
        // A torn line in the middle (half a line, then the next one) and one at the end without its newline.
        let r = DetectionLogCheck.check([
            file("log.1", [ev("start", track: 1, frame: 0), String(whole.prefix(40)) + ev("update", track: 1, frame: 31)]),
            file("log", [ev("end", track: 1, frame: 40), String(whole.prefix(25))], newlineAtEnd: false),
        ])
        #expect(r.problemCount == 2, "\(r.problems)")
        #expect(r.problems.first?.hasPrefix("log.1:2: not a whole JSON object") == true)
        #expect(r.problems.last?.hasPrefix("log:2: torn line") == true)
    }

    @Test func framesGoingBackwardsAcrossRotationAreReported() {
        // The rotated files handed over in the wrong order look exactly like this.
        let r = DetectionLogCheck.check([
            file("log.1", [ev("start", track: 1, frame: 0), ev("update", track: 1, frame: 60)]),
            file("log", [ev("update", track: 1, frame: 30), ev("end", track: 1, frame: 90)]),
        ])
        #expect(r.problems == ["log:1: frame goes backwards: 30 after 60 at log.1:2"])
    }

    @Test func orderOfATracksEventsIsChecked() {
        let r = DetectionLogCheck.check([file("log", [ev("update", track: 3, frame: 1), ev("start", track: 3, frame: 2),
                                                     ev("end", track: 3, frame: 3), ev("update", track: 3, frame: 4)])])
        #expect(r.problems == ["log:1: track 3 update before its start", "log:4: track 3 update after its end at log:3"])
    }

    @Test func lostLinesShowInTheCount() {
        let r = DetectionLogCheck.check([file("log", [ev("start", track: 1, frame: 0), ev("end", track: 1, frame: 5)])], expectedEvents: 3)
        #expect(r.problems == ["the log holds 2 detection events, fer-cam reported 3 (lines lost)"])
    }

    @Test func emptyFilesAndNoLogAreFine() {
        let r = DetectionLogCheck.check([file("log.1", []), file("log", [])], expectedEvents: 0)
        #expect(r.ok && r.files == 2 && r.lines == 0)
    }
}
