// Discovery: Home Assistant config topics and payloads (unique_id, state_topic,
// value_template, availability, device), and that each template reads a field
// the state JSON has.
import Foundation
import Testing
@testable import FERMQTT

@Suite struct DiscoveryTests {
    let d = Discovery(topics: try! MQTTTopics(prefix: nil, name: "video0"), name: "video0")

    func payload(_ object: String) throws -> [String: Any] {
        let e = try #require(Discovery.entities.first { $0.object == object })
        return try #require(try JSONSerialization.jsonObject(with: Data(d.payload(e).utf8)) as? [String: Any])
    }

    @Test func topicsFollowComponentNodeObject() {
        let topics = d.messages().map(\.topic)
        #expect(topics == ["homeassistant/sensor/fer-cam_video0/emotion/config",
                           "homeassistant/sensor/fer-cam_video0/faces/config",
                           "homeassistant/binary_sensor/fer-cam_video0/face_present/config"])
        #expect(d.messages().allSatisfy { $0.retain && $0.qos == 1 })
    }

    @Test func everyEntityHasIdsTopicsAndTheDevice() throws {
        var ids = Set<String>()
        for e in Discovery.entities {
            let p = try payload(e.object)
            let uid = try #require(p["unique_id"] as? String)
            ids.insert(uid)
            #expect(p["state_topic"] as? String == "fer-cam/video0/state")
            #expect(p["availability_topic"] as? String == "fer-cam/video0/availability")
            #expect(p["payload_available"] as? String == "online" && p["payload_not_available"] as? String == "offline")
            let device = try #require(p["device"] as? [String: Any])
            #expect(device["identifiers"] as? [String] == ["fer-cam_video0"])
            #expect(device["name"] as? String == "fer-cam video0")
            #expect(device["manufacturer"] as? String == Discovery.manufacturer)
            #expect(device["model"] as? String == Discovery.model)
            #expect(device["sw_version"] as? String == Discovery.softwareVersion)
        }
        #expect(ids.count == Discovery.entities.count, "unique_id must differ per entity")
    }

    @Test func binarySensorPayloadsMatchTheStatesPresentField() throws {
        let p = try payload("face_present")
        #expect(p["payload_on"] as? String == "ON" && p["payload_off"] as? String == "OFF")
        #expect(p["value_template"] as? String == "{{ value_json.present }}")
    }

    /// A consumer following the templates: value_json.<field> exists in the state JSON.
    @Test func templatesReadFieldsTheStateHas() throws {
        let state = StatePayload(time: Date(), source: "x", faces: [FaceInView(track: 1, box: [1, 2, 3, 4], emotion: "surprise", score: 0.9)])
        let o = try #require(try JSONSerialization.jsonObject(with: Data(state.json.utf8)) as? [String: Any])
        var values: [String: String] = [:]
        for e in Discovery.entities {
            let template = try #require(try payload(e.object)["value_template"] as? String)
            let field = try #require(template.firstMatch(of: /value_json\.(\w+)/)).1
            values[e.object] = "\(try #require(o[String(field)]))"
        }
        #expect(values == ["emotion": "surprise", "faces": "1", "face_present": "ON"])
    }

    @Test func nodeIsTheSanitisedPrefix() throws {
        let custom = Discovery(topics: try MQTTTopics(prefix: "home/hall.cam", name: "hall"), name: "hall")
        #expect(custom.node == "home_hall_cam")
    }
}
