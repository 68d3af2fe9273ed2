// PublishPacing: which processed frames the stream draws and publishes, for
// given times and viewer counts (no clock, no server).
import Testing
import FERStreamFeed

@Suite struct PublishPacingTests {
    func decisions(_ pacing: PublishPacing, _ frames: [(t: Double, viewers: Int)]) -> [Bool] {
        var p = pacing
        return frames.map { p.shouldPublish(now: $0.t, viewers: $0.viewers) }
    }

    @Test func withViewersAndNoCapEveryFrameIsPublished() {
        let frames = [0.0, 0.01, 0.02, 0.033].map { (t: $0, viewers: 1) }
        #expect(decisions(PublishPacing(fpsCap: nil), frames) == [true, true, true, true])
    }

    @Test func withViewersTheCapSpacesFrames() {
        // --stream-fps 10: at most one frame every 0.1 s.
        let frames = [0.0, 0.05, 0.1, 0.12, 0.25].map { (t: $0, viewers: 2) }
        #expect(decisions(PublishPacing(fpsCap: 10), frames) == [true, false, true, false, true])
    }

    @Test func withoutViewersOnlyTheIdleRate() {
        let frames = [0.0, 0.1, 0.4, 0.5, 0.9, 1.0].map { (t: $0, viewers: 0) }
        #expect(decisions(PublishPacing(fpsCap: nil), frames) == [true, false, false, true, false, true])
    }

    @Test func aViewerArrivingSwitchesToTheViewerRateAtOnce() {
        let frames: [(t: Double, viewers: Int)] = [(0, 0), (0.1, 0), (0.2, 1), (0.25, 1), (0.3, 0), (0.6, 0), (0.75, 0)]
        #expect(decisions(PublishPacing(fpsCap: nil), frames) == [true, false, true, true, false, false, true])
    }
}
