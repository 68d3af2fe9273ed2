// Runs a FrameSource → FrameProcessor → DetectionSinks chain on three
// overlapping stages: a capture thread, an inference thread, and the output
// loop on the caller's thread (OpenCV windows want the thread that made them).
// Capture → inference goes through a bounded FrameRing (live sources drop the
// oldest frame when behind; files wait); inference → output through a small
// blocking queue (events are never dropped). stop() is safe from any thread
// (signals, key presses); the run always ends with `end` for open tracks.
// A ReconnectingSource's camera changes travel through the same queues, so
// the log reads: frames, camera lost, `end` of its tracks, camera streaming,
// new tracks. onHeartbeat / onCameraChange feed the systemd notifier.
import Foundation
import Logging

public enum PipelineState: Sendable, Equatable {
    case idle, running, stopping, finished
    case failed(CamError)
}

/// A snapshot for health checks, metrics and the stream page.
public struct PipelineHealth: Sendable, Equatable {
    public var state: PipelineState = .idle
    public var source: String = ""
    public var framesCaptured = 0
    public var framesDropped = 0
    public var framesProcessed = 0
    public var eventsEmitted = 0
    public var openTracks = 0
    /// Processed frames per second over the last second or so.
    public var fps: Double = 0
    /// Seconds since the last processed frame (nil before the first).
    public var secondsSinceLastFrame: Double?
    /// The camera: starting (no frame yet), streaming, or lost (reconnecting).
    /// Files and stills go starting → streaming and stay there.
    public var camera: CameraStatus = .starting
    /// How often the camera was lost since the start.
    public var cameraLosses = 0
    public init() {}
}

/// Latency samples and stage timings of the most recent frames (benchmarks,
/// metrics). Holds at most `PipelineConfig.statsCapacity` of each, so a
/// long-running daemon's memory stays flat.
public struct PipelineStats: Sendable {
    /// Capture → output of each processed frame, milliseconds.
    public var frameLatencyMs: [Double] { frameLatency.values }
    /// Capture → write of each event, milliseconds.
    public var eventLatencyMs: [Double] { eventLatency.values }
    /// Per-frame stage timings of processed frames.
    public var timings: [StageTimings] { stageTimings.values }
    public var wallSeconds: Double = 0

    var frameLatency: SampleWindow<Double>
    var eventLatency: SampleWindow<Double>
    var stageTimings: SampleWindow<StageTimings>

    init(capacity: Int) {
        frameLatency = SampleWindow(capacity: capacity)
        eventLatency = SampleWindow(capacity: capacity)
        stageTimings = SampleWindow(capacity: capacity)
    }
}

/// The last `capacity` values, overwritten in a circle (O(1) per append).
struct SampleWindow<T: Sendable>: Sendable {
    let capacity: Int
    private var storage: [T] = []
    private var next = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    mutating func append(_ v: T) {
        if storage.count < capacity { storage.append(v) } else { storage[next] = v }
        next = (next + 1) % capacity
    }

    /// Oldest first.
    var values: [T] { storage.count < capacity ? storage : Array(storage[next...] + storage[..<next]) }
}

/// What travels from capture to inference: a frame, or a camera state change (in order with the frames).
enum CaptureItem {
    case frame(Frame)
    case camera(CameraStatus, Date)
}

/// What travels from inference to output.
enum OutputItem {
    case frame(FrameResult)
    /// A camera change and, on loss, the `end` events of the tracks it closed.
    case camera(CameraEvent, [DetectionEvent])
}

public final class Pipeline: @unchecked Sendable {
    public let source: FrameSource
    public let processor: FrameProcessor
    public let sinks: [DetectionSink]
    public let config: PipelineConfig
    private let logger: Logger
    private let ring: FrameRing<CaptureItem>
    private let results = BlockingQueue<OutputItem>(capacity: 2)
    private let lock = NSLock()
    private var _health = PipelineHealth()
    private var _stats: PipelineStats
    private var stopRequested = false
    private var firstError: CamError?
    private var fpsWindow: [UInt64] = []      // monotonic ns of recent processed frames
    private var lastProcessedNanos: UInt64?
    private var markersQueued = 0          // camera changes in the ring: frames must not evict them
    private var _heartbeat: (@Sendable () -> Void)?
    private var _onCameraChange: (@Sendable (CameraStatus) -> Void)?

