// SIGHUP → one callback on a thread of its own (never inside the signal
// handler), through FERSignals.SignalWatcher: the daemon reopens its log
// (logrotate) and re-reads its config. Only SIGHUP; SIGINT/SIGTERM are StopSignals'.
import FERSignals
import Foundation

public final class HangupSignal: @unchecked Sendable {
    private let watcher: SignalWatcher

    public init(_ onHangup: @escaping @Sendable () -> Void) throws(CamError) {
        do { watcher = try SignalWatcher([SIGHUP], name: "sighup") { _ in onHangup() } } catch {
            throw .internalError("cannot install the SIGHUP handler: \(error)")
        }
    }

    /// Restores default handling.
    public func cancel() { watcher.cancel() }
}
