// Turns the pipeline's heartbeats and camera changes into sd_notify messages:
// READY=1 with the first processed frame, WATCHDOG=1 at half of
// $WATCHDOG_USEC (only while the loops beat, so a stuck loop lets systemd
// restart us), STATUS= every few seconds and on each camera change, and
// STOPPING=1 at shutdown. Decides only when to send; SystemdNotifier sends.
import Foundation

public final class ServiceMonitor: @unchecked Sendable {
    public let notifier: SystemdNotifier
    /// Seconds between STATUS= lines while nothing changes.
    public let statusInterval: Double
    private let health: @Sendable () -> PipelineHealth
    private let lock = NSLock()
    private var ready = false
    private var lastWatchdog: UInt64 = 0
    private var lastStatus: UInt64 = 0

    /// health: reads the pipeline's current snapshot (Pipeline.health).
    public init(notifier: SystemdNotifier, statusInterval: Double = 5,
                health: @escaping @Sendable () -> PipelineHealth) {
        self.notifier = notifier
        self.statusInterval = statusInterval
        self.health = health
    }

    /// The one-line STATUS= text: "camera streaming, 14.8 fps, 2 faces, 1234 frames".
    public static func statusLine(_ h: PipelineHealth) -> String {
        "camera \(h.camera), \(String(format: "%.1f", h.fps)) fps, \(h.openTracks) face\(h.openTracks == 1 ? "" : "s"), "
            + "\(h.framesProcessed) frames, \(h.eventsEmitted) events"
    }

    /// Call from the loops (Pipeline.onHeartbeat): a frame was processed, or a reopen attempt is due.
    public func heartbeat() {
        guard notifier.isActive else { return }
        let now = MonotonicClock.nanos()
        let h = health()
        lock.lock()
        var messages: [String] = []
        if !ready, h.framesProcessed > 0 {
            ready = true
            messages.append("READY=1\nSTATUS=\(Self.statusLine(h))")
            lastStatus = now
        }
        if let interval = notifier.watchdogInterval, Double(now &- lastWatchdog) / 1e9 >= interval / 2 {
            lastWatchdog = now
            messages.append("WATCHDOG=1")
        }
        if ready, Double(now &- lastStatus) / 1e9 >= statusInterval {
            lastStatus = now
            messages.append("STATUS=\(Self.statusLine(h))")
        }
        lock.unlock()
        for m in messages { notifier.send(m) }
    }

    /// Call on every camera change (Pipeline.onCameraChange).
    public func cameraChanged(_ status: CameraStatus) {
        guard notifier.isActive else { return }
        var h = health()
        h.camera = status
        lock.lock(); lastStatus = MonotonicClock.nanos(); lock.unlock()
        notifier.status(Self.statusLine(h))
    }

    /// A free-form STATUS= line (e.g. "reloading configuration").
    public func status(_ text: String) { notifier.status(text) }

    /// STOPPING=1 (at shutdown, before the final events are written).
    public func stopping() { notifier.stopping() }
}