    public init(source: FrameSource, processor: FrameProcessor, sinks: [DetectionSink],
                config: PipelineConfig, logger: Logger = Logger(label: "fer-cam.pipeline")) {
        self.source = source
        self.processor = processor
        self.sinks = sinks
        self.config = config
        self.logger = logger
        self.ring = FrameRing(capacity: config.ringCapacity)
        _stats = PipelineStats(capacity: config.statsCapacity)
        _health.source = source.name
        if let camera = source as? ReconnectingSource {
            camera.observe(onChange: { [weak self] status in self?.cameraChanged(status) },
                           onRetry: { [weak self] in self?.beat() })
        }
    }

    /// Called on the output thread after every processed frame and on the
    /// capture thread between reopen attempts of a lost camera: proof that the
    /// loops are alive (the systemd watchdog). Set before run().
    public func onHeartbeat(_ f: @escaping @Sendable () -> Void) {
        lock.lock(); _heartbeat = f; lock.unlock()
    }

    /// Called (capture thread) whenever the camera's state changes, including the first frame. Set before run().
    public func onCameraChange(_ f: @escaping @Sendable (CameraStatus) -> Void) {
        lock.lock(); _onCameraChange = f; lock.unlock()
    }

    private func beat() {
        lock.lock(); let f = _heartbeat; lock.unlock()
        f?()
    }

    /// The camera went away or came back (from the ReconnectingSource, on the capture thread).
    private func cameraChanged(_ status: CameraStatus) {
        lock.lock()
        let previous = _health.camera
        _health.camera = status
        var stillLost = false
        if case .lost = status {
            if case .lost = previous { stillLost = true } else { _health.cameraLosses += 1 }
        }
        let observer = _onCameraChange
        lock.unlock()
        // A reopened camera that fails again before its first frame is the same outage.
        if stillLost { logger.debug("camera \(source.name) still lost: \(status)"); return }
        guard previous != status else { return }
        switch status {
        case .lost(let reason): logger.warning("camera \(source.name) lost: \(reason); reconnecting")
        case .streaming where previous != .starting: logger.notice("camera \(source.name) streaming again")
        default: break
        }
        observer?(status)
        // The first frame after the start is no news for the log; a loss and a return are.
        let isNews: Bool
        if case .lost = status { isNews = true } else { isNews = status == .streaming && previous != .starting }
        if isNews {
            lock.lock(); markersQueued += 1; lock.unlock()
            _ = ring.pushWaiting(.camera(status, Date()))
        }
    }

    public var health: PipelineHealth {
        lock.lock(); defer { lock.unlock() }
        var h = _health
        h.framesDropped = ring.droppedCount
        if let last = lastProcessedNanos { h.secondsSinceLastFrame = Double(MonotonicClock.nanos() - last) / 1e9 }
        return h
    }

    public var stats: PipelineStats { lock.lock(); defer { lock.unlock() }; return _stats }

    /// Asks the run to end soon (from any thread): capture stops, queued
    /// frames are processed, open tracks get their `end` events.
    public func stop() {
        lock.lock()
        let first = !stopRequested
        stopRequested = true
        if first, case .running = _health.state { _health.state = .stopping }
        lock.unlock()
        if first {
            source.interrupt()
            ring.close()
        }
    }

    /// True once stop() was called (also after the run ended).
    public var isStopRequested: Bool { lock.lock(); defer { lock.unlock() }; return stopRequested }
    private var isStopping: Bool { isStopRequested }

    private func fail(_ e: CamError) {
        lock.lock()
        if firstError == nil { firstError = e }
        lock.unlock()
        stop()
    }

    /// Runs until the source ends, stop() is called, a sink asks to stop, or
    /// something fails (thrown after the final events are written).
    public func run() throws(CamError) {
        lock.lock()
        _health.state = .running
        lock.unlock()
        let started = MonotonicClock.nanos()
        let capture = Thread { [self] in captureLoop() }
        capture.name = "fer-cam capture"
        let inference = Thread { [self] in inferenceLoop() }
        inference.name = "fer-cam inference"
        let done = DispatchSemaphore(value: 0)
        let doneInference = DispatchSemaphore(value: 0)
        captureDone = done
        inferenceDone = doneInference
        capture.start()
        inference.start()
        outputLoop()
        done.wait()
        doneInference.wait()
        lock.lock()
        _stats.wallSeconds = Double(MonotonicClock.nanos() - started) / 1e9
        let error = firstError
        _health.state = error.map { .failed($0) } ?? .finished
        _health.framesDropped = ring.droppedCount
        lock.unlock()
        if let error { throw error }
    }

