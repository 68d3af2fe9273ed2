// DetectionSink that shows each processed frame with its overlay in an
// OpenCV window and watches it: q or Esc in the window, or closing the window,
// ends the run. Must be driven from one thread (Pipeline.run's caller).
// Refuses to exist without a display (Qt would abort the process).
import FERVision

public final class WindowSink: DetectionSink {
    private let window: Window
    private let renderer = OverlayRenderer()
    private var arrivals: [UInt64] = []   // monotonic ns of recent frames (fps)
    /// Milliseconds spent drawing the last overlay.
    public private(set) var lastDrawMs: Double = 0

    /// Keep the window (with the last frame) open after the run, until
    /// `waitUntilDismissed` sees q, Esc or the window closed (still images).
    public let holdAtEnd: Bool

    public init(title: String = "fer-cam", holdAtEnd: Bool = false) throws(CamError) {
        self.holdAtEnd = holdAtEnd
        guard Window.canOpen else {
            throw .deviceUnavailable("--show needs a display, but neither DISPLAY nor WAYLAND_DISPLAY is set "
                + "(run it in a desktop session or under xvfb-run, or drop --show)")
        }
        do { window = try Window(title: title) } catch { throw CamError(error) }
    }

    public func consume(_ result: FrameResult) throws(CamError) -> SinkAction {
        let now = MonotonicClock.nanos()
        arrivals.append(now)
        while let f = arrivals.first, now - f > 2_000_000_000 { arrivals.removeFirst() }
        let fps = arrivals.count > 1 ? Double(arrivals.count - 1) / (Double(now - arrivals[0]) / 1e9) : nil
        let image = renderer.render(result, fps: fps)
        lastDrawMs = Double(MonotonicClock.nanos() - now) / 1e6
        do { try window.show(image) } catch { throw CamError(error) }
        if let key = window.pollKey(milliseconds: 1), key == 113 || key == 81 || key == 27 { return .stop }   // q, Q, Esc
        if window.isClosed { return .stop }
        return .proceed
    }

    public func finish(finalEvents: [DetectionEvent]) throws(CamError) {
        if !holdAtEnd { window.close() }
    }

    /// With holdAtEnd: waits until the user dismisses the window (q, Esc,
    /// closing it) or `cancelled()` turns true (a signal), then closes it.
    public func waitUntilDismissed(cancelled: () -> Bool) {
        while !window.isClosed && !cancelled() {
            if let key = window.pollKey(milliseconds: 50), key == 113 || key == 81 || key == 27 { break }
        }
        window.close()
    }
}
