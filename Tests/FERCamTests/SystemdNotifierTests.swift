// sd_notify datagrams reach a test-owned socket; no socket means no-op.
import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import FERCam

/// A bound AF_UNIX datagram socket in a temp dir that collects messages.
private final class NotifySocket {
    let path: String
    let fd: Int32

    init() throws {
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
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    func receive() -> String? {
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buf, buf.count, 0)
        return n > 0 ? String(decoding: buf[0..<n], as: UTF8.self) : nil
    }

    deinit { close(fd); unlink(path) }
}

@Test func sendsReadyStatusAndWatchdogToTheSocket() throws {
    let sock = try NotifySocket()
    let n = SystemdNotifier(environment: ["NOTIFY_SOCKET": sock.path, "WATCHDOG_USEC": "2000000"])
    #expect(n.isActive)
    #expect(n.watchdogInterval == 2.0)
    n.ready(status: "streaming 640x480")
    n.status("fps=29.9 faces=2 camera=ok")
    n.watchdog()
    #expect(sock.receive() == "READY=1\nSTATUS=streaming 640x480")
    #expect(sock.receive() == "STATUS=fps=29.9 faces=2 camera=ok")
    #expect(sock.receive() == "WATCHDOG=1")
}

@Test func noSocketMeansNoOp() {
    let n = SystemdNotifier(environment: [:])
    #expect(!n.isActive)
    #expect(n.watchdogInterval == nil)
    n.ready()   // must not crash or block
}

@Test func watchdogForAnotherPidIsIgnored() {
    let n = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent", "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"])
    #expect(getpid() != 1)
    #expect(n.watchdogInterval == nil)
}
