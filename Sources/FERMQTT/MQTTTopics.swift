// The topics one fer-cam publishes to, all under one prefix (default
// fer-cam/<name>): events (every detection-log line), availability
// (online/offline, retained, also the broker's last will), state (retained
// JSON of the faces in view), camera (the log's camera lines, retained), and
// the Home Assistant discovery topics. Names only; nothing is published here.
import Foundation

public struct MQTTTopics: Sendable, Equatable {
    public let prefix: String
    public var events: String { "\(prefix)/events" }
    public var availability: String { "\(prefix)/availability" }
    public var state: String { "\(prefix)/state" }
    public var camera: String { "\(prefix)/camera" }

    public static let online = "online"
    public static let offline = "offline"

    /// prefix: --mqtt-topic, or nil for fer-cam/<name>.
    public init(prefix: String?, name: String) throws(MQTTConfigError) {
        let p = prefix ?? "fer-cam/\(name)"
        try Self.check(prefix: p)
        self.prefix = p
    }

    static func check(prefix p: String) throws(MQTTConfigError) {
        func bad(_ why: String) -> MQTTConfigError { .badTopicPrefix(value: p, reason: why) }
        if p.isEmpty { throw bad("it is empty") }
        if p.contains("+") || p.contains("#") { throw bad("+ and # are wildcards, not allowed in a topic one publishes to") }
        if p.hasPrefix("/") || p.hasSuffix("/") { throw bad("it starts or ends with /") }
        if p.contains("//") { throw bad("it has an empty level (//)") }
        if p.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { throw bad("it has control characters") }
        if p.utf8.count > 200 { throw bad("it is longer than 200 bytes") }
    }
}

/// The camera's name in topics, ids and the device name: --name, or derived from the source.
public enum MQTTName {
    /// Letters, digits, '-' and '_' (safe in a topic level and in a Home Assistant id).
    public static func check(_ name: String) throws(MQTTConfigError) {
        guard !name.isEmpty, name.utf8.count <= 64,
              name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") })
        else { throw .badName(value: name) }
    }

    /// /dev/video0 → video0; /srv/clips/hall cam.mp4 → hall_cam; test → test.
    /// Characters a name may not have become '_'.
    public static func derived(fromSource path: String) -> String {
        if path == "test" { return "test" }
        let base = ((path as NSString).lastPathComponent as NSString)
        let stem = path.hasPrefix("/dev/") ? base as String : base.deletingPathExtension
        let cleaned = String(stem.unicodeScalars.map { s -> Character in
            s.isASCII && (CharacterSet.alphanumerics.contains(s) || s == "-" || s == "_") ? Character(s) : "_"
        }.prefix(64))
        return cleaned.isEmpty ? "camera" : cleaned
    }
}
