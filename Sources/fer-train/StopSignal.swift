// Turns SIGINT and SIGTERM into a polite request: the trainer checkpoints at
// the next batch and exits, so `--resume` continues exactly there. A second
// signal kills the process at once.
import Dispatch
import Foundation

final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false  // guarded by lock
    private var sources: [DispatchSourceSignal] = []

    init(onFirst: @escaping @Sendable (Int32) -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [unowned self] in
                let first = self.lock.withLock { () -> Bool in
                    defer { self.requested = true }
                    return !self.requested
                }
                if first { onFirst(sig) } else { signal(sig, SIG_DFL); raise(sig) }
            }
            source.resume()
            sources.append(source)
        }
    }

    var isRequested: Bool { lock.withLock { requested } }
}
