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

/// A message received on the notify socket.
struct Received { var text: String }

func collect(_ sock: NotifySocket, until done: ([Received]) -> Bool, timeout: Double) -> [Received] {
    var out: [Received] = []
    let start = Date()
    while Date().timeIntervalSince(start) < timeout, !done(out) {
        if let m = sock.receive() { out.append(Received(text: m)) }
    }
    return out
}

@Suite(.serialized) struct ServiceNotifyTests {
    @Test func daemonSendsReadyStatusWatchdogAndStopping() throws {
        let sock = try NotifySocket()
        let dir = try serviceTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let d = try Daemon(["--source", "test", "--size", "320x240", "--log", dir + "/e.jsonl"],
                           environment: ["NOTIFY_SOCKET": sock.path, "WATCHDOG_USEC": "1000000"])
        // Ready first (startup may be slow under load), then pings keep coming
        // (their rate limit is checked in-process below, with no clock in the way).
        let before = collect(sock, until: { $0.contains { $0.text.hasPrefix("READY=1") } }, timeout: 60)
        #expect(before.contains { $0.text.hasPrefix("READY=1") }, "no READY=1 within 60 s: \(d.stderr)")
        let pings = { (r: [Received]) in r.filter { $0.text == "WATCHDOG=1" }.count }
        let after = collect(sock, until: { pings($0) >= 3 && $0.contains { $0.text.contains("fps") } }, timeout: 60)
        #expect(pings(after) >= 3, "watchdog pings after READY: \(after.map(\.text))")
        let statuses = (before + after).map(\.text).filter { $0.contains("STATUS=") }
        #expect(statuses.contains { $0.contains("camera streaming") && $0.contains("fps") }, "\(statuses)")
        d.signal(SIGTERM)
        let tail = collect(sock, until: { $0.contains { $0.text == "STOPPING=1" } }, timeout: 30)
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
        let sock = try NotifySocket()
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
