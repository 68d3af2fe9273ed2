// `q` (or Esc) typed in the terminal stops the run without Enter: when stdin
// is a TTY, it is switched to non-canonical, no-echo mode (Ctrl-C still sends
// SIGINT) and a thread watches it (foreground jobs only). restore() puts the terminal back exactly
// as it was; call it before exiting. Does nothing when stdin is not a TTY.
import Foundation

public final class TerminalKeys: @unchecked Sendable {
    private var saved = termios()
    private var active = false
    private let lock = NSLock()
    private var stopped = false

    /// Starts watching if stdin is a terminal; `onQuit` runs once on q/Q/Esc.
    public init(onQuit: @escaping @Sendable () -> Void) {
        // Only in the foreground: a background job that touches the terminal
        // settings is stopped by SIGTTOU (`fer-cam &` would freeze).
        guard isatty(STDIN_FILENO) == 1, tcgetpgrp(STDIN_FILENO) == getpgrp(),
              tcgetattr(STDIN_FILENO, &saved) == 0 else { return }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0 else { return }
        active = true
        let thread = Thread { [self] in
            var fds = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            while !isStopped {
                guard poll(&fds, 1, 200) > 0 else { continue }
                var c: UInt8 = 0
                guard read(STDIN_FILENO, &c, 1) == 1 else { return }
                if c == UInt8(ascii: "q") || c == UInt8(ascii: "Q") || c == 27 {
                    onQuit()
                    return
                }
            }
        }
        thread.name = "fer-cam keys"
        thread.start()
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    /// Puts the terminal back as it was (idempotent).
    public func restore() {
        lock.lock()
        stopped = true
        let wasActive = active
        active = false
        lock.unlock()
        if wasActive { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
    }

    deinit { restore() }
}
