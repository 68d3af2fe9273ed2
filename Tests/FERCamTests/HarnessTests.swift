// FERHarness's arithmetic: /proc/<pid>/stat CPU fields, and the delivery
// check (lost, duplicates, latency from the line's time) on hand-made lines.
import FERHarness
import Foundation
import Testing

@Suite struct HarnessTests {
    @Test func statFieldsAreCountedAfterTheCommandName() {
        let stat = "1234 (fer cam (x)) S 1 1234 1234 0 -1 4194304 500 0 0 0 250 75 0 0 20 0 9 0 100 0 0"
        let parsed = ProcessCPU.parseStat(stat)
        #expect(parsed?.utime == 250 && parsed?.stime == 75)
        #expect(ProcessCPU.parseStat("garbage") == nil)
        #expect((ProcessCPU.seconds(pid: getpid()) ?? -1) >= 0)
    }

    @Test func lostDuplicatesAndLatency() {
        let a = #"{"time":"2026-01-01T00:00:00.100Z","event":"start","track":1}"#
        let b = #"{"time":"2026-01-01T00:00:01.000Z","event":"end","track":1}"#
        let c = #"{"time":"2026-01-01T00:00:02.000Z","event":"start","track":2}"#
        let t0 = DeliveryCheck.eventTime(a)!
        #expect(abs(DeliveryCheck.eventTime(b)! - t0 - 0.9) < 1e-6)
        let got = [Receipt(receivedAt: t0 + 0.05, payload: a), Receipt(receivedAt: t0 + 0.95, payload: b),
                   Receipt(receivedAt: t0 + 1.2, payload: b)]
        let check = DeliveryCheck(logged: [a, b, c], received: got)
        #expect(check.logged == 3 && check.received == 3)
        #expect(check.lost == 1, "c never arrived")
        #expect(check.duplicates == 1, "b arrived twice")
        #expect(check.latencies.count == 2)
        #expect(abs(check.latencies[0] - 0.05) < 1e-6 && abs(check.latencies[1] - 0.05) < 1e-6)
    }
}
