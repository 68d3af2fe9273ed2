// The pipeline's MQTT sink: every detection-log line (the same bytes as the
// log: DetectionEvent.jsonLine / CameraEvent.jsonLine) goes to <prefix>/events,
// camera lines also to <prefix>/camera (retained), and the faces in view to
// <prefix>/state (retained) on change, throttled. It only enqueues (never
// blocks the output thread); MQTTPublisher sends.
import FERCam
import Foundation

public final class MQTTSink: DetectionSink, CameraEventSink {
    private let publisher: MQTTPublisher
    private let topics: MQTTTopics
    private let qos: Int
    private var throttle: StateThrottle     // output thread only
    private let clock: () -> Double
    private var source = ""                 // output thread only: the latest frame's source

    public init(publisher: MQTTPublisher, clock: @escaping () -> Double = MonotonicClock.seconds) {
        self.publisher = publisher
        topics = publisher.settings.topics
        qos = publisher.settings.qos
        throttle = StateThrottle(maxRate: publisher.settings.stateRate)
        self.clock = clock
    }

    public func consume(_ result: FrameResult) throws(CamError) -> SinkAction {
        for e in result.events { line(e.jsonLine()) }
        source = result.frame.source
        let state = StatePayload(time: Date(), source: result.frame.source, faces: result.faces.map(FaceInView.init))
        if throttle.offer(state, now: clock()) { publisher.setState(message(state)) }
        return .proceed
    }

    public func finish(finalEvents: [DetectionEvent]) throws(CamError) {
        for e in finalEvents { line(e.jsonLine()) }
        nobodyInView()
    }

    public func camera(_ event: CameraEvent, closedTracks: [DetectionEvent]) throws(CamError) {
        let text = event.jsonLine()
        line(text)
        publisher.enqueue(MQTTMessage(topic: topics.camera, text: text, qos: qos, retain: true))
        for e in closedTracks { line(e.jsonLine()) }
        if case .lost = event.status { nobodyInView() }
    }

    private func line(_ text: String) {
        publisher.enqueue(MQTTMessage(topic: topics.events, text: text, qos: qos))
    }

    /// The run ended or the camera went away: an empty state, whatever the rate.
    private func nobodyInView() {
        let state = StatePayload(time: Date(), source: source, faces: [])
        throttle.force(state, now: clock())
        publisher.setState(message(state))
    }

    private func message(_ s: StatePayload) -> MQTTMessage {
        MQTTMessage(topic: topics.state, text: s.json, qos: 1, retain: true)
    }
}
