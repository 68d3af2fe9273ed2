// Turns SIGINT and SIGTERM into a polite request: the trainer checkpoints at
// the next batch and exits, so `--resume` continues exactly there. A second
// signal kills the process at once. The signals arrive through
// FERSignals.SignalWatcher (a handler and a pipe, no dispatch sources).
import FERSignals
import Foundation

final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false  // guarded by lock
    private var watcher: SignalWatcher?

    init(onFirst: @escaping @Sendable (Int32) -> Void) throws {
        watcher = try SignalWatcher([SIGINT, SIGTERM], name: "stop signals") { [unowned self] sig in
            let first = self.lock.withLock { () -> Bool in
                defer { self.requested = true }
                return !self.requested
            }
            if first { onFirst(sig) } else { self.watcher?.cancel(); raise(sig) }
        }
    }

    var isRequested: Bool { lock.withLock { requested } }
}
