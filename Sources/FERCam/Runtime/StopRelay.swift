// Hands a stop request (SIGINT/SIGTERM) to whatever stops the run, even when
// the request comes before that exists: the signals are caught from the start
// of the run's wiring, but the pipeline is made after the stream and MQTT are
// already up (a SIGTERM between MQTT's `online` and the pipeline used to kill
// fer-cam with the default action, exit 143). Thread-safe. It catches no
// signal itself (StopSignals) and stops nothing itself.
import Foundation

public final class StopRelay: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false       // guarded by lock
    private var action: (@Sendable () -> Void)?   // guarded by lock

    public init() {}

    /// A stop request: runs the attached action (each request: a second signal is passed on
    /// too), or keeps it for `attach`.
    public func request() {
        let run = lock.withLock { () -> (@Sendable () -> Void)? in requested = true; return action }
        run?()
    }

    /// What a request does from now on; run at once when a request came already.
    public func attach(_ stop: @escaping @Sendable () -> Void) {
        let already = lock.withLock { () -> Bool in action = stop; return requested }
        if already { stop() }
    }

    public var isRequested: Bool { lock.withLock { requested } }
}
