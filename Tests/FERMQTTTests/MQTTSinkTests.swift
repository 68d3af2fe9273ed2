// MQTTSink: what it puts where (the log's exact lines on events, camera lines
// also on camera, the state in its slot, throttled), without a broker: the
// publisher is never started, so everything stays waiting.
import FERCam
import FERNet
import FERVision
import Foundation
import Logging
import Testing
@testable import FERMQTT

@Suite struct MQTTSinkTests {
    final class Clock: @unchecked Sendable { var now = 100.0 }

    func makeSink(queue: Int = 100, clock: Clock = Clock()) throws -> (MQTTSink, MQTTPublisher) {
        let settings = try MQTTSettings(url: MQTTURL(tls: false, host: "127.0.0.1", port: 1), name: "unit", queueCapacity: queue)
        let publisher = try MQTTPublisher(settings: settings, logger: .init(label: "test"))
        return (MQTTSink(publisher: publisher, clock: { clock.now }), publisher)
    }

    func result(frame: Int, events: [DetectionEvent], faces: [TrackedFace]) -> FrameResult {
        let f = Frame(index: frame, time: Double(frame) / 30, source: "cam", gray: GrayImage(width: 8, height: 8, fill: 0),
                      bgr: BGRImage(width: 8, height: 8))
        return FrameResult(frame: f, faces: faces, events: events, ranDetector: true, timings: StageTimings())
    }

    func event(_ kind: DetectionEvent.Kind, track: Int) -> DetectionEvent {
        var p = [Float](repeating: 0.05, count: 7)
        p[3] = 0.7
        return DetectionEvent(kind: kind, time: Date(timeIntervalSince1970: 1_800_000_000), source: "cam", frame: 1, track: track,
                              box: Box(x: 1, y: 2, width: 30, height: 30), probabilities: p)
    }

    @Test func eventsGoOutAsTheLogsExactLines() throws {
        let (sink, publisher) = try makeSink()
        let events = [event(.start, track: 1), event(.start, track: 2)]
        _ = try sink.consume(result(frame: 1, events: events, faces: []))
        let waiting = publisher.waiting.queue
        #expect(waiting.map(\.topic) == ["fer-cam/unit/events", "fer-cam/unit/events"])
        #expect(waiting.map(\.text) == events.map { $0.jsonLine() })
        #expect(waiting.allSatisfy { $0.qos == 1 && !$0.retain })
    }

    @Test func cameraLinesGoToEventsAndCameraWithTheClosedTracks() throws {
        let (sink, publisher) = try makeSink()
        let lost = CameraEvent(time: Date(timeIntervalSince1970: 1_800_000_000), source: "cam", status: .lost(reason: "unplugged"))
        try sink.camera(lost, closedTracks: [event(.end, track: 4)])
        let waiting = publisher.waiting
        #expect(waiting.queue.map(\.topic) == ["fer-cam/unit/events", "fer-cam/unit/camera", "fer-cam/unit/events"])
        #expect(waiting.queue[0].text == lost.jsonLine() && waiting.queue[1].text == lost.jsonLine())
        #expect(waiting.queue[1].retain)
        #expect(waiting.state?.text.contains("\"count\":0") == true, "a lost camera empties the state")
    }

    @Test func stateIsThrottledAndTheLastOneKept() throws {
        let clock = Clock()
        let (sink, publisher) = try makeSink(clock: clock)
        var p = [Float](repeating: 0.05, count: 7)
        p[5] = 0.7
        let face = TrackedFace(id: 1, box: Box(x: 0, y: 0, width: 20, height: 20), probabilities: p, detectedNow: true)
        _ = try sink.consume(result(frame: 1, events: [], faces: [face]))
        #expect(publisher.waiting.state?.text.contains("\"dominant\":\"surprise\"") == true)
        #expect(publisher.waiting.state?.retain == true && publisher.waiting.state?.topic == "fer-cam/unit/state")
        clock.now += 0.1   // too soon for a change (2 a second)
        _ = try sink.consume(result(frame: 2, events: [], faces: []))
        #expect(publisher.waiting.state?.text.contains("\"count\":1") == true)
        clock.now += 0.5
        _ = try sink.consume(result(frame: 3, events: [], faces: []))
        #expect(publisher.waiting.state?.text.contains("\"count\":0") == true)
    }

    @Test func aFullQueueDropsTheOldestAndCountsIt() throws {
        let (sink, publisher) = try makeSink(queue: 3)
        let events = (1...5).map { event(.start, track: $0) }
        _ = try sink.consume(result(frame: 1, events: events, faces: []))
        #expect(publisher.counts.queued == 3 && publisher.counts.dropped == 2)
        #expect(publisher.waiting.queue.map(\.text) == events.suffix(3).map { $0.jsonLine() })
    }
}
