// A sink that takes the detection log's lines already serialized: the
// FanOutSink turns each event into its JSON line once and hands the same
// strings to every EventLineSink (log, stream, MQTT). Used alone (tests,
// a single sink) it serializes for itself through the default methods below.
// Serializes nothing beyond those defaults; writes nothing.
public protocol EventLineSink: DetectionSink, CameraEventSink {
    /// One processed frame; lines[i] is result.events[i].jsonLine().
    func consume(_ result: FrameResult, lines: [String]) throws(CamError) -> SinkAction
    /// Once at the end: the lines of the `end` events of the tracks still open.
    func finish(finalLines: [String]) throws(CamError)
    /// A camera change: its `camera` line and, on loss, the lines of the tracks it closed.
    func camera(_ event: CameraEvent, line: String, closedLines: [String]) throws(CamError)
}

extension EventLineSink {
    public func consume(_ result: FrameResult) throws(CamError) -> SinkAction {
        try consume(result, lines: result.events.map { $0.jsonLine() })
    }

    public func finish(finalEvents: [DetectionEvent]) throws(CamError) {
        try finish(finalLines: finalEvents.map { $0.jsonLine() })
    }

    public func camera(_ event: CameraEvent, closedTracks: [DetectionEvent]) throws(CamError) {
        try camera(event, line: event.jsonLine(), closedLines: closedTracks.map { $0.jsonLine() })
    }
}
