// StreamLimits: how much the stream server lets its clients hold — concurrent long-lived
// clients (MJPEG viewers and /events clients; short requests are not counted), how long a
// connection may sit without a complete request, and how long one write to a client may
// stay blocked before that client counts as stalled and is closed. Values and checks only;
// ClientGate enforces the client limit, StreamServer wires the timeouts.

public struct StreamLimits: Sendable, Equatable {
    /// The default of --stream-max-clients.
    public static let defaultMaxClients = 32

    /// At most this many MJPEG viewers and /events clients at once (together); one more gets
    /// 503 with Retry-After. /, /snapshot.jpg, /metrics and /healthz are never refused: they
    /// answer at once and end, so a monitor can always scrape while the stream is full.
    public var maxClients: Int = StreamLimits.defaultMaxClients
    /// A connection that sends no complete request for this long (before its first request,
    /// or between keep-alive requests) is closed. Not applied while a response is being sent.
    public var idleTimeout: Duration = .seconds(10)
    /// A streaming client whose socket accepts nothing for this long (one write blocked,
    /// e.g. a viewer that stopped reading) is closed and its slot freed.
    public var stalledAfter: Duration = .seconds(30)
    /// Seconds a refused client is told to wait (the Retry-After header).
    public var retryAfterSeconds: Int = 5

    public init(maxClients: Int = StreamLimits.defaultMaxClients) {
        self.maxClients = maxClients
    }

    /// Refuses a limit below 1 and non-positive timeouts.
    public func validate() throws(StreamConfigError) {
        guard maxClients >= 1 else { throw .badMaxClients(maxClients) }
        guard idleTimeout > .zero, stalledAfter > .zero, retryAfterSeconds >= 1 else {
            throw .badTimeouts("idle \(idleTimeout), stalled \(stalledAfter), retry-after \(retryAfterSeconds) s")
        }
    }
}
