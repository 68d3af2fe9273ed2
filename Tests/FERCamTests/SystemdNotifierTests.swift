// sd_notify datagrams reach a test-owned socket; no socket means no-op.
import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import FERCam

@Test func sendsReadyStatusAndWatchdogToTheSocket() throws {
    let sock = try NotifySocket(receiveTimeout: 2)
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
