// SIGHUP → one callback on a dispatch queue (never inside the signal
// handler): the daemon reopens its log (logrotate) and re-reads its config.
// Only SIGHUP; SIGINT/SIGTERM are StopSignals'.
import Dispatch
import Foundation

public final class HangupSignal: @unchecked Sendable {
    private var source: DispatchSourceSignal?
    private let queue = DispatchQueue(label: "fer-cam.sighup")

    public init(_ onHangup: @escaping @Sendable () -> Void) {
        signal(SIGHUP, SIG_IGN)
        let s = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        s.setEventHandler { onHangup() }
        s.resume()
        source = s
    }

    /// Restores default handling.
    public func cancel() {
        source?.cancel()
        source = nil
        signal(SIGHUP, SIG_DFL)
    }
}
