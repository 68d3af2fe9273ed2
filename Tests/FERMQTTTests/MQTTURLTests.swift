// MQTTURL: the forms --mqtt accepts, their defaults, and the errors that name the value and the form.
import Testing
@testable import FERMQTT

@Suite struct MQTTURLTests {
    @Test func plainHostGetsPort1883() throws {
        let u = try MQTTURL(parsing: "mqtt://broker.lan")
        #expect(u == MQTTURL(tls: false, user: nil, host: "broker.lan", port: 1883))
        #expect(u.description == "mqtt://broker.lan:1883")
    }

    @Test func tlsUserAndPort() throws {
        let u = try MQTTURL(parsing: "mqtts://cam@10.0.0.5:8884")
        #expect(u.tls && u.user == "cam" && u.host == "10.0.0.5" && u.port == 8884)
        #expect(try MQTTURL(parsing: "mqtts://broker").port == 8883)
    }

    @Test func ipv6InBrackets() throws {
        let u = try MQTTURL(parsing: "mqtt://[::1]:1884/")
        #expect(u.host == "::1" && u.port == 1884)
        #expect(u.description == "mqtt://[::1]:1884")
    }

    @Test(arguments: ["broker.lan", "http://broker", "mqtt://", "mqtt://host:0", "mqtt://host:99999", "mqtt://host:x",
                      "mqtt://host/topic", "mqtt://@host", "mqtt://ho st", "mqtt://[::1"])
    func malformedNamesTheValueAndTheForm(_ text: String) {
        #expect(throws: MQTTConfigError.self) { try MQTTURL(parsing: text) }
        do { _ = try MQTTURL(parsing: text) } catch {
            #expect(error.description.contains("'\(text)'"))
            #expect(error.description.contains("mqtt://[user@]host[:port]"))
            #expect(error.exitCode == 64)
        }
    }

    @Test func passwordInTheURLIsRefusedAndNotEchoed() {
        do {
            _ = try MQTTURL(parsing: "mqtt://cam:s3cret@broker")
            Issue.record("accepted a password in the URL")
        } catch {
            #expect(error == .passwordInURL(value: "mqtt://cam:s3cret@broker"))
            #expect(!error.description.contains("s3cret"))
            #expect(error.description.contains("FERCAM_MQTT_PASSWORD"))
        }
    }
}
