// StreamFeedSink: what one processed frame puts into the hub (events, faces,
// overlay JPEG when the pacing allows) for a given clock and no viewers.
import FERCam
import FERStream
import Logging
import Testing
import FERStreamFeed

@Suite struct StreamFeedSinkTests {
    final class Clock: @unchecked Sendable { var now = 50.0 }

    @Test func withoutViewersFramesArePublishedAtTheIdleRateButEventsAndFacesAlways() throws {
        let hub = StreamHub(), clock = Clock()
        let sink = StreamFeedSink(hub: hub, pacing: PublishPacing(minInterval: nil, idleInterval: 0.5), logger: Logger(label: "test"),
                                  clock: { clock.now })
        for i in 1...10 {
            let events = i == 1 ? [Fixture.event(.start, track: 1, frame: 1)] : []
            _ = try sink.consume(Fixture.result(frame: i, events: events, faces: [Fixture.face(track: 1)]))
            clock.now += 0.1
        }
        // Frames at 50.0 ... 50.9: published at 50.0 and 50.5.
        #expect(hub.framesPublished == 2)
        #expect(hub.recentEvents.count == 1)
        #expect(hub.faces.map(\.trackID) == [1] && hub.faces.first?.emotion == "surprise")
        #expect(hub.camera == .streaming, "the first published frame moves starting to streaming")
    }
}
