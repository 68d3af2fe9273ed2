// MQTTSettings: value checks, the password's sources, the missing CA file (exit 66).
import Testing
@testable import FERMQTT

@Suite struct MQTTSettingsTests {
    let url = MQTTURL(tls: false, host: "127.0.0.1")

    @Test func defaults() throws {
        let s = try MQTTSettings(url: url, name: "video0")
        #expect(s.qos == 1 && s.queueCapacity == 10_000 && s.discovery && s.clientID == "fer-cam-video0")
        #expect(s.topics.prefix == "fer-cam/video0")
    }

    @Test func badValues() {
        #expect(throws: MQTTConfigError.badQoS(2)) { try MQTTSettings(url: url, name: "a", qos: 2) }
        #expect(throws: MQTTConfigError.badQueueSize(0)) { try MQTTSettings(url: url, name: "a", queueCapacity: 0) }
        #expect(throws: MQTTConfigError.badStateRate(0)) { try MQTTSettings(url: url, name: "a", stateRate: 0) }
        #expect(throws: MQTTConfigError.badName(value: "a/b")) { try MQTTSettings(url: url, name: "a/b") }
    }

    @Test func passwordFromEnvironmentFirstThenTheFile() {
        #expect(MQTTSettings.password(environment: ["FERCAM_MQTT_PASSWORD": "env"], configValue: "file") == "env")
        #expect(MQTTSettings.password(environment: ["FERCAM_MQTT_PASSWORD": ""], configValue: "file") == "file")
        #expect(MQTTSettings.password(environment: [:], configValue: nil) == nil)
    }

    @Test func missingCAFileIsExit66NamingThePath() throws {
        let s = try MQTTSettings(url: MQTTURL(tls: true, host: "h"), caFile: "/nonexistent/ca.pem", name: "a")
        do {
            try s.checkFiles()
            Issue.record("no error for a missing CA file")
        } catch {
            #expect(error.exitCode == 66)
            #expect(error.description.contains("/nonexistent/ca.pem"))
        }
    }
}
