// The camera's state as the daemon sees it (starting, streaming, lost with a
// reason) and the `camera` line it writes to the detection log when the state
// changes. Pure values; nothing here watches a device.
import Foundation

public enum CameraStatus: Sendable, Equatable, CustomStringConvertible {
    /// Opened, no frame yet.
    case starting
    /// Frames are arriving.
    case streaming
    /// The device vanished or failed; the daemon keeps trying to reopen it.
    case lost(reason: String)

    /// "starting", "streaming" or "lost" (the log's and STATUS='s word).
    public var name: String {
        switch self {
        case .starting: return "starting"
        case .streaming: return "streaming"
        case .lost: return "lost"
        }
    }

    public var description: String {
        if case .lost(let r) = self { return "lost (\(r))" }
        return name
    }
}

/// One `camera` line of the detection log:
/// `{"time":"…","source":"/dev/video0","event":"camera","state":"lost","reason":"…"}`.
public struct CameraEvent: Sendable, Equatable {
    public var time: Date
    public var source: String
    public var status: CameraStatus

    public init(time: Date = Date(), source: String, status: CameraStatus) {
        self.time = time
        self.source = source
        self.status = status
    }

    public func jsonLine() -> String {
        var s = "{\"time\":\"\(ISO8601.format(time))\",\"source\":\(JSONText.quote(source)),\"event\":\"camera\""
        s += ",\"state\":\"\(status.name)\""
        if case .lost(let reason) = status { s += ",\"reason\":\(JSONText.quote(reason))" }
        return s + "}"
    }
}
