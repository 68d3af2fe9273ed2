// The pipeline counts frames captured and dropped since the start; the
// stream's Prometheus counters are incremented. This turns successive health
// snapshots into increments (never negative). Arithmetic only.
import FERCam

public struct CounterDeltas: Sendable, Equatable {
    private var seenCaptured = 0, seenDropped = 0

    public init() {}

    /// What was captured and dropped since the previous call.
    public mutating func take(_ h: PipelineHealth) -> (captured: Int, dropped: Int) {
        let captured = max(0, h.framesCaptured - seenCaptured), dropped = max(0, h.framesDropped - seenDropped)
        seenCaptured = max(seenCaptured, h.framesCaptured)
        seenDropped = max(seenDropped, h.framesDropped)
        return (captured, dropped)
    }
}
