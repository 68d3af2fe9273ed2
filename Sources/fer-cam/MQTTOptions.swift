// fer-cam's --mqtt flags (an @OptionGroup): the broker URL, TLS CA, topic
// prefix, camera name, QoS, queue size, state rate, Home Assistant discovery,
// with their usage checks (exit 64; a missing CA file 66 when the run starts).
// The password is never a flag: mqtt-password in the config file or
// $FERCAM_MQTT_PASSWORD. Parsing and checking only; MQTTWiring starts the client.
import ArgumentParser
import FERCam
import FERMQTT

struct MQTTOptions: ParsableArguments {
    @Option(name: .customLong("mqtt"), help: ArgumentHelp(
        "Publish events, state and availability to the MQTT broker at URL: mqtt://[user@]host[:port] (1883) or mqtts://[user@]host[:port] (TLS, 8883).",
        discussion: """
        Topics under --mqtt-topic (default fer-cam/NAME): events (every detection-log line, same bytes), \
        availability (online/offline, retained; offline is also the last will), state (retained JSON of the \
        faces in view), camera (the log's camera lines), and Home Assistant discovery under homeassistant/. \
        The password comes from mqtt-password in the --config file or $FERCAM_MQTT_PASSWORD, never the command line. \
        An unreachable broker is retried with back-off; messages wait in a queue of --mqtt-queue (oldest dropped beyond). \
        Example: fer-cam 0 --mqtt mqtt://broker.lan --name hall
        """,
        valueName: "url"))
    var url: String?

    @Option(name: .customLong("mqtt-ca"), help: ArgumentHelp(
        "CA certificate (PEM) to check an mqtts:// broker with (default: the system CAs).", valueName: "file"))
    var caFile: String?

    @Option(name: .customLong("mqtt-topic"), help: ArgumentHelp(
        "Topic prefix (default fer-cam/NAME).", valueName: "prefix"))
    var topic: String?

    @Option(name: .customLong("name"), help: ArgumentHelp(
        "This camera's name in MQTT topics and Home Assistant (default: the device's name, e.g. video0; a file's base name; test).",
        valueName: "name"))
    var name: String?

    @Option(name: .customLong("mqtt-qos"), help: ArgumentHelp(
        "QoS of the events and camera messages: 0 or 1 (default 1: acknowledged, resent after a reconnect).", valueName: "qos"))
    var qos: Int?

    @Option(name: .customLong("mqtt-queue"), help: ArgumentHelp(
        "Messages kept while the broker is slow or away (default \(MQTTSettings.defaultQueueCapacity)); beyond it the oldest is dropped and counted.",
        valueName: "n"))
    var queue: Int?

    @Option(name: .customLong("mqtt-state-rate"), help: ArgumentHelp(
        "Publish the state (faces in view) on change, at most N times a second (default \(Int(MQTTSettings.defaultStateRate))).",
        valueName: "n"))
    var stateRate: Double?

    @Flag(name: .customLong("no-ha-discovery"), help: "Do not publish Home Assistant MQTT discovery messages.")
    var noDiscovery = false

    /// A --mqtt-password flag is refused with the two places a password may come from
    /// (ArgumentParser alone would only say "unknown option").
    static func refusedPasswordFlag(_ argv: [String]) -> String? {
        let flag = "--\(MQTTSettings.passwordKey)"
        guard argv.contains(where: { $0 == flag || $0.hasPrefix(flag + "=") }) else { return nil }
        return "\(flag) is not a command-line option (anyone can read the command line with ps): write "
            + "\(MQTTSettings.passwordKey) = … in the --config file, or set \(MQTTSettings.passwordVariable)"
    }

    /// Usage checks (exit 64), before anything opens.
    func validate() throws {
        if url == nil {
            if caFile != nil || topic != nil || qos != nil || queue != nil || stateRate != nil || noDiscovery {
                throw ValidationError(MQTTConfigError.optionWithoutURL(
                    "--mqtt-ca, --mqtt-topic, --mqtt-qos, --mqtt-queue, --mqtt-state-rate and --no-ha-discovery").description)
            }
            if let name { do { try MQTTName.check(name) } catch { throw ValidationError(error.description) } }
            return
        }
        do { _ = try settings(defaultName: name ?? "camera", password: nil) } catch { throw ValidationError(error.description) }
    }

    /// nil without --mqtt. defaultName: the name derived from the source when --name is not given.
    func settings(defaultName: String, password: String?) throws(MQTTConfigError) -> MQTTSettings? {
        guard let url else { return nil }
        let parsed = try MQTTURL(parsing: url)
        if caFile != nil && !parsed.tls { throw .caWithoutTLS(url: parsed.description) }
        return try MQTTSettings(url: parsed, password: password, caFile: caFile, name: name ?? defaultName,
                                topicPrefix: topic, qos: qos ?? 1, queueCapacity: queue ?? MQTTSettings.defaultQueueCapacity,
                                discovery: !noDiscovery, stateRate: stateRate ?? MQTTSettings.defaultStateRate)
    }
}
