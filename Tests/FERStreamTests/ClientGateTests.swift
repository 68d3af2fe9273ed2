// ClientGate and StreamLimits without a server: admission up to the limit, refusals
// counted in the metrics, idempotent release, stalled writers closed (with an injected
// clock), and the limit's validation.
import Synchronization
import Testing
@testable import FERStream

struct ClientGateTests {
    private func metric(_ metrics: StreamMetrics, _ name: String) throws -> Double? {
        try PrometheusTextChecker.parse(metrics.text()).samples.first { $0.name == name && $0.labels.isEmpty }?.value
    }

    /// A slot whose close action does nothing (the gate never closes these in the test).
    private func admit(_ gate: ClientGate) -> ClientSlot? { gate.admit(close: {}) }

    @Test func admitsUpToTheLimitRefusesAndCountsTheRestAndReusesAFreedSlot() throws {
        let metrics = StreamMetrics()
        let gate = ClientGate(limit: 2, stalledAfter: .seconds(30), metrics: metrics)
        let a = try #require(admit(gate))
        let b = try #require(admit(gate))
        #expect(admit(gate) == nil)
        #expect(admit(gate) == nil)
        #expect(gate.count == 2)
        #expect(try metric(metrics, "fer_stream_clients_refused_total") == 2)
        #expect(try metric(metrics, "fer_stream_clients") == 2)
        #expect(try metric(metrics, "fer_stream_clients_max") == 2)

        a.release()
        a.release()  // twice: harmless, does not free b's slot
        #expect(gate.count == 1)
        #expect(try metric(metrics, "fer_stream_clients") == 1)
        let c = try #require(admit(gate), "the freed slot is given to the next client")
        #expect(c.id != a.id && c.id != b.id)
        #expect(admit(gate) == nil)
        #expect(try metric(metrics, "fer_stream_clients_refused_total") == 3)
    }

    @Test func closesOnlyAClientWhoseWriteHasBeenBlockedTooLong() throws {
        let metrics = StreamMetrics()
        let gate = ClientGate(limit: 3, stalledAfter: .seconds(5), metrics: metrics)
        let closed = Mutex<[String]>([])
        let slots = ["stuck", "flowing", "waiting"].map { name in gate.admit(close: { closed.withLock { $0.append(name) } }) }
        let stuck = try #require(slots[0]), flowing = try #require(slots[1]), waiting = try #require(slots[2])
        _ = waiting  // no write pending (e.g. no new frame): never stalled
        let t0 = ContinuousClock.now
        stuck.writing(now: t0)
        flowing.writing(now: t0)
        flowing.wrote()
        #expect(gate.closeStalled(now: t0 + .seconds(4)) == 0)
        #expect(gate.closeStalled(now: t0 + .seconds(6)) == 1)
        #expect(closed.withLock { $0 } == ["stuck"])
        #expect(gate.count == 2)
        #expect(gate.closeStalled(now: t0 + .seconds(60)) == 0, "a closed client is closed once")
        #expect(try metric(metrics, "fer_stream_clients_stalled_total") == 1)
        stuck.release()  // its connection-close handler runs later: harmless
        #expect(gate.count == 2)
    }

    @Test func aLimitBelowOneIsRefusedWithTheFlagName() throws {
        #expect(throws: StreamConfigError.badMaxClients(0)) { try StreamLimits(maxClients: 0).validate() }
        #expect(StreamConfigError.badMaxClients(-3).description.contains("--stream-max-clients -3: must be at least 1"))
        try StreamLimits(maxClients: 1).validate()
        #expect(throws: StreamConfigError.badMaxClients(0)) {
            try StreamServer(hub: StreamHub(), address: StreamAddress(host: "127.0.0.1", port: 0), token: nil, fpsCap: nil,
                             limits: StreamLimits(maxClients: 0))
        }
        var zeroIdle = StreamLimits()
        zeroIdle.idleTimeout = .zero
        #expect(throws: StreamConfigError.self) { try zeroIdle.validate() }
    }
}
