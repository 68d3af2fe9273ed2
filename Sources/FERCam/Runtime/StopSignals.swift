// SIGINT / SIGTERM → one callback (e.g. Pipeline.stop), delivered on a
// dispatch queue instead of inside the signal handler. A second signal while
// stopping is ignored; the run finishes its log first. No other signals.
import Dispatch
import Foundation

public final class StopSignals: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "fer-cam.signals")

    /// Starts listening; `onStop` receives the signal number.
    public init(_ onStop: @escaping @Sendable (Int32) -> Void) {
        // Sources first, default action off second: a signal that arrives in
        // between ends the process the default way instead of being ignored
        // (ignoring first once lost a SIGTERM and left the daemon running).
        for sig in [SIGINT, SIGTERM] {
            let s = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            s.setEventHandler { onStop(sig) }
            s.resume()
            sources.append(s)
        }
        for sig in [SIGINT, SIGTERM] { signal(sig, SIG_IGN) }
    }

    /// Restores default handling.
    public func cancel() {
        for s in sources { s.cancel() }
        sources = []
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
