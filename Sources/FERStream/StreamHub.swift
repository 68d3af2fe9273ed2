// StreamHub: the one object the live pipeline pushes into (frames as JPEG bytes, detection
// events as JSON lines, faces, camera state, counters, stage timings) and the HTTP server
// reads from. Every call is thread-safe, takes a short lock and never waits on a viewer:
// each MJPEG viewer has a latest-frame slot (a newer frame replaces an unsent one), each
// /events client a bounded buffer. It does not encode JPEG and does no network I/O.
import Foundation
import Synchronization
import Hummingbird

public final class StreamHub: Sendable {
    public struct Configuration: Sendable {
        /// Detection events kept for clients that connect later (the page's "latest events").
        public var eventHistory: Int = 50
        /// /healthz reports 503 when the last frame is older than this many seconds.
        public var staleAfterSeconds: Double = 2.0
        /// Messages buffered per /events client before the oldest are dropped.
        public var eventClientBuffer: Int = 256
        /// Emotion labels in the order of `FaceSnapshot.probabilities` (FER2013 order).
        public var labels: [String] = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]

        public init() {}
    }

    let configuration: Configuration
    let metrics = StreamMetrics()
    private let state = Locked(State())
    private let sent = Atomic<Int>(0)
    private let skipped = Atomic<Int>(0)

    private struct State {
        var latest: EncodedFrame?
        var framesPublished = 0
        var camera = CameraState.starting
        var faces: [FaceSnapshot] = []
        var facesChunk: ByteBuffer?
        var history: [(id: Int, chunk: ByteBuffer)] = []  // oldest first, at most eventHistory
        var nextEventID = 1
        var nextClientID = 0
        var frameViewers: [Int: AsyncStream<EncodedFrame>.Continuation] = [:]
        var eventClients: [Int: AsyncStream<ByteBuffer>.Continuation] = [:]
        var ticks = 0
    }

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    // MARK: - Pipeline side (never blocks)

    /// Hands one overlaid frame, already JPEG-encoded, to every viewer. The bytes are copied
    /// once into a shared buffer; `timestamp` is the frame's own time in seconds.
    public func publishFrame(jpeg: [UInt8], index: Int, timestamp: Double) {
        let frame = EncodedFrame(jpeg: jpeg, index: index, timestamp: timestamp, publishedAt: .now)
        let skipped = state.withLock { s -> Int in
            s.latest = frame
            s.framesPublished += 1
            if s.camera == .starting { s.camera = .streaming; metrics.setCamera(.streaming) }
            var skipped = 0
            for viewer in s.frameViewers.values {
                if case .dropped = viewer.yield(frame) { skipped += 1 }
            }
            return skipped
        }
        metrics.framesPublished.increment()
        if skipped > 0 {
            metrics.framesSkipped.increment(by: Int64(skipped))
            self.skipped.add(skipped, ordering: .relaxed)
        }
    }

    /// Hands one detection event (one JSON Lines line, without or with its newline) to /events
    /// clients and to the page's history. Returns the SSE id it was given.
    @discardableResult
    public func publishEvent(json: String) -> Int {
        var line = Substring(json)
        while line.last == "\n" || line.last == "\r" { line.removeLast() }
        let text = String(line)
        metrics.eventsPublished.increment()
        return state.withLock { s in
            let id = s.nextEventID
            s.nextEventID += 1
            let chunk = ByteBuffer(string: ServerSentEvent.format(id: id, data: text))
            s.history.append((id, chunk))
            if s.history.count > configuration.eventHistory { s.history.removeFirst(s.history.count - configuration.eventHistory) }
            for client in s.eventClients.values { client.yield(chunk) }
            return id
        }
    }

    /// Replaces the faces now in view. /events clients get a `faces` event when they changed.
    public func updateFaces(_ faces: [FaceSnapshot]) {
        let faces = faces.map(\.sanitized)
        metrics.faces.set(to: Double(faces.count))
        state.withLock { s in
            guard s.faces != faces || s.facesChunk == nil else { return }
            s.faces = faces
            let chunk = ByteBuffer(string: ServerSentEvent.format(event: "faces", data: Self.facesJSON(faces, labels: configuration.labels)))
            s.facesChunk = chunk
            for client in s.eventClients.values { client.yield(chunk) }
        }
    }

    /// Reports what the camera does; `.lost` makes /healthz answer 503 until `.streaming`.
    /// (The first published frame also moves `.starting` to `.streaming`.)
    public func setCamera(state camera: CameraState) {
        metrics.setCamera(camera)
        state.withLock { s in
            guard s.camera != camera else { return }
            s.camera = camera
            let chunk = ByteBuffer(string: ServerSentEvent.format(event: "camera", data: Self.cameraJSON(camera)))
            for client in s.eventClients.values { client.yield(chunk) }
        }
    }

    /// Adds one observation to the latency histogram of a pipeline stage ("capture", "detect", ...).
    public func recordStage(_ name: String, seconds: Double) {
        metrics.recordStage(name, seconds: seconds)
    }

    /// Counters the pipeline increments as it goes.
    public func countCaptured(_ n: Int = 1) { metrics.framesCaptured.increment(by: Int64(n)) }
    public func countDropped(_ n: Int = 1) { metrics.framesDropped.increment(by: Int64(n)) }
    public func countProcessed(_ n: Int = 1) { metrics.framesProcessed.increment(by: Int64(n)) }

    /// The MQTT publisher's figures (fer_mqtt_* in /metrics): queued and connected now, dropped and published since start.
    public func setMQTT(queued: Int, dropped: Int, published: Int, connected: Bool) {
        metrics.setMQTT(queued: queued, dropped: dropped, published: published, connected: connected)
    }

    // MARK: - Read side (server)

    /// Frames published so far.
    public var framesPublished: Int { state.withLock { $0.framesPublished } }
    /// Frames written to viewers, and frames a slow viewer missed because a newer one replaced it.
    public var framesSent: Int { sent.load(ordering: .relaxed) }
    public var framesSkipped: Int { skipped.load(ordering: .relaxed) }
    /// Clients now on /stream.mjpg and on /events.
    public var viewerCount: Int { state.withLock { $0.frameViewers.count } }
    public var eventClientCount: Int { state.withLock { $0.eventClients.count } }
    public var camera: CameraState { state.withLock { $0.camera } }
    public var faces: [FaceSnapshot] { state.withLock { $0.faces } }
    /// The detection events kept for late /events clients, oldest first, as the JSON lines published (tests, diagnostics).
    public var recentEvents: [String] {
        state.withLock { s in
            s.history.map { entry in
                String(buffer: entry.chunk).split(separator: "\n").filter { $0.hasPrefix("data: ") }
                    .map { $0.dropFirst("data: ".count) }.joined(separator: "\n")
            }
        }
    }

    var latestFrame: EncodedFrame? { state.withLock { $0.latest } }

    /// Called by a viewer after it wrote one frame to its socket.
    func didSendFrame() {
        sent.add(1, ordering: .relaxed)
        metrics.framesSent.increment()
    }

    /// A new MJPEG viewer: a stream that always holds only the newest unsent frame, and its
    /// continuation (finish it to end the subscription).
    func subscribeFrames() -> (AsyncStream<EncodedFrame>, AsyncStream<EncodedFrame>.Continuation) {
        let (stream, continuation) = AsyncStream.makeStream(of: EncodedFrame.self, bufferingPolicy: .bufferingNewest(1))
        let count = state.withLock { s -> Int in
            let id = s.nextClientID
            s.nextClientID += 1
            s.frameViewers[id] = continuation
            continuation.onTermination = { [weak self] _ in self?.removeFrameViewer(id) }
            if let latest = s.latest { continuation.yield(latest) }  // show something at once
            return s.frameViewers.count
        }
        metrics.streamViewers.set(to: Double(count))
        return (stream, continuation)
    }

    /// A new /events client: first the camera state, faces and the events after `lastEventID`
    /// (all kept ones when nil), then live messages, each a ready-to-write SSE chunk.
    func subscribeEvents(after lastEventID: Int?) -> (AsyncStream<ByteBuffer>, AsyncStream<ByteBuffer>.Continuation) {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ByteBuffer.self, bufferingPolicy: .bufferingNewest(max(configuration.eventClientBuffer, configuration.eventHistory + 3)))
        let count = state.withLock { s -> Int in
            let id = s.nextClientID
            s.nextClientID += 1
            continuation.yield(ByteBuffer(string: ServerSentEvent.retry(milliseconds: 2000)))
            continuation.yield(ByteBuffer(string: ServerSentEvent.format(event: "camera", data: Self.cameraJSON(s.camera))))
            continuation.yield(s.facesChunk ?? ByteBuffer(string: ServerSentEvent.format(event: "faces", data: Self.facesJSON([], labels: configuration.labels))))
            for (eventID, chunk) in s.history where eventID > (lastEventID ?? 0) { continuation.yield(chunk) }
            s.eventClients[id] = continuation
            continuation.onTermination = { [weak self] _ in self?.removeEventClient(id) }
            return s.eventClients.count
        }
        metrics.eventClients.set(to: Double(count))
        return (stream, continuation)
    }

    private func removeFrameViewer(_ id: Int) {
        let count = state.withLock { s in
            s.frameViewers[id] = nil
            return s.frameViewers.count
        }
        metrics.streamViewers.set(to: Double(count))
    }

    private func removeEventClient(_ id: Int) {
        let count = state.withLock { s in
            s.eventClients[id] = nil
            return s.eventClients.count
        }
        metrics.eventClients.set(to: Double(count))
    }

    /// Called about once a second by the server: when no frame came for a second, the latest
    /// one is sent again (so a closed viewer is noticed and freed even while the camera is
    /// stalled); every 10 ticks /events clients get a comment line for the same reason.
    func tick(now: ContinuousClock.Instant = .now) {
        state.withLock { s in
            s.ticks += 1
            if let latest = s.latest, now - latest.publishedAt >= .seconds(1) {
                for viewer in s.frameViewers.values { viewer.yield(latest) }
            }
            if s.ticks % 10 == 0 {
                let chunk = ByteBuffer(string: ServerSentEvent.comment("keepalive"))
                for client in s.eventClients.values { client.yield(chunk) }
            }
        }
    }

    /// Ends every viewer's stream (server shutdown). Done outside the lock: finishing runs
    /// the streams' termination handlers, which take the lock.
    func finishAllViewers() {
        let (frames, events) = state.withLock { s in (Array(s.frameViewers.values), Array(s.eventClients.values)) }
        frames.forEach { $0.finish() }
        events.forEach { $0.finish() }
    }

    /// What /healthz reports.
    public func health(now: ContinuousClock.Instant = .now) -> StreamHealth {
        let (camera, latest, published, viewers) = state.withLock { s in (s.camera, s.latest, s.framesPublished, s.frameViewers.count) }
        let age = latest.map { (now - $0.publishedAt).seconds }
        return StreamHealth(camera: camera, lastFrameAge: age, framesPublished: published, viewers: viewers,
                            staleAfter: configuration.staleAfterSeconds)
    }

    /// Refreshes the gauges that depend on time, right before /metrics is rendered.
    func metricsText(now: ContinuousClock.Instant = .now) -> String {
        let latest = state.withLock { $0.latest }
        metrics.lastFrameAge.set(to: latest.map { (now - $0.publishedAt).seconds } ?? -1)
        return metrics.text()
    }

    // MARK: - JSON for the page

    static func facesJSON(_ faces: [FaceSnapshot], labels: [String]) -> String {
        struct Payload: Encodable { let labels: [String]; let faces: [FaceSnapshot] }
        return encodeJSON(Payload(labels: labels, faces: faces))
    }

    static func cameraJSON(_ camera: CameraState) -> String {
        struct Payload: Encodable { let state: String; let reason: String? }
        return encodeJSON(Payload(state: camera.name, reason: camera.reason))
    }
}

func encodeJSON(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Encoding our own plain structs cannot fail (non-finite numbers are zeroed by FaceSnapshot.sanitized).
    guard let data = try? encoder.encode(value) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }
}
