// SSE wire format.
import Testing
@testable import FERStream

struct ServerSentEventTests {
    @Test func formatsIdEventAndData() {
        #expect(ServerSentEvent.format(id: 7, data: #"{"a":1}"#) == "id: 7\ndata: {\"a\":1}\n\n")
        #expect(ServerSentEvent.format(event: "faces", data: "x") == "event: faces\ndata: x\n\n")
    }

    @Test func splitsMultilineDataIntoDataLines() {
        #expect(ServerSentEvent.format(data: "a\nb\r\nc") == "data: a\ndata: b\ndata: c\n\n")
    }

    @Test func commentAndRetry() {
        #expect(ServerSentEvent.comment("ping") == ": ping\n\n")
        #expect(ServerSentEvent.retry(milliseconds: 2000) == "retry: 2000\n\n")
    }
}
