// When the stream publishes a new overlay frame (drawn and JPEG-encoded):
// with MJPEG viewers at most every minInterval seconds (--stream-fps; nil:
// every processed frame), without viewers every idleInterval seconds (keeps
// /snapshot.jpg and /healthz fresh for little CPU). A decision only; it
// draws, encodes and publishes nothing.
public struct PublishPacing: Sendable {
    /// With viewers: at most this often; nil publishes every processed frame.
    public let minInterval: Double?
    /// Without viewers: this often.
    public let idleInterval: Double
    private var lastPublish = -Double.infinity

    public init(minInterval: Double?, idleInterval: Double = 0.5) {
        self.minInterval = minInterval
        self.idleInterval = idleInterval
    }

    /// --stream-fps as a pacing: nil → every frame.
    public init(fpsCap: Double?) {
        self.init(minInterval: fpsCap.map { 1 / $0 })
    }

    /// True when a frame processed at `now` (monotonic seconds) should be published; records it when so.
    public mutating func shouldPublish(now: Double, viewers: Int) -> Bool {
        let interval = viewers > 0 ? (minInterval ?? 0) : idleInterval
        guard now - lastPublish >= interval else { return false }
        lastPublish = now
        return true
    }
}
