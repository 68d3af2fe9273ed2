// StreamMetrics: the Prometheus registry behind /metrics (one per hub, no global
// MetricsSystem bootstrap) and the named metrics the hub and server update.
// It does not serve HTTP; StreamRoutes renders `text()`.
import Prometheus

final class StreamMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    let framesCaptured: Counter
    let framesDropped: Counter
    let framesProcessed: Counter
    let faces: Gauge
    let framesPublished: Counter
    let framesSent: Counter
    let framesSkipped: Counter
    let eventsPublished: Counter
    let streamViewers: Gauge
    let eventClients: Gauge
    let streamClients: Gauge
    let streamClientsMax: Gauge
    let streamClientsRefused: Counter
    let streamClientsStalled: Counter
    let cameraUp: Gauge
    let lastFrameAge: Gauge
    private let cameraStates: [String: Gauge]
    private let stages = Locked<[String: ValueHistogram]>([:])
    private let mqtt = Locked<MQTTMetrics?>(nil)   // made on the first report (only runs with --mqtt show them)

    private struct MQTTMetrics {
        let queued: Gauge, connected: Gauge, dropped: Counter, published: Counter
        var seenDropped = 0, seenPublished = 0
    }

    /// Upper bounds (seconds) of the per-stage latency histogram buckets.
    static let stageBuckets: [Double] = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2]

    /// At most this many distinct stage names get a histogram; later names are ignored.
    static let maxStages = 32

    init() {
        let r = registry
        framesCaptured = r.makeCounter(descriptor: .named("fer_frames_captured_total", help: "Frames read from the camera or file."))
        framesDropped = r.makeCounter(descriptor: .named("fer_frames_dropped_total", help: "Frames dropped because a later stage was busy."))
        framesProcessed = r.makeCounter(descriptor: .named("fer_frames_processed_total", help: "Frames that went through detection and classification."))
        faces = r.makeGauge(descriptor: .named("fer_faces", help: "Faces in view in the latest processed frame."))
        framesPublished = r.makeCounter(descriptor: .named("fer_stream_frames_published_total", help: "Overlaid frames handed to the stream."))
        framesSent = r.makeCounter(descriptor: .named("fer_stream_frames_sent_total", help: "Frames written to MJPEG viewers (all viewers)."))
        framesSkipped = r.makeCounter(descriptor: .named("fer_stream_frames_skipped_total", help: "Frames a slow viewer missed (replaced by a newer one)."))
        eventsPublished = r.makeCounter(descriptor: .named("fer_events_published_total", help: "Detection events handed to the stream."))
        streamViewers = r.makeGauge(descriptor: .named("fer_stream_viewers", help: "Clients connected to /stream.mjpg."))
        eventClients = r.makeGauge(descriptor: .named("fer_stream_event_clients", help: "Clients connected to /events."))
        streamClients = r.makeGauge(descriptor: .named("fer_stream_clients", help: "Long-lived clients (MJPEG viewers and /events clients) holding a slot."))
        streamClientsMax = r.makeGauge(descriptor: .named("fer_stream_clients_max", help: "Most long-lived clients served at once (--stream-max-clients)."))
        streamClientsRefused = r.makeCounter(descriptor: .named("fer_stream_clients_refused_total", help: "MJPEG and /events requests answered 503 because all client slots were taken."))
        streamClientsStalled = r.makeCounter(descriptor: .named("fer_stream_clients_stalled_total", help: "Streaming clients closed because their socket accepted nothing for too long."))
        cameraUp = r.makeGauge(descriptor: .named("fer_camera_up", help: "1 while the camera delivers frames, else 0."))
        lastFrameAge = r.makeGauge(descriptor: .named("fer_last_frame_age_seconds", help: "Seconds since the last published frame (-1 before the first)."))
        var states: [String: Gauge] = [:]
        for name in CameraState.allNames {
            states[name] = r.makeGauge(descriptor: .named("fer_camera_state", help: "1 for the camera's current state."), labels: [("state", name)])
        }
        cameraStates = states
        setCamera(.starting)
    }

    func setCamera(_ state: CameraState) {
        for (name, gauge) in cameraStates { gauge.set(to: name == state.name ? 1 : 0) }
        cameraUp.set(to: state == .streaming ? 1 : 0)
    }

    /// Records under `stages`' lock, which text() holds too: swift-prometheus's Histogram
    /// copies its bucket array out of its own lock and reads it after, while record() writes
    /// it (copy-on-write makes that safe only through the runtime's reference counts, which
    /// ThreadSanitizer cannot see). One lock around both makes the order plain.
    func recordStage(_ name: String, seconds: Double) {
        stages.withLock { table in
            if let h = table[name] { h.record(seconds); return }
            guard table.count < Self.maxStages else { return }  // bound label cardinality
            let h = registry.makeValueHistogram(
                descriptor: .named("fer_stage_seconds", help: "Latency of one pipeline stage per frame, in seconds."),
                labels: [("stage", name)], buckets: Self.stageBuckets)
            table[name] = h
            h.record(seconds)
        }
    }

    /// MQTT publisher figures: queue length and connection now, totals since start (counters take the growth).
    func setMQTT(queued: Int, dropped: Int, published: Int, connected: Bool) {
        mqtt.withLock { m in
            if m == nil {
                // Made under `stages`' lock, which text() holds: the registry's emit iterates
                // its table out of the registry's own lock, and a metric made meanwhile writes
                // it (ThreadSanitizer saw that race when the first MQTT report met a /metrics read).
                m = stages.withLock { _ in makeMQTTMetrics() }
            }
            m!.queued.set(to: Double(queued))
            m!.connected.set(to: connected ? 1 : 0)
            if dropped > m!.seenDropped { m!.dropped.increment(by: Int64(dropped - m!.seenDropped)); m!.seenDropped = dropped }
            if published > m!.seenPublished { m!.published.increment(by: Int64(published - m!.seenPublished)); m!.seenPublished = published }
        }
    }

    private func makeMQTTMetrics() -> MQTTMetrics {
        let r = registry
        return MQTTMetrics(
            queued: r.makeGauge(descriptor: .named("fer_mqtt_queued", help: "MQTT messages waiting for the broker.")),
            connected: r.makeGauge(descriptor: .named("fer_mqtt_connected", help: "1 while connected to the MQTT broker, else 0.")),
            dropped: r.makeCounter(descriptor: .named("fer_mqtt_dropped_total", help: "MQTT messages dropped because the queue was full (--mqtt-queue).")),
            published: r.makeCounter(descriptor: .named("fer_mqtt_published_total", help: "MQTT messages the broker acknowledged (QoS 1) or that were sent (QoS 0).")))
    }

    func text() -> String { stages.withLock { _ in registry.emitToString() } }
}

extension MetricNameDescriptor {
    /// A full metric name as is (no namespace/unit splitting) with its HELP text.
    static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
