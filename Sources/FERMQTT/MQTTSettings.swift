// Everything the MQTT publisher needs, as one value (built by fer-cam from its
// flags, the config file's mqtt-password and $FERCAM_MQTT_PASSWORD). Checks
// values; opens nothing.
import Foundation

public struct MQTTSettings: Sendable {
    public var url: MQTTURL
    public var password: String?
    /// --mqtt-ca: the broker's CA certificate (PEM); nil uses the system CAs for mqtts.
    public var caFile: String?
    public var name: String
    public var topics: MQTTTopics
    /// QoS of events, camera lines (state, availability and discovery always use 1).
    public var qos: Int = 1
    /// Messages kept while the broker is slow or away; beyond it the oldest is dropped and counted.
    public var queueCapacity: Int = MQTTSettings.defaultQueueCapacity
    public var discovery: Bool = true
    /// At most this many state messages a second.
    public var stateRate: Double = MQTTSettings.defaultStateRate
    public var keepaliveSeconds: Int = 30
    /// At a clean stop, wait this long for queued messages to reach the broker.
    public var drainSeconds: Double = 3
    /// Messages handed to libmosquitto and not yet acknowledged, at most.
    public var window: Int = 20
    /// Reconnect back-off, seconds (libmosquitto's reconnect_delay_set, exponential).
    public var reconnectDelay: (min: Int, max: Int) = (1, 30)

    public static let defaultQueueCapacity = 10_000
    public static let defaultStateRate = 2.0
    /// The environment variable a password may come from.
    public static let passwordVariable = "FERCAM_MQTT_PASSWORD"
    /// The config file key a password may come from (never a command-line flag).
    public static let passwordKey = "mqtt-password"

    public init(url: MQTTURL, password: String? = nil, caFile: String? = nil, name: String, topicPrefix: String? = nil,
                qos: Int = 1, queueCapacity: Int = MQTTSettings.defaultQueueCapacity, discovery: Bool = true,
                stateRate: Double = MQTTSettings.defaultStateRate) throws(MQTTConfigError) {
        try MQTTName.check(name)
        guard qos == 0 || qos == 1 else { throw .badQoS(qos) }
        guard (1...1_000_000).contains(queueCapacity) else { throw .badQueueSize(queueCapacity) }
        guard stateRate > 0, stateRate <= 50, stateRate.isFinite else { throw .badStateRate(stateRate) }
        self.url = url
        self.password = password
        self.caFile = caFile
        self.name = name
        self.topics = try MQTTTopics(prefix: topicPrefix, name: name)
        self.qos = qos
        self.queueCapacity = queueCapacity
        self.discovery = discovery
        self.stateRate = stateRate
    }

    /// "fer-cam-<name>": one session per camera on a broker.
    public var clientID: String { "fer-cam-\(name)" }

    /// The password: $FERCAM_MQTT_PASSWORD when set (non-empty), else the config file's mqtt-password.
    public static func password(environment: [String: String], configValue: String?) -> String? {
        if let v = environment[passwordVariable], !v.isEmpty { return v }
        if let v = configValue, !v.isEmpty { return v }
        return nil
    }

    /// A missing CA file is reported before anything starts (exit 66).
    public func checkFiles() throws(MQTTConfigError) {
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) { throw .caFileMissing(path: caFile) }
    }
}
