// fer-cam under a test-owned $NOTIFY_SOCKET (as systemd runs it): READY=1
// once frames flow, STATUS= lines naming the camera state, WATCHDOG=1 at
// about half of $WATCHDOG_USEC, STOPPING=1 on SIGTERM. Plus the STATUS text
// and the heartbeat rules of ServiceMonitor in-process.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import FERCam

/// A bound AF_UNIX datagram socket in a temp dir that collects messages.
final class ServiceNotifySocket {
    let path: String
    let fd: Int32

    init() throws {
        path = NSTemporaryDirectory() + "fercam-svc-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let rc = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else { throw POSIXError(.EADDRINUSE) }
        var tv = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// One message, or nil after 0.2 s without one.
    func receive() -> String? {
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buf, buf.count, 0)
        return n > 0 ? String(decoding: buf[0..<n], as: UTF8.self) : nil
    }

    deinit { close(fd); unlink(path) }
}

/// A message with the monotonic second it arrived.
struct Received { var text: String; var at: Double }

func collect(_ sock: ServiceNotifySocket, until done: ([Received]) -> Bool, timeout: Double) -> [Received] {
    var out: [Received] = []
    let start = Date()
    while Date().timeIntervalSince(start) < timeout, !done(out) {
        if let m = sock.receive() { out.append(Received(text: m, at: Date().timeIntervalSince(start))) }
    }
    return out
}

@Suite(.serialized) struct ServiceNotifyTests {
    @Test func daemonSendsReadyStatusWatchdogAndStopping() throws {
        let sock = try ServiceNotifySocket()
        let dir = try serviceTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let d = try Daemon(["--source", "test", "--size", "320x240", "--log", dir + "/e.jsonl"],
                           environment: ["NOTIFY_SOCKET": sock.path, "WATCHDOG_USEC": "1000000"])
        // Ready first (startup may be slow under load), then 3 s of pings.
        let before = collect(sock, until: { $0.contains { $0.text.hasPrefix("READY=1") } }, timeout: 60)
        #expect(before.contains { $0.text.hasPrefix("READY=1") }, "no READY=1 within 60 s: \(d.stderr)")
        let after = collect(sock, until: { _ in false }, timeout: 3.2)
        let pings = after.filter { $0.text == "WATCHDOG=1" }.count
        #expect(pings >= 3, "\(pings) watchdog pings in 3 s (want ~6): \(after.map(\.text))")
        #expect(pings <= 12, "\(pings) watchdog pings in 3 s: rate-limited to one per half interval")
        let statuses = (before + after).map(\.text).filter { $0.contains("STATUS=") }
        #expect(statuses.contains { $0.contains("camera streaming") && $0.contains("fps") }, "\(statuses)")
        d.signal(SIGTERM)
        let tail = collect(sock, until: { $0.contains { $0.text == "STOPPING=1" } }, timeout: 5)
        #expect(tail.contains { $0.text == "STOPPING=1" }, "no STOPPING=1: \(tail.map(\.text))")
        #expect(d.waitForExit(within: 10) == 0, "\(d.stderr)")
    }

    @Test func statusLineNamesCameraFpsAndFaces() {
        var h = PipelineHealth()
        h.camera = .lost(reason: "gone")
        h.fps = 14.83
        h.openTracks = 2
        h.framesProcessed = 100
        let s = ServiceMonitor.statusLine(h)
        #expect(s.hasPrefix("camera lost (gone), 14.8 fps, 2 faces, 100 frames"))
        h.openTracks = 1
        #expect(ServiceMonitor.statusLine(h).contains("1 face,"))
    }

    @Test func monitorIsReadyOnlyAfterTheFirstFrameAndRateLimitsPings() throws {
        let sock = try ServiceNotifySocket()
        let box = HealthBox()
        let m = ServiceMonitor(notifier: SystemdNotifier(environment: ["NOTIFY_SOCKET": sock.path, "WATCHDOG_USEC": "10000000"]),
                               statusInterval: 100, health: { box.value })
        m.heartbeat()                       // no frame yet: a ping, but not ready
        #expect(sock.receive() == "WATCHDOG=1")
        #expect(sock.receive() == nil)
        box.value.framesProcessed = 1
        m.heartbeat()                       // ready now; the ping is not due again for 5 s
        #expect(sock.receive()?.hasPrefix("READY=1\nSTATUS=camera starting") == true)
        m.heartbeat()
        #expect(sock.receive() == nil, "READY is sent once, pings at most every 5 s here")
        m.cameraChanged(.lost(reason: "unplugged"))
        #expect(sock.receive()?.hasPrefix("STATUS=camera lost (unplugged)") == true)
        m.stopping()
        #expect(sock.receive() == "STOPPING=1")
    }
}

final class HealthBox: @unchecked Sendable {
    var value = PipelineHealth()
}
