// Processed frames per second over about the last second (the overlay's
// corner text). Counting only.
public struct FrameRate: Sendable {
    private var times: [Double] = []   // (≤ frames in 1 s) monotonic seconds, oldest first

    public init() {}

    /// Adds a frame at `t` (seconds); the rate over the last second, nil with fewer than two frames.
    public mutating func add(_ t: Double) -> Double? {
        times.append(t)
        while let first = times.first, t - first > 1 { times.removeFirst() }
        guard times.count > 1, let first = times.first, t > first else { return nil }
        return Double(times.count - 1) / (t - first)
    }
}
