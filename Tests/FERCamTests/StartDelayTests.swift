// StartDelay: a face followed back through reference frames to where the reference first shows it.
import Testing
@testable import FERCam
import FERVision

@Suite struct StartDelayTests {
    /// A 40-px face moving 4 px right per frame, at 25 fps.
    private func face(_ f: Int) -> Box { Box(x: 100 + 4 * f, y: 50, width: 40, height: 40) }
    private let times = Dictionary(uniqueKeysWithValues: (0..<20).map { ($0, Double($0) / 25) })

    @Test func countsFromTheFirstReferenceFrameThatShowsTheFace() throws {
        // The reference shows the face from frame 3 on, plus an unrelated face everywhere.
        var ref: [Int: [Box]] = [:]
        for f in 0..<20 { ref[f] = [Box(x: 500, y: 300, width: 60, height: 60)] + (f >= 3 ? [face(f)] : []) }
        let d = try #require(StartDelay.seconds(startFrame: 8, box: face(8), reference: ref, times: times))
        #expect(abs(d - 5.0 / 25) < 1e-9, "frames 3 to 8: \(d)")
    }

    @Test func bridgesOneMissedReferenceFrameButNotTwo() throws {
        var ref: [Int: [Box]] = [:]
        for f in 0..<20 { ref[f] = [face(f)] }
        var oneGap = ref; oneGap[5] = []
        #expect(StartDelay.seconds(startFrame: 8, box: face(8), reference: oneGap, times: times) == 8.0 / 25)
        var twoGaps = ref; twoGaps[5] = []; twoGaps[4] = []
        let d = try #require(StartDelay.seconds(startFrame: 8, box: face(8), reference: twoGaps, times: times))
        #expect(abs(d - 2.0 / 25) < 1e-9, "two missed frames in a row end the face's history at frame 6: \(d)")
    }

    @Test func referenceEveryThirdFrameAndAFaceTheReferenceNeverSaw() throws {
        var ref: [Int: [Box]] = [:]
        for f in stride(from: 0, to: 20, by: 3) { ref[f] = f >= 6 ? [face(f)] : [] }
        // Start on frame 10 (no reference there): the reference frames 9 and 6 show the face.
        let d = try #require(StartDelay.seconds(startFrame: 10, box: face(10), reference: ref, times: times))
        #expect(abs(d - 4.0 / 25) < 1e-9)
        #expect(StartDelay.seconds(startFrame: 10, box: Box(x: 0, y: 200, width: 30, height: 30), reference: ref, times: times) == nil,
                "a track on something the reference never found has no delay to measure")
    }
}
