// Process signals (SIGINT, SIGTERM, SIGHUP, ...) → a callback on a thread of
// our own, never inside a signal handler. The handler (CSignals) writes the
// signal's number to a pipe; this watcher's thread reads it and calls back in
// arrival order. Works whichever thread the kernel picks, needs no signal
// mask, and cannot be undone by another `signal()` call racing a lazy
// registration (the libdispatch signal source bug that once let fer-cam
// ignore SIGTERM). Not a policy: what a second signal means is the caller's.
import CSignals
import Foundation

public final class SignalWatcher: @unchecked Sendable {
    public let signals: [Int32]
    private let readFD: Int32
    private let writeFD: Int32
    private let lock = NSLock()
    private var cancelled = false

    /// Starts routing `signals` to `handler` (called on the watcher's thread,
    /// one signal at a time). Fails only when the pipe or sigaction fails.
    public init(_ signals: [Int32], name: String = "signals",
                handler: @escaping @Sendable (Int32) -> Void) throws {
        var fds: [Int32] = [0, 0]
        guard fc_signal_pipe(&fds) == 0 else {
            throw SignalWatcherError("pipe: \(String(cString: strerror(errno)))")
        }
        readFD = fds[0]
        writeFD = fds[1]
        self.signals = signals
        let readEnd = readFD, writeEnd = writeFD
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let n = read(readEnd, &byte, 1)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 || byte == 0 { break }   // 0: cancel()'s wake-up
                handler(Int32(byte))
            }
            close(readEnd)
            close(writeEnd)
        }
        thread.name = "fer-cam \(name)"
        thread.start()
        for sig in signals where fc_signal_route(sig, writeFD) != 0 {
            let message = String(cString: strerror(errno))
            cancel()
            throw SignalWatcherError("sigaction(\(sig)): \(message)")
        }
    }

    /// Restores the default action of the signals and ends the thread (idempotent).
    public func cancel() {
        lock.lock()
        let first = !cancelled
        cancelled = true
        lock.unlock()
        guard first else { return }
        for sig in signals { fc_signal_unroute(sig) }
        var zero: UInt8 = 0
        _ = write(writeFD, &zero, 1)
    }

    deinit { cancel() }
}

public struct SignalWatcherError: Error, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}
