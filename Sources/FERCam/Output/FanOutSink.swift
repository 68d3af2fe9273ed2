// The one place a frame's events become JSON lines: serializes each event
// (and each camera change) once and hands the same strings, in order, to
// every EventLineSink behind it (detection log, HTTP stream, MQTT). Every
// sink gets every frame even when one fails or asks to stop; the first error
// is thrown after all were called, and any .stop stops the run. It decides
// nothing about what a sink does with the lines, and writes nothing itself.
public final class FanOutSink: DetectionSink, CameraEventSink {
    public let sinks: [EventLineSink]
    private let serialize: (DetectionEvent) -> String

    /// serialize: DetectionEvent.jsonLine (tests may count the calls).
    public init(_ sinks: [EventLineSink], serialize: @escaping (DetectionEvent) -> String = { $0.jsonLine() }) {
        self.sinks = sinks
        self.serialize = serialize
    }

    public func consume(_ result: FrameResult) throws(CamError) -> SinkAction {
        let lines = result.events.map(serialize)
        var action = SinkAction.proceed
        try each { (s) throws(CamError) in
            if try s.consume(result, lines: lines) == .stop { action = .stop }
        }
        return action
    }

    public func finish(finalEvents: [DetectionEvent]) throws(CamError) {
        let lines = finalEvents.map(serialize)
        try each { (s) throws(CamError) in try s.finish(finalLines: lines) }
    }

    public func camera(_ event: CameraEvent, closedTracks: [DetectionEvent]) throws(CamError) {
        let line = event.jsonLine(), closed = closedTracks.map(serialize)
        try each { (s) throws(CamError) in try s.camera(event, line: line, closedLines: closed) }
    }

    /// Calls `body` for every sink; rethrows the first error once all were called.
    private func each(_ body: (EventLineSink) throws(CamError) -> Void) throws(CamError) {
        var first: CamError?
        for s in sinks {
            do { try body(s) } catch { if first == nil { first = error } }
        }
        if let first { throw first }
    }
}
