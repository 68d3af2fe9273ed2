// The log sink writes whole lines, appends, and refuses an impossible path.
import Foundation
import Testing
@testable import FERCam
import FERVision

@Suite struct JSONLinesSinkTests {
    private func event(_ k: DetectionEvent.Kind, _ id: Int) -> DetectionEvent {
        DetectionEvent(kind: k, time: Date(), source: "t", frame: id, track: id, box: Box(x: 0, y: 0, width: 2, height: 2),
                       probabilities: [0, 0, 0, 1, 0, 0, 0])
    }

    @Test func writesOneLinePerEventAndFinalEnds() throws {
        let path = NSTemporaryDirectory() + "fercam-sink-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = try JSONLinesSink(path: path)
        let r = FrameResult(frame: blankFrame(index: 0), faces: [], events: [event(.start, 1), event(.start, 2)], ranDetector: true, timings: StageTimings())
        #expect(try sink.consume(r) == .proceed)
        try sink.finish(finalEvents: [event(.end, 1)])
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines.last == "")   // three lines, each ending in \n
        for l in lines.dropLast() { #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(l.utf8)) } }
    }

    @Test func missingDirectoryIsInputMissing() {
        #expect(throws: CamError.self) { try JSONLinesSink(path: "/nonexistent-dir-fercam/x.jsonl") }
        do { _ = try JSONLinesSink(path: "/nonexistent-dir-fercam/x.jsonl") } catch { #expect(error.exitCode == 66) }
    }
}
