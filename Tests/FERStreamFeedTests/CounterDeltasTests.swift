// CounterDeltas: cumulative pipeline counts become increments, never negative.
import FERCam
import Testing
import FERStreamFeed

@Suite struct CounterDeltasTests {
    func health(captured: Int, dropped: Int) -> PipelineHealth {
        var h = PipelineHealth()
        h.framesCaptured = captured
        h.framesDropped = dropped
        return h
    }

    @Test func incrementsBetweenSnapshots() {
        var d = CounterDeltas()
        var got: [[Int]] = []
        for (c, dr) in [(30, 2), (45, 2), (45, 2), (40, 1), (50, 3)] {
            let t = d.take(health(captured: c, dropped: dr))
            got.append([t.captured, t.dropped])
        }
        // A smaller count (40 after 45) never gives a negative increment.
        #expect(got == [[30, 2], [15, 0], [0, 0], [0, 0], [5, 1]])
    }

    @Test func frameRateOverTheLastSecond() {
        var r = FrameRate()
        #expect(r.add(10.0) == nil)
        #expect(r.add(10.5) == 2)
        #expect(r.add(11.0) == 2)
        let late = r.add(11.6) ?? 0   // 10.0 and 10.5 are more than a second old: 11.0 and 11.6 remain
        #expect(abs(late - 1 / 0.6) < 1e-9, "rate \(late)")
    }
}
