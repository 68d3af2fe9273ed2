// InFlight: the publisher's window of unacknowledged messages across reconnects and early acknowledgements.
import Testing
@testable import FERMQTT

@Suite struct InFlightTests {
    @Test func inFlightForgetsUnsentQoS0OnReconnectAndHandlesEarlyAcks() {
        var f = InFlight()
        f.sent(1, qos: 1); f.sent(2, qos: 0)
        #expect(f.count == 2)
        f.connectionReset()
        #expect(f.count == 1)          // the QoS 1 message is resent by libmosquitto and stays counted
        f.acknowledged(1)
        #expect(f.count == 0)
        f.acknowledged(7)              // PUBACK before sent() recorded it
        f.sent(7, qos: 1)
        #expect(f.count == 0)
    }
}
