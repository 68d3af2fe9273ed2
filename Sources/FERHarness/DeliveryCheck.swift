// Compares what one camera logged with what a subscriber received on its
// events topic: lines never received (lost), extra copies (duplicates, which
// QoS 1 allows), and the latency of each line's first copy: receive time minus
// the line's "time" field (the frame's capture time, ISO 8601 with
// milliseconds). Arithmetic over the lines; it reads and receives nothing.
import Foundation

public struct Receipt: Sendable, Equatable {
    /// Unix seconds when the subscriber got it.
    public var receivedAt: Double
    public var payload: String
    public init(receivedAt: Double, payload: String) {
        self.receivedAt = receivedAt
        self.payload = payload
    }
}

public struct DeliveryCheck: Sendable, Equatable {
    public var logged = 0
    public var received = 0
    public var lost = 0
    public var duplicates = 0
    /// Seconds, one per logged line received (first copy), in receipt order.
    public var latencies: [Double] = []

    public init(logged: [String], received: [Receipt]) {
        self.logged = logged.count
        self.received = received.count
        var wanted: [String: Int] = [:]
        for l in logged { wanted[l, default: 0] += 1 }
        var seen: [String: Int] = [:]
        for r in received {
            seen[r.payload, default: 0] += 1
            if seen[r.payload]! <= (wanted[r.payload] ?? 0) {
                if let t = Self.eventTime(r.payload) { latencies.append(r.receivedAt - t) }
            } else {
                duplicates += 1
            }
        }
        lost = wanted.reduce(0) { $0 + max(0, $1.value - (seen[$1.key] ?? 0)) }
    }

    /// The "time" field of a log line as Unix seconds (nil without one).
    public static func eventTime(_ line: String) -> Double? {
        guard let start = line.range(of: "\"time\":\"") else { return nil }
        let rest = line[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: String(rest[..<end]))?.timeIntervalSince1970
    }
}
