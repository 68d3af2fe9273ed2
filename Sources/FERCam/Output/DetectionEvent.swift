// One line of the detection log (JSON Lines, design.md): a track starts, its
// smoothed emotion changes (or the periodic update is due), or it ends.
// Encodes itself to a single JSON line; does not write anything.
import Foundation
import FERNet
import FERVision

public struct DetectionEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case start, update, end }

    public var kind: Kind
    public var time: Date
    public var source: String
    public var frame: Int
    public var track: Int
    public var box: Box
    public var probabilities: [Float]   // Emotion.count values, label order
    /// Monotonic capture instant of the frame (latency bookkeeping, not logged).
    public var captureNanos: UInt64

    public init(kind: Kind, time: Date, source: String, frame: Int, track: Int, box: Box,
                probabilities: [Float], captureNanos: UInt64 = 0) {
        self.kind = kind
        self.time = time
        self.source = source
        self.frame = frame
        self.track = track
        self.box = box
        self.probabilities = probabilities
        self.captureNanos = captureNanos
    }

    public var emotion: Emotion { Emotion(rawValue: TopScore.argmax(probabilities)) ?? .neutral }
    public var score: Float { probabilities.isEmpty ? 0 : probabilities[TopScore.argmax(probabilities)] }

    /// `{"time":"2026-01-01T12:00:00.123Z","source":"/dev/video0","frame":12,"event":"start","track":1,
    ///   "box":[x,y,w,h],"emotion":"happy","score":0.8312,"probabilities":{"angry":0.01,...}}` (one line, no newline).
    public func jsonLine() -> String {
        var s = "{\"time\":\"\(ISO8601.format(time))\",\"source\":\(JSONText.quote(source)),\"frame\":\(frame)"
        s += ",\"event\":\"\(kind.rawValue)\",\"track\":\(track)"
        s += ",\"box\":[\(box.x),\(box.y),\(box.width),\(box.height)]"
        s += ",\"emotion\":\"\(emotion.name)\",\"score\":\(JSONText.number(score)),\"probabilities\":{"
        for (i, name) in Emotion.names.enumerated() {
            let p = i < probabilities.count ? probabilities[i] : 0
            s += (i == 0 ? "" : ",") + "\"\(name)\":\(JSONText.number(p))"
        }
        s += "}}"
        return s
    }
}

/// ISO 8601 UTC with milliseconds, e.g. 2026-11-21T09:40:00.123Z.
public enum ISO8601 {
    public static func format(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        var secs = time_t(floor(t))
        var ms = Int(((t - floor(t)) * 1000).rounded())
        if ms == 1000 { ms = 0; secs += 1 }
        var tmv = tm()
        gmtime_r(&secs, &tmv)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1,
                      Int(tmv.tm_mday), Int(tmv.tm_hour), Int(tmv.tm_min), Int(tmv.tm_sec), ms)
    }
}

enum JSONText {
    static func quote(_ s: String) -> String { JSONValue.quoted(s) }

    /// Four decimals, never NaN/inf (JSON has neither).
    static func number(_ v: Float) -> String {
        guard v.isFinite else { return "0" }
        return String(format: "%.4f", Double(v))
    }
}
