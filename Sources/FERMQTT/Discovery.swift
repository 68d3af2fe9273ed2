// Home Assistant MQTT discovery: the retained config messages under
// homeassistant/<component>/<node>/<object>/config that make one device per
// camera appear with three entities: the dominant emotion (sensor), the number
// of faces (sensor) and "face present" (binary_sensor). Each reads the state
// topic through a `{{ value_json.<field> }}` template and goes unavailable with
// the availability topic. Payloads only; the publisher sends them on connect.
import FERNet
import Foundation

public struct Discovery: Sendable {
    public static let prefix = "homeassistant"
    public static let manufacturer = "fer-cam"
    public static let model = "fer-cam emotion camera"
    /// The release's version, from its one place (what --version and the .deb say).
    public static let softwareVersion = FERVersion.number

    public let topics: MQTTTopics
    public let name: String
    /// [A-Za-z0-9_-] form of the topic prefix: unique per broker, so per camera.
    public let node: String

    public init(topics: MQTTTopics, name: String) {
        self.topics = topics
        self.name = name
        node = String(topics.prefix.unicodeScalars.map { s -> Character in
            s.isASCII && (CharacterSet.alphanumerics.contains(s) || s == "-" || s == "_") ? Character(s) : "_"
        })
    }

    public struct Entity: Sendable, Equatable {
        public var component: String      // sensor, binary_sensor
        public var object: String         // emotion, faces, face_present
        public var title: String
        public var field: String          // the state JSON field its value template reads
        public var extra: [(String, JSONValue)]

        public static func == (a: Entity, b: Entity) -> Bool {
            a.component == b.component && a.object == b.object && a.title == b.title && a.field == b.field
                && JSONValue.object(a.extra) == JSONValue.object(b.extra)
        }
    }

    public static let entities: [Entity] = [
        Entity(component: "sensor", object: "emotion", title: "Emotion", field: StatePayload.dominantField,
               extra: [("icon", .string("mdi:emoticon-outline"))]),
        Entity(component: "sensor", object: "faces", title: "Faces", field: StatePayload.countField,
               extra: [("unit_of_measurement", .string("faces")), ("state_class", .string("measurement")),
                       ("icon", .string("mdi:account-multiple"))]),
        Entity(component: "binary_sensor", object: "face_present", title: "Face present", field: StatePayload.presentField,
               extra: [("payload_on", .string("ON")), ("payload_off", .string("OFF")), ("device_class", .string("occupancy"))]),
    ]

    public func topic(_ e: Entity) -> String { "\(Self.prefix)/\(e.component)/\(node)/\(e.object)/config" }

    public func payload(_ e: Entity) -> String {
        let device: JSONValue = .object([
            ("identifiers", .array([.string(node)])), ("name", .string("fer-cam \(name)")),
            ("model", .string(Self.model)), ("manufacturer", .string(Self.manufacturer)),
            ("sw_version", .string(Self.softwareVersion)),
        ])
        let fields: [(String, JSONValue)] = [
            ("name", .string(e.title)), ("unique_id", .string("\(node)_\(e.object)")),
            ("state_topic", .string(topics.state)), ("value_template", .string("{{ value_json.\(e.field) }}")),
            ("availability_topic", .string(topics.availability)),
            ("payload_available", .string(MQTTTopics.online)), ("payload_not_available", .string(MQTTTopics.offline)),
        ] + e.extra + [("device", device)]
        return JSONValue.object(fields).text
    }

    /// Every config message, retained (QoS 1).
    public func messages() -> [MQTTMessage] {
        Self.entities.map { MQTTMessage(topic: topic($0), text: payload($0), qos: 1, retain: true) }
    }
}
