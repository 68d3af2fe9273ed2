// Connects the live pipeline to the HTTP overlay stream: starts a StreamServer
// on the --stream address, gives the pipeline a sink that per processed frame
// draws the overlay once, encodes it to JPEG once and publishes it with the
// frame's events (the log's exact JSON lines), faces, stage timings and
// counters, and mirrors the pipeline's health into the hub's camera state.
// It serves nothing itself (FERStream does) and never blocks on a viewer.
import FERCam
import FERNet
import FERStream
import FERVision
import Foundation
import Logging

final class StreamWiring: @unchecked Sendable {
    let hub: StreamHub
    let server: StreamServer
    let port: Int
    /// Publish at most this often; nil publishes every processed frame.
    private let minInterval: Double?
    /// Without MJPEG viewers, publish this often (keeps /snapshot.jpg and /healthz fresh).
    private let idleInterval = 0.5
    /// Seconds without a processed frame before the camera counts as lost.
    private let stallSeconds: Double
    private let logger: Logger
    private let renderer = OverlayRenderer()
    private let lock = NSLock()
    private var pipeline: Pipeline?
    private var timer: DispatchSourceTimer?
    private var lastPublish = -Double.infinity   // MonotonicClock seconds; output thread only
    private var fps = FrameRate()                // output thread only
    private var seenCaptured = 0, seenDropped = 0

    /// Validates and binds the address: 78 for a non-loopback address without a
    /// token, 69 when it cannot listen (address in use, no such interface).
    init(options: StreamOptions, stallSeconds: Double, logger: Logger) throws(CamError) {
        let address: StreamAddress
        do { address = try options.parsedAddress() ?? StreamAddress(host: "127.0.0.1", port: 0) } catch {
            throw .usage(error.message)
        }
        hub = StreamHub()
        do {
            server = try StreamServer(hub: hub, address: address, token: options.token, fpsCap: options.fps,
                                  limits: options.limits, logger: logger)
        } catch {
            throw .configuration(error.description)
        }
        do { port = try server.startInBackground() } catch {
            throw .deviceUnavailable("--stream \(address): cannot listen (\(error)); is another program using that port? "
                                     + "Pick another port, or :0 for any free one")
        }
        minInterval = options.fps.map { 1 / $0 }
        self.stallSeconds = stallSeconds
        self.logger = logger
        logger.info("stream on http://\(StreamAddress(host: address.host, port: port))/")
    }

    /// nil without --stream; otherwise a listening server (see init).
    static func start(_ options: StreamOptions, frameTimeoutMs: Int, logger: Logger) throws(CamError) -> StreamWiring? {
        guard options.address != nil else { return nil }
        return try StreamWiring(options: options, stallSeconds: max(2, Double(frameTimeoutMs) / 1000), logger: logger)
    }

    /// The sink to append to the pipeline's sinks.
    func makeSink() -> DetectionSink {
        ClosureSink(onResult: { [self] result in
            publish(result)
            return .proceed
        }, onFinish: { [self] finals in
            for e in finals { hub.publishEvent(json: e.jsonLine()) }
            hub.updateFaces([])
        })
    }

    /// Mirrors `pipeline.health` into the hub every half second until stop().
    func watch(_ pipeline: Pipeline) {
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "fer-cam.stream.health"))
        t.schedule(deadline: .now() + 0.5, repeating: 0.5)
        t.setEventHandler { [weak self, weak pipeline] in
            guard let self, let pipeline else { return }
            self.mirror(pipeline.health)
        }
        lock.lock(); self.pipeline = pipeline; timer = t; lock.unlock()
        t.resume()
    }

    /// Stops the health timer and the server (open streams end), waiting at most a few seconds.
    func stop() {
        lock.lock()
        let t = timer
        timer = nil
        let p = pipeline
        pipeline = nil
        lock.unlock()
        t?.cancel()
        if let p { mirror(p.health) }
        server.stopAndWait()
    }

    // MARK: - Output thread

    private func publish(_ r: FrameResult) {
        hub.countProcessed()
        if r.ranDetector { hub.recordStage("detect", seconds: r.timings.detect / 1000) }
        if !r.faces.isEmpty { hub.recordStage("classify", seconds: r.timings.classify / 1000) }
        hub.recordStage("track", seconds: r.timings.track / 1000)
        for e in r.events { hub.publishEvent(json: e.jsonLine()) }
        hub.updateFaces(r.faces.map(Self.snapshot))
        let now = MonotonicClock.seconds()
        let rate = fps.add(now)
        let interval = hub.viewerCount > 0 ? (minInterval ?? 0) : idleInterval
        guard now - lastPublish >= interval else { return }
        lastPublish = now
        let image = renderer.render(r, fps: rate)
        let drawn = MonotonicClock.seconds()
        do {
            let jpeg = try ImageCodec.encodeJPEG(image, quality: 80)
            let encoded = MonotonicClock.seconds()
            hub.recordStage("overlay", seconds: drawn - now)
            hub.recordStage("encode", seconds: encoded - drawn)
            hub.publishFrame(jpeg: jpeg, index: r.frame.index, timestamp: r.frame.time)
        } catch {
            logger.warning("stream: cannot encode frame \(r.frame.index) as JPEG: \(error)")
        }
    }

    static func snapshot(_ f: TrackedFace) -> FaceSnapshot {
        FaceSnapshot(trackID: f.id, box: [f.box.x, f.box.y, f.box.width, f.box.height], emotion: f.emotion.name,
                     score: Double(f.score), probabilities: f.probabilities.map(Double.init))
    }

    // MARK: - Health timer

    private func mirror(_ h: PipelineHealth) {
        lock.lock()
        let captured = h.framesCaptured - seenCaptured, dropped = h.framesDropped - seenDropped
        seenCaptured = h.framesCaptured
        seenDropped = h.framesDropped
        lock.unlock()
        if captured > 0 { hub.countCaptured(captured) }
        if dropped > 0 { hub.countDropped(dropped) }
        hub.setCamera(state: Self.cameraState(h, stallSeconds: stallSeconds))
    }

    /// streaming while frames flow; lost when the pipeline failed, ended or stalled; starting before the first frame.
    static func cameraState(_ h: PipelineHealth, stallSeconds: Double) -> CameraState {
        switch h.state {
        case .failed(let e): return .lost(e.message)
        case .finished: return .lost("the source ended")
        case .idle: return .starting
        case .running, .stopping:
            guard let age = h.secondsSinceLastFrame else { return .starting }
            if age > stallSeconds { return .lost(String(format: "no frame for %.1f s", age)) }
            return .streaming
        }
    }
}

/// Processed frames per second over about the last second (the overlay's corner text).
struct FrameRate {
    private var times: [Double] = []   // (≤ frames in 1 s) monotonic seconds, oldest first

    mutating func add(_ t: Double) -> Double? {
        times.append(t)
        while let first = times.first, t - first > 1 { times.removeFirst() }
        guard times.count > 1, let first = times.first, t > first else { return nil }
        return Double(times.count - 1) / (t - first)
    }
}
