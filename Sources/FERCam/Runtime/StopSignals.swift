// SIGINT / SIGTERM → one callback (e.g. Pipeline.stop) on a thread of its
// own, through FERSignals.SignalWatcher. A second signal while stopping is
// passed on too; the callback decides (Pipeline.stop is idempotent, so the
// run still finishes its log first). No other signals.
import FERSignals
import Foundation

public final class StopSignals: @unchecked Sendable {
    private let watcher: SignalWatcher

    /// Starts listening; `onStop` receives the signal number.
    public init(_ onStop: @escaping @Sendable (Int32) -> Void) throws(CamError) {
        do { watcher = try SignalWatcher([SIGINT, SIGTERM], name: "stop signals", handler: onStop) } catch {
            throw .internalError("cannot install the SIGINT/SIGTERM handler: \(error)")
        }
    }

    /// Restores default handling.
    public func cancel() { watcher.cancel() }
}
