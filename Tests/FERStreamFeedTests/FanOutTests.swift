// FanOutSink with the real sinks behind it: each event is serialized once per
// frame, and the same lines reach the detection log (a file), the stream's hub
// and the MQTT queue (a publisher never started, so messages stay waiting), in
// order; camera changes and the final `end` lines too. A failing sink does not
// keep the others from their lines.
import FERCam
import FERStream
import Foundation
import Logging
import Testing
@testable import FERMQTT
import FERStreamFeed

@Suite struct FanOutTests {
    final class Counter: @unchecked Sendable { var calls = 0 }

    func mqttSink() throws -> (MQTTSink, MQTTPublisher) {
        let settings = try MQTTSettings(url: MQTTURL(tls: false, host: "127.0.0.1", port: 1), name: "fan", queueCapacity: 1000)
        let publisher = try MQTTPublisher(settings: settings, logger: Logger(label: "test"))
        return (MQTTSink(publisher: publisher), publisher)
    }

    @Test func theSameLinesReachLogStreamAndMQTTSerializedOnce() throws {
        let path = Fixture.tempPath("events.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try JSONLinesSink(path: path)
        let hub = StreamHub()
        let stream = StreamFeedSink(hub: hub, pacing: PublishPacing(fpsCap: nil), logger: Logger(label: "test"))
        let (mqtt, publisher) = try mqttSink()
        let counter = Counter()
        let fan = FanOutSink([log, stream, mqtt]) { counter.calls += 1; return $0.jsonLine() }

        let first = [Fixture.event(.start, track: 1, frame: 1), Fixture.event(.start, track: 2, frame: 1)]
        #expect(try fan.consume(Fixture.result(frame: 1, events: first, faces: [Fixture.face(track: 1)])) == .proceed)
        let lost = CameraEvent(time: Date(timeIntervalSince1970: 1_800_000_001), source: "cam", status: .lost(reason: "unplugged"))
        try fan.camera(lost, closedTracks: [Fixture.event(.end, track: 1, frame: 2)])
        let finals = [Fixture.event(.end, track: 2, frame: 3)]
        try fan.finish(finalEvents: finals)
        #expect(counter.calls == 4, "each of the 4 events serialized once for 3 sinks, not \(counter.calls) times")

        let expectedEvents = (first + [Fixture.event(.end, track: 1, frame: 2)] + finals).map { $0.jsonLine() }
        let logged = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(logged == [expectedEvents[0], expectedEvents[1], lost.jsonLine(), expectedEvents[2], expectedEvents[3]])
        let onEvents = publisher.waiting.queue.filter { $0.topic == "fer-cam/fan/events" }.map(\.text)
        #expect(onEvents == logged, "MQTT's events topic carries the log's lines, camera line included")
        #expect(hub.recentEvents == expectedEvents, "the stream gets every detection event (camera lines stay in log and MQTT)")
        #expect(hub.faces.isEmpty, "the end of the run empties the stream's faces")
        #expect(hub.framesPublished == 1, "one overlay frame published")
    }

    /// A sink that fails or stops on every call.
    final class Refusing: EventLineSink {
        let stop: Bool
        init(stop: Bool) { self.stop = stop }
        func consume(_ result: FrameResult, lines: [String]) throws(CamError) -> SinkAction {
            if stop { return .stop }
            throw .deviceUnavailable("disk full")
        }
        func finish(finalLines: [String]) throws(CamError) {}
        func camera(_ event: CameraEvent, line: String, closedLines: [String]) throws(CamError) {}
    }

    @Test func aFailingSinkKeepsNoOtherFromItsLinesAndTheErrorComesBack() throws {
        let hub = StreamHub()
        let stream = StreamFeedSink(hub: hub, pacing: PublishPacing(fpsCap: nil), logger: Logger(label: "test"))
        let (mqtt, publisher) = try mqttSink()
        let fan = FanOutSink([Refusing(stop: false), stream, mqtt])
        let events = [Fixture.event(.start, track: 7)]
        #expect(throws: CamError.self) { _ = try fan.consume(Fixture.result(frame: 1, events: events)) }
        #expect(hub.recentEvents == events.map { $0.jsonLine() })
        #expect(publisher.waiting.queue.map(\.text) == events.map { $0.jsonLine() })

        let stopping = FanOutSink([stream, Refusing(stop: true)])
        #expect(try stopping.consume(Fixture.result(frame: 2, events: [])) == .stop)
    }
}
