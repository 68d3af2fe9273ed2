// The sd_notify protocol without libsystemd: one datagram per message to the
// AF_UNIX socket named by $NOTIFY_SOCKET ("/path" or "@abstract").
// Not under systemd (no $NOTIFY_SOCKET) every call is a no-op.
// It does not decide when to send; the daemon's frame loop calls it.

#if canImport(Glibc)
import Glibc
#endif

public struct SystemdNotifier: Sendable {
    /// Socket address bytes (sun_path); nil when not run by systemd.
    private let path: [UInt8]?
    /// Interval at which the service must ping ($WATCHDOG_USEC), nil if no watchdog.
    public let watchdogInterval: Double?

    public init(environment: [String: String]) {
        if let socket = environment["NOTIFY_SOCKET"], !socket.isEmpty,
           socket.hasPrefix("/") || socket.hasPrefix("@") {
            var bytes = Array(socket.utf8)
            if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }   // abstract namespace
            path = bytes
        } else {
            path = nil
        }
        // WATCHDOG_PID, when set, must name us; otherwise the watchdog is someone else's.
        let pidMatches = environment["WATCHDOG_PID"].map { Int32($0) == getpid() } ?? true
        if pidMatches, let usec = environment["WATCHDOG_USEC"].flatMap(Double.init), usec > 0 {
            watchdogInterval = usec / 1_000_000
        } else {
            watchdogInterval = nil
        }
    }

    public var isActive: Bool { path != nil }

    public func ready(status: String? = nil) { send(status.map { "READY=1\nSTATUS=\($0)" } ?? "READY=1") }
    public func status(_ text: String) { send("STATUS=\(text)") }
    public func watchdog() { send("WATCHDOG=1") }
    public func stopping() { send("STOPPING=1") }
    public func reloading() { send("RELOADING=1") }

    /// Sends one datagram; failures are ignored, as sd_notify does (the daemon must not die of them).
    public func send(_ message: String) {
        guard let path, path.count < 108 else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.enumerated() { raw[i] = b }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let bytes = Array(message.utf8)
        _ = withUnsafePointer(to: &addr) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bytes.withUnsafeBytes { buf in
                    sendto(fd, buf.baseAddress, buf.count, Int32(MSG_NOSIGNAL), sa, length)
                }
            }
        }
    }
}