    /// Runs the pipeline on its own thread (for a daemon whose main thread
    /// serves HTTP or waits for signals); `completion` gets the outcome there.
    /// No window sinks with this: windows want the main thread.
    public func start(completion: @escaping @Sendable (Result<Void, CamError>) -> Void) {
        let t = Thread { [self] in
            do throws(CamError) {
                try run()
                completion(.success(()))
            } catch {
                completion(.failure(error))
            }
        }
        t.name = "fer-cam output"
        t.start()
    }

    private var captureDone: DispatchSemaphore?
    private var inferenceDone: DispatchSemaphore?

    private func captureLoop() {
        defer { ring.close(); captureDone?.signal() }
        var count = 0
        while !isStopping {
            if let max = config.maxFrames, count >= max { break }
            let frame: Frame?
            do { frame = try source.next() } catch {
                if !isStopping { fail(error) }
                return
            }
            guard let frame else { return }
            count += 1
            lock.lock()
            _health.framesCaptured += 1
            let first = _health.camera == .starting
            let keepMarkers = markersQueued > 0
            lock.unlock()
            if first, !(source is ReconnectingSource) { cameraChanged(.streaming) }
            if source.isLive, !keepMarkers {
                if ring.push(.frame(frame)) != nil { logger.debug("ring full: dropped the oldest frame") }
            } else if !ring.pushWaiting(.frame(frame)) {
                return
            }
        }
    }

    private func inferenceLoop() {
        defer { results.close(); inferenceDone?.signal() }
        while let item = ring.pop() {
            guard case .frame(let frame) = item else {
                if case .camera(let status, let time) = item {
                    lock.lock(); markersQueued -= 1; lock.unlock()
                    // A lost camera ends every track now; the next frames start new ones.
                    var closed: [DetectionEvent] = []
                    if case .lost = status { closed = processor.finish() }
                    if !results.push(.camera(CameraEvent(time: time, source: source.name, status: status), closed)) { break }
                }
                continue
            }
            do {
                var r = try processor.process(frame)
                r.droppedFrames = ring.droppedCount
                if !results.push(.frame(r)) { break }
            } catch {
                fail(error)
                break
            }
        }
    }

    private func outputLoop() {
        var stopBySink = false
        while let item = results.pop() {
            let r: FrameResult
            switch item {
            case .frame(let result): r = result
            case .camera(let event, let closed):
                lock.lock()
                _health.eventsEmitted += closed.count
                _health.openTracks = max(0, _health.openTracks - closed.count)
                lock.unlock()
                if !stopBySink {
                    for sink in sinks {
                        guard let s = sink as? CameraEventSink else { continue }
                        do { try s.camera(event, closedTracks: closed) } catch { fail(error); stopBySink = true }
                    }
                }
                beat()
                continue
            }
            let now = MonotonicClock.nanos()
            lock.lock()
            _health.framesProcessed += 1
            _health.eventsEmitted += r.events.count
            for e in r.events { _health.openTracks += e.kind == .start ? 1 : e.kind == .end ? -1 : 0 }
            lastProcessedNanos = now
            fpsWindow.append(now)
            while let f = fpsWindow.first, now - f > 1_000_000_000 { fpsWindow.removeFirst() }
            _health.fps = fpsWindow.count > 1 ? Double(fpsWindow.count - 1) / (Double(now - fpsWindow[0]) / 1e9) : 0
            _stats.frameLatency.append(Double(now - r.frame.monotonicNanos) / 1e6)
            _stats.stageTimings.append(r.timings)
            lock.unlock()
            if stopBySink { continue }   // drain so the inference thread can finish
            for sink in sinks {
                do {
                    if try sink.consume(r) == .stop { stopBySink = true }
                } catch {
                    fail(error)
                    stopBySink = true
                }
            }
            let written = MonotonicClock.nanos()
            lock.lock()
            for e in r.events { _stats.eventLatency.append(Double(written - e.captureNanos) / 1e6) }
            lock.unlock()
            if stopBySink { stop() }
            beat()
        }
        // Inference has finished: close every open track.
        let finals = processor.finish()
        for sink in sinks {
            do { try sink.finish(finalEvents: finals) } catch { fail(error) }
        }
        lock.lock()
        _health.eventsEmitted += finals.count
        _health.openTracks = 0
        lock.unlock()
    }
}
