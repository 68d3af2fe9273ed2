// The pipeline's MQTT sink: every detection-log line (the same strings the
// log gets from FanOutSink, serialized once) goes to <prefix>/events,
// camera lines also to <prefix>/camera (retained), and the faces in view to
// <prefix>/state (retained) on change, throttled. It only enqueues (never
// blocks the output thread); MQTTPublisher sends.
import FERCam
import Foundation

public final class MQTTSink: EventLineSink {
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

    public func consume(_ result: FrameResult, lines: [String]) throws(CamError) -> SinkAction {
        for l in lines { line(l) }
        source = result.frame.source
        let state = StatePayload(time: Date(), source: result.frame.source, faces: result.faces.map(FaceInView.init))
        if throttle.offer(state, now: clock()) { publisher.setState(message(state)) }
        return .proceed
    }

    public func finish(finalLines: [String]) throws(CamError) {
        for l in finalLines { line(l) }
        nobodyInView()
    }

    public func camera(_ event: CameraEvent, line text: String, closedLines: [String]) throws(CamError) {
        line(text)
        publisher.enqueue(MQTTMessage(topic: topics.camera, text: text, qos: qos, retain: true))
        for l in closedLines { line(l) }
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
