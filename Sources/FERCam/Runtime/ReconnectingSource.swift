// A camera FrameSource that survives the camera going away: when the device
// it wraps fails (unplugged, I/O error, stopped delivering) it drops it,
// reports `lost`, and reopens it with back-off (0.1 s doubling to 1 s) until
// it works again, then reports `streaming`. Never busy-loops; interrupt()
// ends the wait at once. Frame indices continue across reconnects so the
// tracker sees one timeline. For cameras only: files and stills end normally.
import Foundation

/// Delays between reopen attempts: initial, doubling, capped.
public struct Backoff: Sendable, Equatable {
    public var initial: Double = 0.1
    public var cap: Double = 1.0
    public init(initial: Double = 0.1, cap: Double = 1.0) {
        self.initial = initial
        self.cap = cap
    }

    /// Seconds to wait before attempt `n` (0-based) after a loss.
    public func delay(attempt n: Int) -> Double {
        min(cap, initial * pow(2, Double(min(n, 30))))
    }
}

public final class ReconnectingSource: FrameSource, @unchecked Sendable {
    public typealias Opener = @Sendable () throws(CamError) -> FrameSource

    public let name: String
    public let summary: String
    public let nominalFPS: Double?
    public var isLive: Bool { true }
    public let backoff: Backoff

    private let opener: Opener
    private let condition = NSCondition()
    private var inner: FrameSource?      // nil while the camera is lost
    private var interrupted = false
    private var delivered = 0             // frames handed out, across reconnects
    private var freshlyOpened = true
    /// Called on the capture thread when the camera is lost or streams again.
    private var onChange: @Sendable (CameraStatus) -> Void
    /// Called on the capture thread before each wait between reopen attempts (watchdog: the loop is alive).
    private var onRetry: @Sendable () -> Void

    public init(initial: FrameSource, backoff: Backoff = Backoff(), opener: @escaping Opener,
                onChange: @escaping @Sendable (CameraStatus) -> Void = { _ in },
                onRetry: @escaping @Sendable () -> Void = {}) {
        name = initial.name
        summary = initial.summary
        nominalFPS = initial.nominalFPS
        inner = initial
        self.backoff = backoff
        self.opener = opener
        self.onChange = onChange
        self.onRetry = onRetry
    }

    /// Replaces the observers (Pipeline does this once, before it runs).
    public func observe(onChange: @escaping @Sendable (CameraStatus) -> Void, onRetry: @escaping @Sendable () -> Void) {
        self.onChange = onChange
        self.onRetry = onRetry
    }

    public func next() throws(CamError) -> Frame? {
        var attempt = 0
        while true {
            condition.lock()
            let stop = interrupted
            let current = inner
            condition.unlock()
            if stop { return nil }
            guard let source = current else {
                do {
                    let reopened = try opener()
                    condition.lock()
                    if interrupted { condition.unlock(); return nil }
                    inner = reopened
                    freshlyOpened = true
                    condition.unlock()
                    attempt = 0
                } catch {
                    onRetry()
                    wait(seconds: backoff.delay(attempt: attempt))
                    attempt += 1
                }
                continue
            }
            let frame: Frame?
            do {
                frame = try source.next()
            } catch {
                condition.lock()
                inner = nil               // closes the device when the last reference goes
                let stopping = interrupted
                condition.unlock()
                if stopping { return nil }
                onChange(.lost(reason: error.message))
                wait(seconds: backoff.delay(attempt: 0))
                attempt = 1
                continue
            }
            guard var frame else { return nil }   // interrupted
            condition.lock()
            let fresh = freshlyOpened
            freshlyOpened = false
            frame.index = delivered
            delivered += 1
            condition.unlock()
            if fresh { onChange(.streaming) }
            return frame
        }
    }

    public func interrupt() {
        condition.lock()
        interrupted = true
        let current = inner
        condition.broadcast()
        condition.unlock()
        current?.interrupt()
    }

    /// Sleeps up to `seconds`, waking early on interrupt().
    private func wait(seconds: Double) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        while !interrupted, condition.wait(until: deadline) {}
        condition.unlock()
    }
}
