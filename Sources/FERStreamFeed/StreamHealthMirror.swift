// Mirrors the pipeline's health into the stream's hub: the captured and
// dropped counters (as increments) and the camera state (CameraState from
// PipelineHealth), every half second on its own queue until stop(), and once
// more at stop. Reads the health; never changes the pipeline.
import FERCam
import FERStream
import Foundation

public final class StreamHealthMirror: @unchecked Sendable {
    public let hub: StreamHub
    /// Seconds without a processed frame before the camera counts as lost.
    public let stallSeconds: Double
    private let lock = NSLock()
    private var deltas = CounterDeltas()
    private var pipeline: Pipeline?
    private var timer: DispatchSourceTimer?

    public init(hub: StreamHub, stallSeconds: Double) {
        self.hub = hub
        self.stallSeconds = stallSeconds
    }

    /// --frame-timeout (ms) → stall seconds: the timeout, at least 2 s.
    public static func stallSeconds(frameTimeoutMs: Int) -> Double { max(2, Double(frameTimeoutMs) / 1000) }

    /// One health snapshot into the hub.
    public func mirror(_ h: PipelineHealth) {
        lock.lock()
        let d = deltas.take(h)
        lock.unlock()
        if d.captured > 0 { hub.countCaptured(d.captured) }
        if d.dropped > 0 { hub.countDropped(d.dropped) }
        hub.setCamera(state: CameraState(h, stallSeconds: stallSeconds))
    }

    /// Mirrors `pipeline.health` every `interval` seconds until stop().
    public func watch(_ pipeline: Pipeline, every interval: Double = 0.5) {
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "fer-cam.stream.health"))
        t.schedule(deadline: .now() + interval, repeating: interval)
        t.setEventHandler { [weak self, weak pipeline] in
            guard let self, let pipeline else { return }
            self.mirror(pipeline.health)
        }
        lock.lock(); self.pipeline = pipeline; timer = t; lock.unlock()
        t.resume()
    }

    /// Stops the timer and mirrors the final health once.
    public func stop() {
        lock.lock()
        let t = timer, p = pipeline
        timer = nil
        pipeline = nil
        lock.unlock()
        t?.cancel()
        if let p { mirror(p.health) }
    }
}
