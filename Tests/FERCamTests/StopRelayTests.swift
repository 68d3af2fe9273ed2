// StopRelay: a stop request reaches the run whether it comes before or after the run exists.
import Foundation
import Testing
@testable import FERCam

@Suite struct StopRelayTests {
    private final class Count: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func add() { lock.withLock { n += 1 } }
        var value: Int { lock.withLock { n } }
    }

    @Test func aRequestBeforeTheRunExistsStopsItOnAttach() {
        let relay = StopRelay(), stops = Count()
        relay.request()
        #expect(relay.isRequested)
        #expect(stops.value == 0)
        relay.attach { stops.add() }
        #expect(stops.value == 1, "the early request is not lost")
    }

    @Test func eachLaterRequestIsPassedOn() {
        let relay = StopRelay(), stops = Count()
        relay.attach { stops.add() }
        #expect(stops.value == 0 && !relay.isRequested, "attaching alone stops nothing")
        relay.request()
        relay.request()   // a second signal while stopping
        #expect(stops.value == 2)
    }
}
