// A test-owned $NOTIFY_SOCKET: a bound AF_UNIX datagram socket in a temp dir
// that collects what the daemon (or SystemdNotifier) sends, as systemd would.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

final class NotifySocket {
    let path: String
    let fd: Int32

    /// `receiveTimeout`: seconds `receive()` waits for a message before giving nil.
    init(receiveTimeout: Double = 0.2) throws {
        path = NSTemporaryDirectory() + "fercam-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let rc = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else { throw POSIXError(.EADDRINUSE) }
        let whole = Int(receiveTimeout)
        var tv = timeval(tv_sec: whole, tv_usec: Int((receiveTimeout - Double(whole)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// One message, or nil after the receive timeout without one.
    func receive() -> String? {
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buf, buf.count, 0)
        return n > 0 ? String(decoding: buf[0..<n], as: UTF8.self) : nil
    }

    deinit { close(fd); unlink(path) }
}
